"""Arrow-backed extra columns (what pandas 3 makes when pyarrow is installed) become nullable dtypes."""

from __future__ import annotations

import pandas as pd
import pytest

pa = pytest.importorskip("pyarrow")

from cjm_jupyter import read_json  # noqa: E402

ARROW_COLUMNS = [
    (pa.float64(), [0.5], "Float64"),
    (pa.int32(), [3], "Int32"),
    (pa.bool_(), [True], "boolean"),
    (pa.large_string(), ["x"], "string"),
    (pa.timestamp("ms"), [pd.Timestamp("2024-01-01")], "datetime64[ms]"),
    (
        pa.timestamp("us", tz="Europe/Riga"),
        [pd.Timestamp("2024-01-01", tz="Europe/Riga")],
        "datetime64[us, Europe/Riga]",
    ),
]


@pytest.mark.parametrize(("arrow", "values", "kept"), ARROW_COLUMNS, ids=[str(c[0]) for c in ARROW_COLUMNS])
def test_arrow_extra_column_is_kept_as_nullable(journey, arrow, values, kept):
    tps = journey.touchpoints
    tps["extra"] = pd.array(values * len(tps), dtype=pd.ArrowDtype(arrow))
    journey.touchpoints = tps
    assert str(journey.touchpoints["extra"].dtype) == kept
    assert read_json(journey.to_json()).equals(journey)  # and it saves


def test_map_on_a_text_column_gives_a_savable_column(journey):
    tps = journey.touchpoints
    tps["cost"] = tps["name"].map({"Ads": 0.4})  # double[pyarrow] under pandas 3 + pyarrow
    journey.touchpoints = tps
    assert str(journey.touchpoints["cost"].dtype) == "Float64"
    assert read_json(journey.to_json()).equals(journey)
