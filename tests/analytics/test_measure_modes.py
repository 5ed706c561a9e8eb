"""measure(mode=): the stage rows count in the funnel mode asked for, as funnel() does."""

from __future__ import annotations

import pandas as pd
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import ValidationError, analytics


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    j = cjm.templates.load("colleen")
    return analytics.make_events(j, customers=600, segments=["mobile", "desktop"], seed=4)


def _conversion(j: cjm.Journey, segment: object = None) -> dict[str, float]:
    m = j.metrics
    rows = m[(m["name"] == "conversion") & (m["run_id"] == "measure").fillna(False)]
    rows = rows[rows["segment"].isna()] if segment is None else rows[rows["segment"] == segment]
    return dict(zip(rows["stage_id"], rows["value"], strict=True))


@pytest.mark.parametrize("mode", ["first_reach", "sequential"])
def test_stage_rows_follow_the_mode(log, mode):
    j = cjm.templates.load("colleen")
    j.measure(log, segment_col="segment", mode=mode)
    fun = analytics.funnel(log, j, mode=mode)
    expected = dict(zip(fun["stage_id"], fun["conversion"], strict=True))
    assert _conversion(j) == pytest.approx({k: v for k, v in expected.items() if pd.notna(v)})
    by_seg = analytics.funnel(log, j, mode=mode, segment_col="segment")
    mobile = by_seg[by_seg["segment"] == "mobile"]
    assert _conversion(j, "mobile") == pytest.approx(
        {k: v for k, v in zip(mobile["stage_id"], mobile["conversion"], strict=True) if pd.notna(v)}
    )


def test_sequential_never_exceeds_first_reach(log):
    first, seq = cjm.templates.load("colleen"), cjm.templates.load("colleen")
    first.measure(log, mode="first_reach")
    seq.measure(log, mode="sequential")
    a = first.metrics.query("name == 'customers' and run_id == 'measure'").set_index("stage_id")["value"]
    b = seq.metrics.query("name == 'customers' and run_id == 'measure'").set_index("stage_id")["value"]
    assert (b <= a.loc[b.index]).all() and b.is_monotonic_decreasing


def test_a_bad_mode_changes_nothing(log):
    j = cjm.templates.load("colleen")
    before = j.copy()
    with pytest.raises(ValidationError, match="mode must be one of 'first_reach', 'sequential'"):
        j.measure(log, mode="seq")
    assert j.equals(before)
