"""Old spellings of the analytics and personas calls: they still work for one release, with a warning.

C1 (data first: ``measure(events, journey, ...)``, ``make_surveys(events, journey, ...)``) and C2
(a keyword naming a column of the user's input ends in ``_col``) of the conventions in
docs/guide/development.md. Each renamed keyword of each public callable, given by its old name,
emits :class:`CJMDeprecationWarning` naming the new one and gives the same result as the new
spelling; both names at once are a TypeError. No public callable of analytics, personas or plots
(nor ``Journey.measure``/``plot``/``add_persona_from_segment``) keeps an old column keyword; the
plots' renamed keywords are checked in tests/plots/test_plot_deprecations.py.
"""

from __future__ import annotations

import inspect
import typing
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import cjm_jupyter.analytics as an
import cjm_jupyter.personas as ps
from cjm_jupyter import Journey, plots, templates
from cjm_jupyter.analytics import metrics
from cjm_jupyter.analytics._renames import OLD_COLUMN_KEYWORDS
from cjm_jupyter.errors import CJMDeprecationWarning
from cjm_jupyter.model.journey import MeasureOptions
from cjm_jupyter.personas.behaviour import behaviour_table
from cjm_jupyter.plots._layers import OLD_KEYWORDS as TRANSITION_KEYWORDS
from cjm_jupyter.plots.funnel_chart import OLD_KEYWORDS as FUNNEL_KEYWORDS
from cjm_jupyter.plots.funnel_chart import funnel_steps
from cjm_jupyter.sharing.reporting import report

#: the user's column names, none of them the defaults: every keyword matters
RENAMED = {
    "customer_id": "who",
    "timestamp": "when",
    "event": "what",
    "segment": "seg",
    "value": "amount",
}
LOG = {"customer_col": "who", "time_col": "when", "event_col": "what", "segment_col": "seg"}
SESSION = {"customer_col": "who", "time_col": "when"}
MEASURE = {**LOG, "value_col": "amount", "score_col": "rating", "touchpoint_col": "tp"}
MEASURE["respondent_col"] = "resp"
SURVEY = {"score_col": "rating", "touchpoint_col": "tp", "customer_col": "resp", "segment_col": "seg"}


def _old(new: str) -> str:
    return new.removesuffix("_col")


@pytest.fixture(scope="module")
def colleen() -> Journey:
    return templates.load("colleen")


@pytest.fixture(scope="module")
def raw(colleen: Journey) -> pd.DataFrame:
    return an.make_events(colleen, customers=80, segments=["a", "b"], values=True, seed=3)


@pytest.fixture(scope="module")
def log(raw: pd.DataFrame) -> pd.DataFrame:
    return raw.rename(columns=RENAMED)


@pytest.fixture(scope="module")
def surveys(raw: pd.DataFrame, colleen: Journey) -> pd.DataFrame:
    answers = an.make_surveys(raw, colleen, response_rate=0.5, seed=3)
    names = {"score": "rating", "touchpoint_id": "tp", "customer_id": "resp", "segment": "seg"}
    return answers.rename(columns=names)


def _funnel_of_log(events: Any, journey: Journey, **columns: Any) -> pd.DataFrame:
    with an.EventLog(events, journey, **columns) as prepared:
        return an.funnel(prepared)


def _measured(events: Any, journey: Journey, answers: Any, **kw: Any) -> dict[str, pd.DataFrame]:
    return dict(an.measure(events, journey.copy(), answers, **kw))


def _journey_measured(events: Any, journey: Journey, answers: Any, **kw: Any) -> dict[str, pd.DataFrame]:
    return dict(journey.copy().measure(events, answers, **kw))


def _segmented(events: Any, journey: Journey, **kw: Any) -> tuple[pd.Series, pd.DataFrame]:
    result = ps.behavioural_segments(events, journey, k=2, seed=0, **kw)
    return result.assignments, result.profile


