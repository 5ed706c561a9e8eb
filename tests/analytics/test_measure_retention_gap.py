"""measure(retention_min_gap=): one visit's several goal events are not a return."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("statsmodels")

from cjm_jupyter import ValidationError, templates
from cjm_jupyter import analytics as an

from ..support.measure import PERIOD, journey, run


def retention_rows(j) -> pd.DataFrame:
    m = j.metrics
    rows = m[m["name"].str.startswith("retention").fillna(False)]
    return rows.assign(segment=rows["segment"].fillna("")).set_index(["name", "segment"])


def test_a_gap_keeps_one_visit_from_counting_as_a_return():
    """The hand log (tests/test_analytics_outcomes.outcome_log), goal stage s2, 30 days.

    Converted: c1, c2, c3, c5, c6. Back later: c1 (day 10) and c5 (1 hour after its first goal
    event, the same visit). Without a gap both count (2/5); with "1D" only c1 (1/5).
    """
    j = journey()
    run(j, retention_days=30, segment_col="segment")
    plain = retention_rows(j)
    assert plain.loc[("retention within 30 days", ""), ["value", "n"]].tolist() == [0.4, 5]
    assert plain.loc[("retention within 30 days", "B"), "value"] == 0.5  # c5 of c3, c5

    j = journey()
    res = run(j, retention_days=30, retention_min_gap="1D", segment_col="segment")
    gapped = retention_rows(j)
    name = "retention within 30 days, after 1 day"
    assert sorted(gapped.index) == [(name, ""), (name, "A"), (name, "B")]
    assert gapped.loc[(name, ""), ["value", "n"]].tolist() == [0.2, 5]
    assert gapped.loc[(name, "A"), "value"] == pytest.approx(1 / 3)  # c1 of c1, c2, c6
    assert gapped.loc[(name, "B"), "value"] == 0.0
    assert res["retention"].attrs["min_gap"] == pd.Timedelta("1D")
    assert res["retention_by_segment"].attrs["min_gap"] == pd.Timedelta("1D")


def test_the_rows_equal_retention_with_the_same_min_gap():
    colleen = templates.load("colleen")
    log = an.make_events(
        colleen, customers=1500, segments=["a", "b"], goal="Purchase", repeat_rate=0.3, seed=4,
        start="2026-01-01", days=10,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = colleen.measure(
            log, goal="Purchase", retention_days=90, retention_min_gap="12h", segment_col="segment"
        )
    direct = an.retention(log, colleen, goal="Purchase", within_days=90, min_gap="12h", segment_col="segment")
    pd.testing.assert_frame_equal(res["retention_by_segment"], direct, check_like=True)
    rows = retention_rows(colleen)
    name = "retention within 90 days, after 12 h"
    for row in direct.itertuples(index=False):
        assert rows.loc[(name, row.segment), "value"] == pytest.approx(row.retention)
    # one visit's several Purchase events no longer count: the gap lowers the share
    loose = an.retention(log, colleen, goal="Purchase", within_days=90)["retention"].iloc[0]
    assert rows.loc[(name, ""), "value"] < loose - 0.05


def test_a_rerun_with_another_gap_replaces_the_rows_of_the_period():
    j = journey()
    run(j, retention_days=30)
    run(j, retention_days=30, retention_min_gap="1D")
    names = sorted(set(j.metrics.loc[j.metrics["period"] == PERIOD, "name"]))
    assert [n for n in names if n.startswith("retention")] == ["retention within 30 days, after 1 day"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"retention_days": 30, "retention_min_gap": "-1D"},
         "column 'retention_min_gap', value '-1D': retention_min_gap must be a duration >= 0 such as "
         '"1D" or "0s"'),
        ({"retention_days": 30, "retention_min_gap": "soon"},
         "column 'retention_min_gap', value 'soon': retention_min_gap must be a duration >= 0 such as "
         '"1D" or "0s"'),
        ({"retention_days": 30, "retention_min_gap": None},
         "column 'retention_min_gap', value None: retention_min_gap must be a duration >= 0 such as "
         '"1D" or "0s"'),
        ({"retention_min_gap": "1D"},
         "column 'retention_min_gap', value '1D': retention_min_gap needs retention_days= (the retention "
         "it belongs to)"),
    ],
)  # fmt: skip
def test_a_bad_gap_is_refused_and_changes_nothing(kwargs, message):
    j = journey()
    before = j.metrics.copy()
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$"):
        run(j, **kwargs)
    pd.testing.assert_frame_equal(j.metrics, before)


def test_no_gap_without_retention_days_is_fine():
    j = journey()
    run(j, retention_min_gap="0s")  # the default, named: nothing to refuse
    assert not j.metrics["name"].str.startswith("retention").fillna(False).any()
