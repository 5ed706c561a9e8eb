"""Fixtures of the file tests (tests/io/).

The io tests use the small ``journey`` of tests/conftest.py; test_csv_safety.py and
test_errors.py replace it with a journey of their own (a module-level fixture of the
same name), and the property tests build journeys with tests/support/strategies.py.
No fixture is shared by several io modules yet: add one here when it is.
"""