#: name -> (call(log, surveys, journey, **keywords), the new keywords of that call)
CASES: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    **{
        name: ((lambda fn: lambda lg, sv, j, **kw: fn(lg, j, **kw))(getattr(an, name)), LOG)
        for name in (
            "funnel",
            "funnel_flow",
            "transitions",
            "stage_times",
            "stage_durations",
            "variants",
            "exits",
            "bounces",
            "customer_profiles",
            "step_times",
            "retention_cohorts",
        )
    },
    "analyze": (lambda lg, sv, j, **kw: an.analyze(lg, j, metrics=["funnel", "variants"], **kw), LOG),
    "retention": (lambda lg, sv, j, **kw: an.retention(lg, j, within_days=365, **kw), LOG),
    "revenue": (lambda lg, sv, j, **kw: an.revenue(lg, j, **kw), {**LOG, "value_col": "amount"}),
    "EventLog": (lambda lg, sv, j, **kw: _funnel_of_log(lg, j, **kw), {**LOG, "value_col": "amount"}),
    "sessionize": (lambda lg, sv, j, **kw: an.sessionize(lg, **kw), SESSION),
    "satisfaction": (lambda lg, sv, j, **kw: an.satisfaction(sv, j, **kw), SURVEY),
    "nps": (lambda lg, sv, j, **kw: an.nps(sv, j, **kw), SURVEY),
    "top_two_box": (lambda lg, sv, j, **kw: an.top_two_box(sv, j, **kw), SURVEY),
    "measure": (
        lambda lg, sv, j, **kw: _measured(lg, j, sv, **kw),
        MEASURE,
    ),
    "Journey.measure": (
        lambda lg, sv, j, **kw: _journey_measured(lg, j, sv, **kw),
        MEASURE,
    ),
    "compare_segments": (
        lambda lg, sv, j, **kw: an.compare_segments(lg, j, surveys=sv, **kw),
        {**LOG, "score_col": "rating", "touchpoint_col": "tp", "respondent_col": "resp"},
    ),
    "behaviour_table": (lambda lg, sv, j, **kw: behaviour_table(lg, j, **kw), LOG),
    "behavioural_segments": (lambda lg, sv, j, **kw: _segmented(lg, j, **kw), LOG),
}
#: make_events' customer table keywords: ``id`` was the old name of ``customer_col``
MAKE_EVENTS_OLD = {"customer_col": "id", "segment_col": "segment"}

PAIRS = [(name, new) for name, (_, keywords) in CASES.items() for new in keywords]


def _same(a: Any, b: Any) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, dict | tuple):
        assert (list(a) if isinstance(a, dict) else len(a)) == (list(b) if isinstance(b, dict) else len(b))
        for x, y in zip(a.values() if isinstance(a, dict) else a, b.values() if isinstance(b, dict) else b,
                        strict=True):  # fmt: skip
            _same(x, y)
    else:
        assert a == b


