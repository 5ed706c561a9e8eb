"""Fixtures of the analytics tests (tests/analytics/): the shared local SparkSession.

The event logs and journeys the modules share are plain functions in tests/support/
(analytics.py and the analytics_*.py next to it), imported by the modules that use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ..support.spark import start_session


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for the whole run (starting a JVM costs ~25 s of CPU).

    Skips the test without pyspark, pyarrow or a Java runtime. Every module that uses it
    marks its tests ``spark``, which puts them all on one xdist worker (support/parallel.py).
    """
    session = start_session()
    yield session
    session.stop()
