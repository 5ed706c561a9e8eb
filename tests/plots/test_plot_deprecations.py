"""Old column keywords of the plots: they still work for one release, with a warning.

C2 of the conventions in docs/guide/development.md: a keyword naming a column of the
frame a plot draws ends in ``_col`` (``funnel_chart(stage_col=, count_col=, segment_col=)``,
``flow``/``interaction_graph(source_col=, target_col=, count_col=)``). The old name
warns :class:`CJMDeprecationWarning` naming the new one and draws the same picture; both
names at once are a TypeError; the signatures show only the new names.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from bokeh.models import GraphRenderer
from bokeh.plotting import figure

from cjm_jupyter import Journey, plots
from cjm_jupyter.errors import CJMDeprecationWarning
from cjm_jupyter.plots.funnel_chart import funnel_steps

#: a funnel frame whose columns are none of the defaults: every keyword matters
STEPS = pd.DataFrame(
    {
        "step": ["Visit", "Cart", "Buy", "Visit", "Cart", "Buy"],
        "users": [1000, 300, 120, 500, 200, 90],
        "channel": ["web", "web", "web", "app", "app", "app"],
    }
)
FUNNEL = {"stage_col": "step", "count_col": "users", "segment_col": "channel"}
#: a transitions frame the same way
MOVES = pd.DataFrame(
    {"from": ["Search", "Search", "Website", "Reviews"], "to": ["Website", "Reviews", "Checkout", "Website"],
     "n": [800, 200, 350, 120]}
)  # fmt: skip
TRANSITIONS = {"source_col": "from", "target_col": "to", "count_col": "n"}


def _funnel_steps(**kw: Any) -> pd.DataFrame:
    return funnel_steps(STEPS, **kw)


#: name -> (call(**keywords), the new keywords of that call)
CASES: dict[str, tuple[Callable[..., Any], dict[str, str]]] = {
    "funnel_chart": (lambda **kw: plots.funnel_chart(STEPS, intervals=False, **kw), FUNNEL),
    "funnel_steps": (_funnel_steps, FUNNEL),
    "flow": (lambda **kw: plots.flow(MOVES, **kw), TRANSITIONS),
    "interaction_graph": (lambda **kw: plots.interaction_graph(MOVES, **kw), TRANSITIONS),
}
PAIRS = [(name, new) for name, (_, keywords) in CASES.items() for new in keywords]
IDS = [f"{name}-{new}" for name, new in PAIRS]


def _old(new: str) -> str:
    return new.removesuffix("_col")


def _drawn(fig: figure) -> list[dict[str, Any]]:
    """The data of every renderer, in order (a graph's nodes and edges): what the picture shows."""
    out = []
    for r in fig.renderers:
        if isinstance(r, GraphRenderer):
            out += [dict(r.node_renderer.data_source.data), dict(r.edge_renderer.data_source.data)]
        else:
            out.append(dict(r.data_source.data))
    return out


def _same(got: Any, want: Any) -> None:
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want)
        return
    np.testing.assert_equal(_drawn(got), _drawn(want))  # NaN equals NaN here
    titles = [getattr(f.title.text, "text", f.title.text) for f in (got, want)]  # a str or a PlainText
    assert (got.height, titles[0]) == (want.height, titles[1])


@pytest.mark.parametrize(("name", "new"), PAIRS, ids=IDS)
def test_an_old_plot_keyword_warns_naming_the_new_one_and_draws_the_same(name: str, new: str) -> None:
    call, keywords = CASES[name]
    want = call(**keywords)
    old_spelling = {k: v for k, v in keywords.items() if k != new} | {_old(new): keywords[new]}
    said = rf"{name}\({_old(new)}=\.\.\.\) is deprecated; use {name}\({new}=\.\.\.\)"
    with pytest.warns(CJMDeprecationWarning, match=said):
        got = call(**old_spelling)
    _same(got, want)


@pytest.mark.parametrize(("name", "new"), PAIRS, ids=IDS)
def test_the_old_and_the_new_plot_keyword_together_are_a_type_error(name: str, new: str) -> None:
    call, keywords = CASES[name]
    with pytest.raises(TypeError, match=rf"got both {_old(new)}= \(the old name\) and {new}="):
        call(**keywords, **{_old(new): keywords[new]})


def test_all_old_funnel_keywords_at_once_warn_once_naming_each_new_one() -> None:
    with pytest.warns(CJMDeprecationWarning) as caught:
        got = plots.funnel_chart(STEPS, stage="step", count="users", segment="channel", intervals=False)
    assert len(caught) == 1
    assert "use funnel_chart(stage_col=..., count_col=..., segment_col=...)" in str(caught[0].message)
    _same(got, plots.funnel_chart(STEPS, intervals=False, **FUNNEL))


def test_the_old_count_keyword_still_names_a_journeys_metric(colleen: Journey) -> None:
    j = colleen.copy()
    for stage, value in [("trigger", 400), ("research", 120), ("purchase", 30)]:
        j.add_metric("reached", value, stage=stage)
    want = plots.funnel_chart(j, count_col="reached", intervals=False)
    with pytest.warns(CJMDeprecationWarning, match=r"use funnel_chart\(count_col=\.\.\.\)"):
        got = plots.funnel_chart(j, count="reached", intervals=False)
    _same(got, want)


@pytest.mark.parametrize("name", ["funnel_chart", "flow", "interaction_graph"])
def test_a_plot_signature_shows_only_the_new_column_keywords(name: str) -> None:
    params = inspect.signature(getattr(plots, name)).parameters
    new = set(FUNNEL if name == "funnel_chart" else TRANSITIONS)
    assert new <= set(params)
    assert {_old(k) for k in new}.isdisjoint(params)
    assert all(params[k].kind is inspect.Parameter.KEYWORD_ONLY for k in new)


def test_a_missing_column_names_the_new_keyword_that_named_it() -> None:
    from cjm_jupyter.errors import ValidationError

    with pytest.raises(ValidationError, match=r"no column 'users' \(passed as count_col=\)"):
        plots.funnel_chart(STEPS.drop(columns="users"), stage_col="step", count_col="users")
    with pytest.raises(ValidationError, match=r"no column 'from' \(passed as source_col=\)"):
        plots.flow(MOVES.drop(columns="from"), **TRANSITIONS)