def _quiet(call: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # unmapped events, few answers...
        warnings.simplefilter("ignore", FutureWarning)  # bounces
        return call(*args, **kw)


@pytest.fixture(scope="module")
def new_spelling(log, surveys, colleen) -> Callable[[str], Any]:
    """``new_spelling(name)``: the result of case ``name`` called with the new keywords, once per module.

    Every old keyword of a call is compared with the same new-spelling result (the inputs are the
    module's fixtures, which no call changes), so it is computed once per call, not once per keyword.
    """
    done: dict[str, Any] = {}

    def result(name: str) -> Any:
        if name not in done:
            call, keywords = CASES[name]
            done[name] = _quiet(call, log, surveys, colleen, **keywords)
        return done[name]

    return result


@pytest.mark.parametrize(("name", "new"), PAIRS, ids=[f"{n}-{k}" for n, k in PAIRS])
def test_an_old_keyword_warns_naming_the_new_one_and_gives_the_same_result(
    name, new, log, surveys, colleen, new_spelling
):
    call, keywords = CASES[name]
    want = new_spelling(name)
    old_spelling = {k: v for k, v in keywords.items() if k != new} | {_old(new): keywords[new]}
    said = rf"\({_old(new)}=\.\.\.\) is deprecated; use .*\({new}=\.\.\.\)"
    with pytest.warns(CJMDeprecationWarning, match=said):
        got = _quiet(call, log, surveys, colleen, **old_spelling)
    _same(got, want)


@pytest.mark.parametrize(("name", "new"), PAIRS, ids=[f"{n}-{k}" for n, k in PAIRS])
def test_the_old_and_the_new_keyword_together_are_a_type_error(name, new, log, surveys, colleen):
    call, keywords = CASES[name]
    with pytest.raises(TypeError, match=rf"got both {_old(new)}= \(the old name\) and {new}="):
        call(log, surveys, colleen, **keywords, **{_old(new): keywords[new]})


@pytest.mark.parametrize("new", sorted(MAKE_EVENTS_OLD))
def test_make_events_old_customer_table_keywords(new, colleen):
    table = ps.make_customers(40, segments=2, seed=1)
    keywords = {"customer_col": "customer_id", "segment_col": "planted_segment"}
    want = an.make_events(colleen, customers=table, seed=1, **keywords)
    old = MAKE_EVENTS_OLD[new]
    old_spelling = {k: v for k, v in keywords.items() if k != new} | {old: keywords[new]}
    said = rf"make_events\({old}=\.\.\.\) is deprecated; use .*\({new}="
    with pytest.warns(CJMDeprecationWarning, match=said):
        got = an.make_events(colleen, customers=table, seed=1, **old_spelling)
    pd.testing.assert_frame_equal(got, want)
    with pytest.raises(TypeError, match=f"got both {old}="):
        an.make_events(colleen, customers=table, seed=1, **keywords, **{old: keywords[new]})


def test_segment_customers_old_id_keyword_warns_naming_customer_col():
    table = ps.make_customers(60, segments=2, seed=1).drop(columns="planted_segment")
    want = ps.segment_customers(table, k=2, customer_col="customer_id")
    said = r"segment_customers\(id=\.\.\.\) is deprecated; use .*\(customer_col="
    with pytest.warns(CJMDeprecationWarning, match=said):
        got = ps.segment_customers(table, k=2, id="customer_id")
    _same(got.assignments, want.assignments)
    _same(got.profile, want.profile)
    assert got.definition == want.definition
    # the fifth positional argument is still the customer id column
    _same(ps.segment_customers(table, None, 2, 0, "customer_id").assignments, want.assignments)
    with pytest.raises(TypeError, match="got both id= \\(the old name\\) and customer_col="):
        ps.segment_customers(table, k=2, id="customer_id", customer_col="customer_id")


@pytest.mark.parametrize("new", ["segment_col", "customer_col", "time_col", "event_col", "score_col",
                                 "touchpoint_col"])  # fmt: skip
def test_report_old_keywords_warn_before_the_inputs_are_checked(new):
    said = rf"report\({_old(new)}=\.\.\.\) is deprecated; use .*{new}="
    with (
        pytest.warns(CJMDeprecationWarning, match=said),
        pytest.raises(ValueError, match=r"must be an \.html file"),
    ):
        report("colleen", "colleen.txt", **{_old(new): "x"})
    with pytest.raises(TypeError, match=f"got both {_old(new)}="):
        report("colleen", "colleen.txt", **{_old(new): "x", new: "x"})


# -- C1: data first ---------------------------------------------------------------------------------


def test_measure_in_the_old_order_warns_naming_the_new_call_and_gives_the_same_result(raw, colleen):
    answers = an.make_surveys(raw, colleen, seed=2)
    new_j, old_j = colleen.copy(), colleen.copy()
    want = _quiet(an.measure, raw, new_j, answers, segment_col="segment")
    said = r"call measure\(events, journey, \.\.\.\) \(the data comes first\)"
    with pytest.warns(CJMDeprecationWarning, match=said):
        got = _quiet(an.measure, old_j, raw, answers, segment_col="segment")
    _same(got, want)
    pd.testing.assert_frame_equal(old_j.metrics.drop(columns="id"), new_j.metrics.drop(columns="id"))
    pd.testing.assert_frame_equal(old_j.emotions.drop(columns="id"), new_j.emotions.drop(columns="id"))


def test_make_surveys_in_the_old_order_warns_naming_the_new_call_and_gives_the_same_answers(raw, colleen):
    want = an.make_surveys(raw, colleen, response_rate=0.3, seed=4)
    with pytest.warns(CJMDeprecationWarning, match=r"call make_surveys\(events, journey, \.\.\.\)"):
        got = an.make_surveys(colleen, raw, response_rate=0.3, seed=4)
    pd.testing.assert_frame_equal(got, want)


def test_the_new_order_and_keywords_do_not_warn(raw, colleen):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        answers = an.make_surveys(raw, colleen, seed=5)
        _quiet(an.measure, raw, colleen.copy(), answers, segment_col="segment")


# -- no old column keyword left ---------------------------------------------------------------------


#: every old column keyword: the analytics' and personas' (``customer``, ``time``, ...),
#: ``id`` (``make_events``, ``segment_customers``) and the plots' (``stage``, ``count``, ``source``...)
OLD_KEYWORDS = {*OLD_COLUMN_KEYWORDS, "id", *FUNNEL_KEYWORDS, *TRANSITION_KEYWORDS}


def _public_callables() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in (an, ps, plots):
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not typing.is_typeddict(obj) and not isinstance(obj, type):
                found[f"{module.__name__}.{name}"] = obj
            elif isinstance(obj, type) and not typing.is_typeddict(obj):
                found[f"{module.__name__}.{name}"] = obj.__init__
    for method in ("measure", "plot", "add_persona_from_segment"):
        found[f"Journey.{method}"] = getattr(Journey, method)
    found["personas.behaviour.behaviour_table"] = behaviour_table
    found["plots.funnel_chart.funnel_steps"] = funnel_steps
    found["sharing.report"] = report
    return found


#: parameters named like an old keyword that are values, not column names
FROM_SEGMENT = ("cjm_jupyter.personas.persona_from_segment", "Journey.add_persona_from_segment")
VALUES = {
    *((f, "segment") for f in FROM_SEGMENT),  # the segment's label
    *((f, "id") for f in FROM_SEGMENT),  # the new persona's row id
    *((f, "source") for f in FROM_SEGMENT),  # the persona's source cell ("kmeans", "interviews")
    ("cjm_jupyter.plots.touchpoint_heatmap", "value"),  # which measure: "emotion", "count" or "metric"
    ("cjm_jupyter.plots.journey_map", "segment"),  # the segment whose metrics the map shows
    ("Journey.plot", "segment"),  # the same
}


def _keywords(fn: Callable[..., Any]) -> set[str]:
    """Every keyword a call takes: its parameters and the keys of an ``**options: Unpack[...]``."""
    names = set()
    for p in inspect.signature(fn).parameters.values():
        if p.kind is not inspect.Parameter.VAR_KEYWORD:
            names.add(p.name)
            continue
        hint = p.annotation
        if isinstance(hint, str) and hint.startswith("Unpack["):
            name = hint[len("Unpack[") : -1]
            td = vars(metrics).get(name) or inspect.unwrap(fn).__globals__.get(name)
            assert td is not None, (fn, hint)
            names |= set(td.__annotations__)
    return names


def test_no_public_callable_takes_an_old_column_keyword():
    callables = _public_callables()
    assert {"cjm_jupyter.plots.flow", "cjm_jupyter.personas.segment_customers", "Journey.plot"} <= set(
        callables
    )
    offenders = {
        (name, key)
        for name, fn in callables.items()
        for key in _keywords(fn) & OLD_KEYWORDS
        if (name, key) not in VALUES
    }
    assert offenders == set()


def test_the_values_named_like_old_keywords_are_still_there():
    callables = _public_callables()
    stale = {(name, key) for name, key in VALUES if key not in _keywords(callables[name])}
    assert stale == set(), "drop these from VALUES"


def test_the_keyword_bundles_use_the_new_names():
    bundles = [metrics.LogOptions, metrics.FunnelOptions, metrics.TransitionOptions, metrics.VariantOptions,
               MeasureOptions]  # fmt: skip
    for bundle in bundles:
        assert set(bundle.__annotations__) & set(OLD_COLUMN_KEYWORDS) == set(), bundle.__name__
    assert {"customer_col", "time_col", "event_col", "segment_col"} <= set(metrics.LogOptions.__annotations__)
    measured = set(MeasureOptions.__annotations__)
    assert {"score_col", "touchpoint_col", "respondent_col", "value_col"} <= measured


def test_warnings_of_a_renamed_function_point_at_the_callers_line(raw, colleen):
    # the keyword-renaming wrapper adds a frame: a fixed stacklevel would name _deprecate.py
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        an.bounces(raw, colleen)
        an.analyze(raw, colleen, metrics=["bounces"])
        an.funnel(raw, colleen, customer="customer_id")
    ours = [w for w in caught if issubclass(w.category, (FutureWarning, CJMDeprecationWarning))]
    assert len(ours) == 3
    assert {w.filename for w in ours} == {__file__}
