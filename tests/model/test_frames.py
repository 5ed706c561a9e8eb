"""Frames: copies out, validated in, canonical dtypes, extra columns, sorting."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import FRAME_NAMES, Journey
from cjm_jupyter.model.specs import COLUMN_DTYPES, FRAMES

# -- shape and dtypes ----------------------------------------------------------------------


def test_frame_names():
    assert FRAME_NAMES == (
        "personas",
        "stages",
        "touchpoints",
        "emotions",
        "pain_points",
        "opportunities",
        "actions",
        "metrics",
        "goals",
        "empathy",
        "lanes",
        "event_map",
    )


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_empty_frames_have_spec_columns_and_dtypes(empty_journey, name):
    df = empty_journey.frame(name)
    spec = FRAMES[name]
    assert tuple(df.columns) == spec.column_names
    assert len(df) == 0
    for col in spec.columns:
        assert str(df[col.name].dtype) == COLUMN_DTYPES[col.kind], (name, col.name)


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_frames_keep_canonical_dtypes_after_edits(journey, name):
    df = journey.frame(name)
    for col in FRAMES[name].columns:
        assert str(df[col.name].dtype) == col.dtype, (name, col.name, df[col.name].dtype)
    assert isinstance(df.index, pd.RangeIndex)
    assert df.index.tolist() == list(range(len(df)))


def test_property_and_frame_and_frames_agree(journey):
    frames = journey.frames
    assert list(frames) == list(FRAME_NAMES)
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(getattr(journey, name), journey.frame(name))
        pd.testing.assert_frame_equal(frames[name], journey.frame(name))


def test_frame_property_docs():
    assert "Ordered phases of the journey." in Journey.stages.__doc__
    assert "copy" in Journey.touchpoints.__doc__


# -- copies ---------------------------------------------------------------------------------


def test_frames_returned_are_copies(journey):
    before = journey.copy()
    st = journey.stages
    assert st is not journey.stages
    st.loc[0, "name"] = "Changed"
    st.pop("description")
    st["extra"] = 1
    assert journey.equals(before)
    assert journey.stages["name"].tolist() == ["Awareness", "Consideration", "Purchase"]


def test_frame_method_returns_copy(journey):
    before = journey.copy()
    df = journey.frame("touchpoints")
    df.loc[:, "order"] = 0
    df.iloc[0, 0] = "zzz"
    assert journey.equals(before)


def test_frames_dict_holds_copies(journey):
    before = journey.copy()
    frames = journey.frames
    frames["personas"].loc[0, "name"] = "Changed"
    frames["stages"] = frames["stages"].iloc[:0]
    del frames["lanes"]
    assert journey.equals(before)
    assert len(journey.frames) == len(FRAME_NAMES)


def test_chained_assignment_warns_and_changes_nothing(journey):
    before = journey.copy()
    with pytest.warns(pd.errors.ChainedAssignmentError):
        journey.stages.loc[0, "name"] = "x"
    with pytest.warns(pd.errors.ChainedAssignmentError):
        journey.touchpoints["name"] = "x"
    with pytest.warns(pd.errors.ChainedAssignmentError):
        journey.personas.at[0, "age"] = "99"
    assert journey.equals(before)
    assert journey.stages.loc[0, "name"] == "Awareness"


def test_chained_assignment_is_an_error_under_project_filterwarnings(journey):
    # pyproject.toml: filterwarnings = ["error::pandas.errors.ChainedAssignmentError"]
    before = journey.copy()
    with pytest.raises(pd.errors.ChainedAssignmentError):
        journey.stages.loc[0, "name"] = "x"
    assert journey.equals(before)


def test_replaced_frame_is_not_shared_with_caller(journey):
    df = journey.stages
    journey.stages = df
    df.loc[0, "name"] = "Changed after assignment"
    assert journey.stages.loc[0, "name"] == "Awareness"


def test_constructor_frames_not_shared_with_caller():
    st = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"]})
    j = Journey("x", frames={"stages": st})
    st.loc[0, "name"] = "Z"
    assert j.stages["name"].tolist() == ["A", "B"]
    assert list(st.columns) == ["id", "name"]  # caller's frame not modified


def test_replace_does_not_modify_callers_frame(journey):
    df = journey.touchpoints.drop(columns="order").iloc[::-1]
    snapshot = df.copy()
    journey.touchpoints = df
    pd.testing.assert_frame_equal(df, snapshot)


# -- replace_frame / property setters -----------------------------------------------------------


def test_property_setter_replaces_frame(journey):
    df = journey.stages
    df.loc[df["id"] == "purchase", "description"] = "Pays"
    journey.stages = df
    assert journey.stages.set_index("id").loc["purchase", "description"] == "Pays"


@pytest.mark.parametrize("name", FRAME_NAMES)
def test_every_property_setter_round_trips(journey, name):
    before = journey.copy()
    setattr(journey, name, getattr(journey, name))
    assert journey.equals(before)


def test_replace_frame_with_plain_dtypes_is_coerced(journey):
    df = pd.DataFrame(
        {
            "id": ["m1", "m2"],
            "name": ["NPS", "CSAT"],
            "value": [42, 4],  # int64 into a float column
            "stage_id": ["purchase", None],
            "touchpoint_id": [None, "checkout"],
            "n": [100.0, np.nan],  # float into an int column
            "source": ["survey", "survey"],
            "basis": ["measured", "measured"],
        }
    )
    journey.metrics = df
    m = journey.metrics
    assert m["value"].dtype == "Float64" and m["value"].tolist() == [42.0, 4.0]
    assert m["n"].dtype == "Int64"
    assert m["n"].iloc[0] == 100 and m["n"].iloc[1] is pd.NA
    assert m["unit"].isna().all() and m["unit"].dtype == "string"
    assert list(m.columns) == list(FRAMES["metrics"].column_names)


def test_replace_frame_puts_spec_columns_first_and_extras_after(journey):
    df = journey.stages[["order", "name", "id"]].assign(colour=["red", "green", "blue"])
    journey.stages = df
    assert list(journey.stages.columns) == ["id", "name", "description", "order", "colour"]


def test_replace_frame_resets_index(journey):
    df = journey.stages.set_axis([10, 20, 30])
    journey.stages = df
    assert journey.stages.index.tolist() == [0, 1, 2]


def test_replace_empty_frame(journey):
    journey.empathy = journey.empathy.iloc[:0]
    assert journey.empathy.empty
    assert tuple(journey.empathy.columns) == FRAMES["empathy"].column_names


def test_replace_frame_by_generic_name(journey):
    df = journey.frame("actions")
    df["status"] = "done"
    journey.replace_frame("actions", df)
    assert journey.actions["status"].tolist() == ["done"]


def test_constructor_with_frames():
    stages = pd.DataFrame({"id": ["b", "a"], "name": ["B", "A"], "order": [1, 0]})
    tps = pd.DataFrame({"id": ["t1", "t2", "t3"], "stage_id": ["b", "a", "b"], "name": ["x", "y", "z"]})
    j = Journey("C", kind="future_state", frames={"stages": stages, "touchpoints": tps})
    assert j.kind == "future_state"
    assert j.stages["id"].tolist() == ["a", "b"]
    # without an order column touchpoints are numbered in row order inside their stage
    assert j.touchpoints[["id", "stage_id", "order"]].values.tolist() == [
        ["t2", "a", 0],
        ["t1", "b", 0],
        ["t3", "b", 1],
    ]


# -- text cells -------------------------------------------------------------------------------


def test_empty_string_stored_as_missing_on_add_and_update(journey):
    sid = journey.add_stage("Loyalty", description="")
    assert journey.stages.set_index("id").loc[sid, "description"] is pd.NA
    journey.update_stage("awareness", description="")
    assert journey.stages.set_index("id").loc["awareness", "description"] is pd.NA
    journey.set_lane_cell("Backstage", "awareness", "")
    assert journey.lanes.set_index("id").loc["backstage-awareness", "text"] is pd.NA


def test_empty_string_stored_as_missing_on_replace(journey):
    journey.personas = journey.personas.assign(gender=["", "male"])
    assert journey.personas["gender"].tolist()[0] is pd.NA
    assert journey.personas["gender"].tolist()[1] == "male"


def test_whitespace_text_is_kept(journey):
    journey.update_stage("awareness", description="  ")
    assert journey.stages.set_index("id").loc["awareness", "description"] == "  "


def test_unicode_text_kept_verbatim(journey):
    text = "Клиент сравнивает цены 💸 — żółw, ķirsis"
    journey.update_persona("busy-bob", frustrations=text)
    assert journey.personas.set_index("id").loc["busy-bob", "frustrations"] == text


# -- extra columns -------------------------------------------------------------------------------

EXTRA_DTYPES = [
    ("int64", np.array([1, 2, 3], dtype="int64"), "Int64"),
    ("int32", np.array([1, 2, 3], dtype="int32"), "Int32"),
    ("uint8", np.array([1, 2, 3], dtype="uint8"), "UInt8"),
    ("float64", np.array([0.5, 1.5, np.nan]), "Float64"),
    ("float32", np.array([0.5, 1.5, 2.5], dtype="float32"), "Float32"),
    ("bool", np.array([True, False, True]), "boolean"),
    ("object str", pd.Series(["a", "b", None], dtype=object), "string"),
    ("str", pd.Series(["a", "b", "c"]), "string"),
    ("string", pd.array(["a", None, "c"], dtype="string"), "string"),
    ("Int64", pd.array([1, None, 3], dtype="Int64"), "Int64"),
    ("boolean", pd.array([True, None, False], dtype="boolean"), "boolean"),
    ("datetime64[ns]", pd.to_datetime(["2024-01-01", None, "2024-03-01"]).as_unit("ns"), "datetime64[ns]"),
    ("datetime64[us]", pd.to_datetime(["2024-01-01", None, "2024-03-01"]).as_unit("us"), "datetime64[us]"),
    (
        "datetime tz",
        pd.to_datetime(["2024-01-01"] * 3).tz_localize("Europe/Riga"),
        "datetime64[ns, Europe/Riga]",
    ),
    ("all missing object", pd.Series([None, None, None], dtype=object), "string"),
    ("object ints", pd.Series([1, None, 3], dtype=object), "Int64"),
    ("object floats", pd.Series([1.5, None, 3.0], dtype=object), "Float64"),
    ("object bools", pd.Series([True, None, False], dtype=object), "boolean"),
]


@pytest.mark.parametrize(("values", "dtype"), [c[1:] for c in EXTRA_DTYPES], ids=[c[0] for c in EXTRA_DTYPES])
def test_extra_column_kept_with_nullable_dtype(journey, values, dtype):
    df = journey.stages.assign(extra=values)
    if dtype.startswith("datetime64[ns,"):
        dtype = str(df["extra"].dtype)  # tz-aware unit follows the input
    journey.stages = df
    st = journey.stages
    assert str(st["extra"].dtype) == dtype
    assert list(st.columns)[-1] == "extra"
    # adding a row without a value for the column keeps its dtype
    journey.add_stage("Loyalty")
    st = journey.stages
    assert str(st["extra"].dtype) == dtype
    assert pd.isna(st["extra"].iloc[-1])
    # editing other columns keeps it, too
    journey.update_stage("awareness", name="Aware")
    journey.move_stage("loyalty", 0)
    assert str(journey.stages["extra"].dtype) == dtype


def test_extra_column_values_survive_edits(journey):
    journey.stages = journey.stages.assign(weight=[3, 1, 2], colour=["red", "", None])
    journey.add_stage("Intro", position=0, weight=9)
    journey.move_stage("purchase", 1)
    st = journey.stages.set_index("id")
    assert st["weight"].to_dict() == {"intro": 9, "purchase": 2, "awareness": 3, "consideration": 1}
    assert st.loc["awareness", "colour"] == "red"
    assert st.loc["consideration", "colour"] is pd.NA  # "" stored as missing
    assert st["weight"].dtype == "Int64"


def test_extra_columns_created_by_add_get_nullable_dtypes(journey):
    journey.add_stage(
        "Loyalty",
        weight=3,
        ratio=0.5,
        flag=True,
        note="hi",
        when=pd.Timestamp("2024-01-01"),
        at=datetime(2024, 5, 1),
    )
    dtypes = journey.stages.dtypes
    assert str(dtypes["weight"]) == "Int64"
    assert str(dtypes["ratio"]) == "Float64"
    assert str(dtypes["flag"]) == "boolean"
    assert str(dtypes["note"]) == "string"
    assert str(dtypes["when"]).startswith("datetime64")
    assert str(dtypes["at"]).startswith("datetime64")
    st = journey.stages.set_index("id")
    assert st.loc["awareness", "weight"] is pd.NA
    assert st.loc["awareness", "flag"] is pd.NA
    assert st.loc["loyalty", "at"] == pd.Timestamp("2024-05-01")


def test_extra_column_created_by_update(journey):
    journey.update_touchpoint("ads", cost=1200.5)
    tp = journey.touchpoints.set_index("id")
    assert tp["cost"].dtype == "Float64"
    assert tp.loc["ads", "cost"] == 1200.5
    assert tp["cost"].isna().sum() == 3


@pytest.mark.parametrize(
    ("first", "second", "dtype"),
    [
        (3, 7, "Int64"),
        (0.5, 2, "Float64"),
        (True, False, "boolean"),
        ("a", "b", "string"),
        pytest.param(
            pd.Timestamp("2024-01-01"),
            "2025-02-02",
            "datetime64",
        ),
    ],
)
def test_extra_column_dtype_sticks_across_add_and_update(journey, first, second, dtype):
    journey.add_stage("Loyalty", extra=first)
    journey.add_stage("Advocacy")  # no value
    journey.update_stage("advocacy", extra=second)
    col = journey.stages["extra"]
    assert str(col.dtype).startswith(dtype)
    assert col.iloc[-1] == (pd.Timestamp(second) if dtype == "datetime64" else second)
    assert pd.isna(col.iloc[0])


def test_extra_column_cleared_with_none_keeps_dtype(journey):
    journey.add_stage("Loyalty", weight=3)
    journey.update_stage("loyalty", weight=None)
    assert journey.stages["weight"].dtype == "Int64"
    assert journey.stages["weight"].isna().all()


def test_extra_column_all_missing_becomes_text(journey):
    journey.add_stage("Loyalty", note=None)
    assert journey.stages["note"].dtype == "string"


def test_extra_columns_survive_cascade_removal(journey):
    journey.touchpoints = journey.touchpoints.assign(
        cost=[1.5, 2.5, 3.5, 4.5], live=[True, False, True, False]
    )
    journey.remove_stage("awareness", cascade=True)
    tp = journey.touchpoints
    assert tp["cost"].dtype == "Float64" and tp["cost"].tolist() == [3.5, 4.5]
    assert tp["live"].dtype == "boolean" and tp["live"].tolist() == [True, False]


def test_extra_column_on_emotions_via_set_emotion_and_upsert(journey):
    eid = journey.set_emotion("busy-bob", stage="awareness", score=1, wave=1)
    assert journey.emotions["wave"].dtype == "Int64"
    journey.set_emotion("busy-bob", stage="awareness", score=0.5)  # upsert without the extra
    assert journey.emotions.set_index("id").loc[eid, "wave"] == 1


def test_replace_drops_extra_columns_not_given(journey):
    journey.stages = journey.stages.assign(colour=["r", "g", "b"])
    journey.stages = journey.stages.drop(columns="colour")
    assert "colour" not in journey.stages.columns


# -- ordering and sorting --------------------------------------------------------------------------


def test_stages_sorted_by_order(journey, assert_ordered):
    journey.stages = journey.stages.assign(order=[1, 2, 0])
    assert journey.stages["id"].tolist() == ["purchase", "awareness", "consideration"]
    assert journey.stages["order"].tolist() == [0, 1, 2]
    assert_ordered(journey)


def test_touchpoints_sorted_by_stage_then_order(journey, assert_ordered):
    df = journey.touchpoints.iloc[::-1]  # shuffled rows, same positions
    journey.touchpoints = df
    assert journey.touchpoints["id"].tolist() == ["search-engine", "ads", "reviews", "checkout"]
    journey.reorder_stages(["purchase", "consideration", "awareness"])
    assert journey.touchpoints["id"].tolist() == ["checkout", "reviews", "search-engine", "ads"]
    assert_ordered(journey)


def test_order_kept_after_a_sequence_of_edits(journey, assert_ordered):
    steps = [
        lambda j: j.add_stage("Intro", position=0),
        lambda j: j.add_touchpoint("intro", "Poster"),
        lambda j: j.add_touchpoint("intro", "Radio", position=0),
        lambda j: j.move_touchpoint("ads", stage="intro", position=1),
        lambda j: j.move_stage("intro", 3),
        lambda j: j.remove_touchpoint("reviews"),
        lambda j: j.move_touchpoint("radio", position=2),
        lambda j: j.remove_stage("awareness", cascade=True),
        lambda j: j.reorder_touchpoints(["ads", "poster", "radio"]),
        lambda j: j.add_touchpoint("consideration", "Blog", position=0),
        lambda j: j.remove("stages", ["consideration"], cascade=True),
    ]
    for step in steps:
        step(journey)
        assert_ordered(journey)
    assert journey.stages["id"].tolist() == ["purchase", "intro"]
    assert journey.touchpoints["id"].tolist() == ["checkout", "ads", "poster", "radio"]
    assert journey.touchpoints["order"].tolist() == [0, 0, 1, 2]
