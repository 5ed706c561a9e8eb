"""Small inputs for every focused plot, and each plot built from them with a size.

Shared by the fit tests (``width=``, tests/plots/test_focused_fit.py) and the size
convention tests (``height=``, tests/plots/test_sizes.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from bokeh.models import LayoutDOM

from cjm_jupyter import templates
from cjm_jupyter.plots import (
    compare_personas,
    emotion_curve,
    empathy_map,
    flow,
    funnel_chart,
    interaction_graph,
    priority_matrix,
    segment_comparison,
    segment_profile,
    touchpoint_heatmap,
)

COLLEEN = templates.load("colleen")
MOVES = pd.DataFrame(
    {"source": ["Search", "Website", "Reviews"], "target": ["Website", "Reviews", "Website"],
     "count": [800, 300, 120]}
)  # fmt: skip
STEPS = pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})


def comparison() -> pd.DataFrame:
    """A compare_segments frame of one metric, two stages, two segments (as its doctest)."""
    return pd.DataFrame(
        {
            "metric": "conversion", "stage_id": ["s1", "s1", "s2", "s2"],
            "stage": ["Visit", "Visit", "Buy", "Buy"], "touchpoint_id": None, "touchpoint": None,
            "segment": ["web", "app"] * 2, "baseline": "web", "n": [900, 400, 900, 400],
            "value": [1.0, 1.0, 0.31, 0.42], "ci_low": [1.0, 1.0, 0.28, 0.37],
            "ci_high": [1.0, 1.0, 0.34, 0.47], "p_adjusted": [None, None, None, 0.0004],
            "significant": [False, False, False, True],
        }
    )  # fmt: skip


def profile() -> pd.DataFrame:
    """Two segments x two columns, as segment_customers' profile frame."""
    rows = [
        {"segment": seg, "size": 500, "share": 0.5, "column": col, "kind": "numeric", "typical": "3",
         "segment_value": 3.0, "rest_value": 2.0, "effect_size": eff, "rank": rank}
        for seg in ("Bargain", "Loyal")
        for rank, (col, eff) in enumerate((("age", -0.9), ("orders", 1.3)), start=1)
    ]  # fmt: skip
    return pd.DataFrame(rows)


#: Every focused Bokeh plot: name -> build(**size), size being ``width=`` and/or ``height=``.
FOCUSED: dict[str, Callable[..., LayoutDOM]] = {
    "emotion_curve": lambda **size: emotion_curve(COLLEEN, **size),
    "touchpoint_heatmap": lambda **size: touchpoint_heatmap(COLLEEN, value="count", **size),
    "funnel_chart": lambda **size: funnel_chart(STEPS, **size),
    "flow": lambda **size: flow(MOVES, **size),
    "interaction_graph": lambda **size: interaction_graph(MOVES, **size),
    "compare_personas": lambda **size: compare_personas(COLLEEN, **size),
    "compare_personas_bars": lambda **size: compare_personas(COLLEEN, kind="bars", **size),
    "segment_comparison": lambda **size: segment_comparison(comparison(), **size),
    "segment_profile": lambda **size: segment_profile(profile(), **size),
    "priority_matrix": lambda **size: priority_matrix(COLLEEN, **size),
    "empathy_map": lambda **size: empathy_map(templates.load("empathy"), **size),
}


def with_size(keyword: str) -> dict[str, Callable[[Any], LayoutDOM]]:
    """Each focused plot as ``build(value)`` giving ``value`` as its ``keyword`` (``"width"``...)."""
    return {name: (lambda b: lambda v: b(**{keyword: v}))(build) for name, build in FOCUSED.items()}
