"""Fixtures of the analytics tests (tests/analytics/): the shared local SparkSession, logs, templates.

The event logs and journeys the modules share are plain functions in tests/support/
(analytics.py and the analytics_*.py next to it), imported by the modules that use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, templates

from ..support.analytics import hand_events
from ..support.analytics_ids import text_log
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


@pytest.fixture
def hand() -> pd.DataFrame:
    """The hand-computed event log (tests/support/analytics.py: ``hand_events``)."""
    return hand_events()


@pytest.fixture(scope="module")
def colleen() -> Journey:
    """The Colleen template (loaded once per module: the tests only read it)."""
    return templates.load("colleen")


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    """The text-id log the id-type tests turn into every other id type (support/analytics_ids.py)."""
    return text_log()
