"""Helpers the test modules share (no tests here): browsers, harnesses, servers, data builders.

Fixtures live in the conftest.py files (tests/conftest.py for every wing, tests/<wing>/conftest.py
for one wing); the plain functions and constants they and the test modules use live here, so no
test module imports another.
"""
