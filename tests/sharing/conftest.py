"""Fixtures of the sharing tests (tests/sharing/).

Each module executes its notebook once in a module-scoped fixture of its own (``executed``,
``notebook``, ``made``: marked ``kernel``); the offline reader of a shared page is
tests/support/reader.py, the session's Chromium the ``browser`` fixture of tests/conftest.py.
No fixture is shared by several sharing modules yet: add one here when it is.
"""
