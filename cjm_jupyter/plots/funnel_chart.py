"""The stage funnel: customers per step with conversion, its interval and drop-off.

The funnel frame of :func:`cjm_jupyter.analytics.funnel` names its counting
mode; the plot says it in a note under the title, with what the whiskers
(Wilson intervals of step conversion, drawn on the count axis as the
previous step's customers times the interval) and the significance marks of a
``comparison`` frame mean.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.models import FactorRange, NumeralTickFormatter, PlainText, Range1d
from bokeh.plotting import figure

from .._deprecate import renamed_keywords
from ..errors import ValidationError
from . import _common as c
from ._models import Legend, LegendItem, Title
from .theme import FONT, GRID, MUTED, PERSONA_PALETTE, TEXT, value_colors

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["funnel_chart", "funnel_steps"]

#: Columns a funnel frame may carry pre-computed (fractions 0..1 and a count).
RATE_COLUMNS = ("conversion", "conversion_from_start", "drop_off")
HOVER_FIELDS = (
    ("Stage", "stage"),
    ("Segment", "segment"),
    ("Customers", "customers_text"),
    ("Conversion from previous", "conversion_text"),
    ("Conversion from start", "from_start_text"),
    ("Drop-off", "drop_off_text"),
    ("Conversion 95% interval", "interval_text"),
    ("p adjusted", "p_text"),
)
#: how the plot names each counting mode of the analytics funnel
MODE_NAMES = {"first_reach": "first-reach funnel", "sequential": "sequential funnel"}
#: the old column keywords (before ``_col``), accepted for one release with a warning
OLD_KEYWORDS = {"stage": "stage_col", "count": "count_col", "segment": "segment_col"}


@renamed_keywords(**OLD_KEYWORDS)
def funnel_chart(
    data: pd.DataFrame | Journey,
    *,
    stage_col: str = "stage",
    count_col: str = "customers",
    segment_col: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
    mode: str | None = None,
    intervals: bool = True,
    comparison: pd.DataFrame | None = None,
    journey: Journey | None = None,
) -> figure:
    """Draw a stage funnel: customers per stage, conversion and drop-off.

    Each stage is a bar of its customers; a hatched extension shows the
    customers lost since the previous stage. The label after each bar gives
    the count, the conversion from the previous stage and from the start.

    Parameters
    ----------
    data : DataFrame or Journey
        A tidy frame with **one row per stage (and segment)**, in funnel
        order:

        =========================  ============================================
        column                     holds
        =========================  ============================================
        ``stage``                  stage id or name, in funnel order
        ``customers``              customers who reached the stage (int >= 0)
        ``segment`` (optional)     segment name; one bar per segment and stage
        ``conversion``             (optional) customers / previous stage's
                                   customers, a fraction 0..1 (first: NaN)
        ``conversion_from_start``  (optional) customers / first stage's
                                   customers, a fraction 0..1
        ``drop_off``               (optional) previous stage's customers
                                   minus customers (first stage: NaN)
        =========================  ============================================

        The optional rate columns are computed when absent (or missing in a
        row); given values win, so an analytics engine may pass exact
        user-level rates. Or a :class:`Journey`: its stage-level metric rows
        named ``count_col`` (default ``"customers"``, case-insensitive), in
        journey stage order, with the metrics' ``segment`` column as segment.
    stage_col, count_col : str
        Names of the stage and customers columns of ``data`` (for a journey,
        ``count_col`` is the name of the metric holding the counts).
        ``stage=`` and ``count=``, the old names, work for one release with a
        :class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
    segment_col : str, optional
        Name of the segment column (default: ``"segment"`` when the frame
        has one; ``segment=``, the old name, works for one release with a
        warning); each stage then gets one bar per segment, and rates are
        computed within each segment. A segment's colour is its rank among
        the sorted segment values (for a journey: of its metrics and
        emotions), the same as in the journey's other plots.
    title : str, optional
        Figure title.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels. Default ``None``: the height the bars need (from
        the number of steps and segments; at least 240).
    mode : str, optional
        How the counts were made, named in the note under the title
        ("sequential funnel", "first-reach funnel"; other text as given).
        Default: the frame's ``mode`` column or ``.attrs["mode"]`` (as
        :func:`cjm_jupyter.analytics.funnel` sets them); none for a journey.
    intervals : bool
        Draw the 95% Wilson interval of each step's conversion as a whisker
        around the bar's end (the previous step's customers times the
        interval's bounds). Only where the conversion is a proportion: not on
        the first step, nor where a step has more customers than the one
        before (first-reach mode) or a count is fractional. Needs the
        ``stats`` extra (statsmodels).
    comparison : DataFrame, optional
        A :func:`cjm_jupyter.analytics.compare_segments` frame: its
        ``"conversion"`` rows marked ``significant`` put a ``*`` after the
        segment's bar at that step, and the hover shows ``p_adjusted``. Rows
        are matched by segment and step (``touchpoint_id``, else
        ``stage_id``, against the funnel's ``step_id``/``stage_id``; names
        for a frame without ids).
    journey : Journey, optional
        The map the frame's segments belong to: a segment value that is a
        persona's id or name, or a segment a persona was made from, takes
        that persona's colour, as on the map and the persona cards (see
        :func:`~.theme.value_colors`). Default: the journey given as ``data``.

    Returns
    -------
    bokeh.plotting.figure

    Raises
    ------
    ValidationError
        A column is missing (named in the message), counts are not
        non-negative numbers, a stage repeats within a segment, the frame is
        empty, the journey has no stage-level ``customers`` metrics, or
        ``comparison`` lacks a column it needs.
    ImportError
        ``intervals=True`` without statsmodels (``pip install "cjm_jupyter[stats]"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.plots.funnel_chart import funnel_chart
    >>> steps = pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})
    >>> fig = funnel_chart(steps)
    >>> fig.renderers[0].data_source.data["conversion"].tolist()[1:]
    [0.3, 0.4]
    """
    steps = funnel_steps(data, stage_col=stage_col, count_col=count_col, segment_col=segment_col)
    if intervals:
        steps = _with_intervals(steps)
    marks = comparison is not None
    if marks:
        _warn_if_other_funnel(data, comparison)
        steps = _with_marks(steps, comparison)
    width = c.check_width(width)
    height = c.check_height(height)
    fig = _figure(steps, title or _default_title(data), width, height)
    if journey is None and not isinstance(data, pd.DataFrame):
        journey = data
    _draw(fig, steps, _segment_colors(steps, journey), marks)
    note = _note(_mode_of(data, mode), intervals, comparison)
    if note:
        fig.add_layout(
            Title(text=PlainText(text=c.wrap_note(note, width)), text_font=FONT, text_font_size="12px",
                  text_color=MUTED, text_font_style="normal", name="funnel_note"),
            "above",
        )  # fmt: skip
    return fig


def _mode_of(data: Any, mode: str | None) -> str | None:
    """Return the counting mode: given, else the frame's ``mode`` column or ``.attrs``."""
    if mode is None and isinstance(data, pd.DataFrame):
        values = data["mode"].dropna().unique() if "mode" in data.columns else []
        mode = str(values[0]) if len(values) == 1 else data.attrs.get("mode")
    return None if mode is None else MODE_NAMES.get(str(mode), str(mode))


def _note(mode: str | None, intervals: bool, comparison: pd.DataFrame | None) -> str:
    """Return the line under the title: the mode, what the whiskers and the marks mean."""
    parts = [mode[:1].upper() + mode[1:]] if mode else []
    if intervals:
        parts.append("whiskers: 95% Wilson interval of step conversion")
    if comparison is not None:
        attrs = comparison.attrs
        base = f" {attrs['baseline']}" if attrs.get("baseline") is not None else ""
        parts.append(
            f"* differs from the baseline{base}: p adjusted ({attrs.get('adjust', 'holm')}) "
            f"< {attrs.get('alpha', 0.05)}"
        )
    return " · ".join(parts)


def _with_intervals(steps: pd.DataFrame) -> pd.DataFrame:
    """Whisker ends on the count axis: previous customers times the Wilson bounds of conversion."""
    from ..analytics.stats import wilson_interval

    steps = steps.copy()
    s, n = steps["customers"].to_numpy(dtype=float), steps["previous"].to_numpy(dtype=float)
    # a proportion only: a later step, whole counts, no more customers than the step before
    ok = (n > 0) & (s <= n) & (s == np.round(s)) & (n == np.round(n))
    low, high = np.full(len(steps), np.nan), np.full(len(steps), np.nan)
    if ok.any():
        lo, hi = wilson_interval(s[ok].astype("int64"), n[ok].astype("int64"))
        low[ok], high[ok] = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    steps["ci_low"], steps["ci_high"] = low, high
    steps["ci_low_n"], steps["ci_high_n"] = low * n, high * n
    return steps


def _with_marks(steps: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """``mark`` ("*" where significant) and ``p_adjusted`` per bar from a compare_segments frame."""
    c.as_frame(comparison, {"metric": "metric", "segment": "segment", "significant": "significant"},
               what="comparison")  # fmt: skip
    rows = comparison[comparison["metric"] == "conversion"]
    by_id = "step_id" in steps.columns and any(col in rows.columns for col in ("stage_id", "touchpoint_id"))
    place = _place_keys(rows, ids=by_id)
    # A frame without p_adjusted (marks typed by hand) has none to show in the hover.
    p_adjusted = rows["p_adjusted"] if "p_adjusted" in rows.columns else [np.nan] * len(rows)
    found = {
        (str(seg), key): (bool(sig), p)
        for seg, key, sig, p in zip(rows["segment"], place, rows["significant"], p_adjusted, strict=True)
    }
    keys = steps["step_id"] if by_id else steps["stage"]
    hits = [found.get((seg, str(k)), (False, np.nan)) for seg, k in zip(steps["segment"], keys, strict=True)]
    steps = steps.copy()
    steps["mark"] = ["*" if sig else "" for sig, _ in hits]
    steps["p_adjusted"] = [float(p) if p is not None else np.nan for _, p in hits]
    return steps


def _warn_if_other_funnel(data: Any, comparison: pd.DataFrame) -> None:
    """Warn when the comparison counted another funnel (mode, start, goal) than the frame drawn.

    Both carry them in ``.attrs`` (``analytics.funnel``, ``compare_segments``):
    a mark tested on sequential counts drawn on a first-reach bar would claim
    a difference of other numbers.
    """
    if not isinstance(data, pd.DataFrame):
        return
    differ = [
        f"{key} {data.attrs[key]!r} vs {comparison.attrs[key]!r}"
        for key in ("mode", "start", "goal")
        if data.attrs.get(key) is not None
        and comparison.attrs.get(key) is not None
        and data.attrs[key] != comparison.attrs[key]
    ]
    if differ:
        warnings.warn(
            "the comparison's marks were tested on another funnel than the one drawn ("
            + ", ".join(differ)
            + "): compute both with the same mode, start and goal",
            UserWarning,
            stacklevel=3,
        )


def _place_keys(rows: pd.DataFrame, *, ids: bool) -> list[str]:
    """Each comparison row's step: its touchpoint (id or name) where it has one, else its stage."""
    tp, st = ("touchpoint_id", "stage_id") if ids else ("touchpoint", "stage")
    tps = rows[tp] if tp in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    stages = rows[st] if st in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    return [str(t) if isinstance(t, str) and t else str(s) for t, s in zip(tps, stages, strict=True)]


def _segment_colors(steps: pd.DataFrame, journey: Journey | None) -> dict[str, str]:
    """Each bar's segment colour (:func:`~.theme.value_colors`; for a journey its own colours).

    Without a journey, the rank among the sorted distinct segment values, so a
    funnel of the same segments matches the journey's other plots. The
    unsegmented funnel ("All") takes the first colour.
    """
    return value_colors(steps["segment"], journey) | {"All": PERSONA_PALETTE[0]}


@renamed_keywords(**OLD_KEYWORDS)
def funnel_steps(
    data: pd.DataFrame | Journey,
    *,
    stage_col: str = "stage",
    count_col: str = "customers",
    segment_col: str | None = None,
) -> pd.DataFrame:
    """Return the funnel table drawn by :func:`funnel_chart`.

    Parameters
    ----------
    data : DataFrame or Journey
        As for :func:`funnel_chart`.
    stage_col, count_col, segment_col : str
        As for :func:`funnel_chart` (the old names ``stage=``, ``count=``,
        ``segment=`` work for one release with a warning).

    Returns
    -------
    DataFrame
        Columns ``stage``, ``segment`` (``"All"`` without segments),
        ``customers``, ``step_id`` (the frame's ``step_id`` or ``stage_id``,
        else the stage label), ``conversion``, ``conversion_from_start``,
        ``drop_off``, ``step`` (0-based position in the funnel), ``previous``
        (the previous step's customers).

    Examples
    --------
    >>> import pandas as pd
    >>> steps = pd.DataFrame({"step": ["Visit", "Buy"], "users": [10, 4]})
    >>> funnel_steps(steps, stage_col="step", count_col="users")["conversion"].tolist()
    [nan, 0.4]
    """
    if isinstance(data, pd.DataFrame):
        frame = _from_frame(data, stage_col, count_col, segment_col)
    elif hasattr(data, "metrics") and hasattr(data, "stages"):
        frame = _from_journey(data, count_col)
    else:
        raise ValidationError(f"funnel data must be a DataFrame or a Journey, got {type(data).__name__}")
    return _with_rates(frame)


def _from_frame(data: pd.DataFrame, stage: str, count: str, segment: str | None) -> pd.DataFrame:
    if segment is None and "segment" in data.columns:
        segment = "segment"
    # keyed by the keyword that named each column: the error message says which to fix
    columns = {"stage_col": stage, "count_col": count} | ({"segment_col": segment} if segment else {})
    c.as_frame(data, columns, what="funnel data")
    out = pd.DataFrame(
        {
            "stage": c.text(data[stage]),
            "segment": c.text(data[segment]) if segment else "All",
            "customers": c.numeric_column(data, count, what="funnel data").to_numpy(),
        }
    )
    # the step's id (analytics frames): how a comparison frame's rows find their bar
    ident = next((col for col in ("step_id", "stage_id") if col in data.columns), None)
    out["step_id"] = c.text(data[ident]) if ident else out["stage"]
    for col in RATE_COLUMNS:
        out[col] = pd.to_numeric(data[col], errors="coerce").to_numpy() if col in data else np.nan
    return _check_unique(out)


def _from_journey(journey: Journey, metric: str) -> pd.DataFrame:
    met = journey.metrics
    hit = met[(met["name"].str.strip().str.lower() == metric.lower()).fillna(False) & met["stage_id"].notna()]
    if hit.empty:
        raise ValidationError(
            f"a funnel needs stage-level metric rows named {metric!r}, e.g. "
            f"journey.add_metric({metric!r}, 1200, stage=<stage id>), or a DataFrame with columns "
            "'stage' and 'customers'",
            frame="metrics",
            column="name",
            value=metric,
        )
    stages = journey.stages.set_index("id")
    hit = hit.assign(_rank=hit["stage_id"].map(stages["order"])).sort_values("_rank", kind="stable")
    out = pd.DataFrame(
        {
            "stage": c.text(hit["stage_id"].map(stages["name"])),
            "segment": [s if s != c.MISSING else "All" for s in c.text(hit["segment"])],
            "customers": hit["value"].astype("float64").to_numpy(),
            "step_id": c.text(hit["stage_id"]),
        }
    )
    for col in RATE_COLUMNS:
        out[col] = np.nan
    return _check_unique(out)


def _check_unique(frame: pd.DataFrame) -> pd.DataFrame:
    dup = frame.duplicated(["segment", "stage"])
    if dup.any():
        row = frame[dup].iloc[0]
        raise ValidationError(
            f"stage {row['stage']!r} appears twice in segment {row['segment']!r}; "
            "a funnel frame has one row per stage (and segment)",
            frame="funnel data",
            column="stage",
            value=row["stage"],
        )
    return frame


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill conversion, conversion from start and drop-off where not given."""
    frame = frame.reset_index(drop=True)
    grouped = frame.groupby("segment", sort=False)["customers"]
    previous = grouped.shift(1)
    first = grouped.transform("first")
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = {
            "conversion": previous.pipe(lambda p: frame["customers"] / p.where(p > 0)),
            "conversion_from_start": frame["customers"] / first.where(first > 0),
            "drop_off": previous - frame["customers"],
        }
    for col, values in computed.items():
        frame[col] = frame[col].astype("float64").fillna(values)
    frame["step"] = frame.groupby("segment", sort=False).cumcount()
    frame["previous"] = previous
    return frame


def _default_title(data: Any) -> str:
    name = getattr(data, "name", None)
    return f"Funnel — {name}" if isinstance(name, str) else "Funnel"


def _labels(steps: pd.DataFrame, colors: dict[str, str]) -> pd.DataFrame:
    """Factor per stage, bar offsets per segment and text for labels and hover."""
    steps = steps.copy()
    stages = list(dict.fromkeys(steps["stage"]))
    labels = dict(zip(stages, c.unique_labels(stages, 24), strict=True))
    steps["y"] = steps["stage"].map(labels)
    segments = list(dict.fromkeys(steps["segment"]))
    k = len(segments)
    band = 0.8 / k
    steps["offset"] = steps["segment"].map({s: (k - 1) / 2 * band - i * band for i, s in enumerate(segments)})
    # (factor, offset) coordinates put each segment's bar inside its stage's band.
    steps["y_pos"] = [(f, o) for f, o in zip(steps["y"], steps["offset"], strict=True)]
    steps["color"] = steps["segment"].map(colors).fillna(MUTED)
    steps["customers_text"] = c.number_text(steps["customers"])
    steps["conversion_text"] = c.number_text(steps["conversion"] * 100, "{:.1f}%")
    steps["from_start_text"] = c.number_text(steps["conversion_from_start"] * 100, "{:.1f}%")
    steps["drop_off_text"] = c.number_text(steps["drop_off"])
    if "ci_low" in steps.columns:
        lo = c.number_text(steps["ci_low"] * 100, "{:.1f}%")
        hi = c.number_text(steps["ci_high"] * 100, "{:.1f}%")
        steps["interval_text"] = [f"{a} to {b}" if np.isfinite(x) else "" for a, b, x in
                                  zip(lo, hi, steps["ci_low"], strict=True)]  # fmt: skip
    if "p_adjusted" in steps.columns:
        steps["p_text"] = c.number_text(steps["p_adjusted"], "{:.3g}")
    steps["label"] = [_label(r) for r in steps.itertuples()]
    steps["end"] = np.fmax(steps["customers"], steps["previous"].fillna(0))
    return steps


def _label(row: Any) -> str:
    if row.step == 0:
        return f"{row.customers_text}  (start)"
    return "  ·  ".join(
        [row.customers_text, f"{row.conversion_text} of previous", f"{row.from_start_text} of start"]
    )


def _figure(steps: pd.DataFrame, title: str, width: int | None, height: int | None) -> figure:
    n_stages = steps["stage"].nunique()
    n_segments = steps["segment"].nunique()
    top = float(np.nanmax(np.fmax(steps["customers"], steps["previous"].fillna(0)))) or 1.0
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height or max(240, 90 + n_stages * (34 + 22 * n_segments)),
        y_range=FactorRange(factors=list(reversed(c.unique_labels(list(dict.fromkeys(steps["stage"])), 24)))),
        # Room on the right for the labels that follow the bars.
        x_range=Range1d(start=0, end=top * 1.7, bounds=(0, top * 3)),
        tools="save,reset,xpan,xwheel_zoom",
    )
    fig.xaxis[0].formatter = NumeralTickFormatter(format="0,0")
    fig.xaxis[0].axis_label = "customers"
    fig.ygrid.grid_line_color = None
    fig.yaxis.major_label_text_font_style = "bold"
    fig.yaxis.major_label_text_font_size = "13px"
    fig.yaxis.axis_line_color = None
    fig.yaxis.major_tick_line_color = None
    fig.xgrid.grid_line_alpha = 0.4
    return fig


def _draw(fig: figure, steps: pd.DataFrame, colors: dict[str, str], marks: bool) -> None:
    steps = _labels(steps, colors)
    height = 0.8 / steps["segment"].nunique() * 0.86
    source = c.cds(steps)
    y = "y_pos"
    bars = fig.hbar(
        y=y,
        left=0,
        right="customers",
        height=height,
        source=source,
        fill_color="color",
        line_color=None,
        name="bars",
    )
    lost_rows = steps[steps["drop_off"] > 0].copy()
    # The count lost is written inside its hatched bar, clear of the interval's whisker,
    # when the space left there is wide enough for it.
    free = np.fmax(lost_rows["customers"], lost_rows.get("ci_high_n", lost_rows["customers"]).fillna(0))
    lost_rows["mid"] = (free + lost_rows["previous"]) / 2
    wide = lost_rows["previous"] - free > 0.14 * float(steps["end"].max())
    lost_rows["lost_label"] = [
        f"\u2212{t} lost" if w else "" for t, w in zip(lost_rows["drop_off_text"], wide, strict=True)
    ]
    lost = c.cds(lost_rows)
    fig.hbar(
        y="y_pos",
        left="customers",
        right="previous",
        height=height,
        source=lost,
        fill_color="#ffffff",
        line_color=GRID,
        hatch_pattern="/",
        hatch_color=MUTED,
        hatch_alpha=0.35,
        hatch_scale=8,
    )
    fig.text(  # type: ignore[call-arg]  # Text has background_fill_*; Bokeh's TextArgs omits them
        x="mid",
        y="y_pos",
        text="lost_label",
        source=lost,
        text_align="center",
        text_baseline="middle",
        text_font_size="11px",
        text_color=MUTED,
        background_fill_color="#ffffff",
        background_fill_alpha=0.9,
        padding=2,  # type: ignore[arg-type]  # Bokeh's hint is the Property, not its int value
    )
    if "ci_low_n" in steps.columns:
        _whiskers(fig, steps[np.isfinite(steps["ci_low_n"])])
    if marks:
        # the mark sits right after the bar (and its hatched loss); the label moves over for it
        fig.text(x="end", y=y, text="mark", source=source, x_offset=5, text_baseline="middle",
                 text_font_size="15px", text_font_style="bold", text_color=TEXT, name="marks")  # fmt: skip
    fig.text(
        x="end",
        y=y,
        text="label",
        source=source,
        x_offset=18 if marks else 6,
        text_baseline="middle",
        text_font_size="12px" if steps["segment"].nunique() == 1 else "11px",
        text_color=TEXT,
    )
    fig.add_tools(c.hover([f for f in HOVER_FIELDS if f[1] in steps.columns], [bars]))
    if steps["segment"].nunique() > 1:
        _segment_legend(fig, steps, bars)


def _whiskers(fig: figure, rows: pd.DataFrame) -> None:
    """Draw the conversion interval on the count axis: a line with end caps across the bar's end."""
    if rows.empty:
        return
    src = c.cds(rows[["y_pos", "ci_low_n", "ci_high_n", "stage", "segment", "interval_text"]])
    fig.segment(x0="ci_low_n", x1="ci_high_n", y0="y_pos", y1="y_pos", source=src, line_color=TEXT,
                line_width=1.5, line_alpha=0.8, name="intervals")  # fmt: skip
    for end in ("ci_low_n", "ci_high_n"):
        fig.scatter(x=end, y="y_pos", source=src, marker="dash", angle=np.pi / 2, size=9,
                    line_color=TEXT, line_width=1.5, line_alpha=0.8)  # fmt: skip


def _segment_legend(fig: figure, steps: pd.DataFrame, bars: Any) -> None:
    """One key per segment, drawn from the segment's first bar."""
    first_rows = steps.reset_index(drop=True).drop_duplicates("segment")
    items = [
        LegendItem(label=str(seg), renderers=[bars], index=int(i))
        for i, seg in zip(first_rows.index, first_rows["segment"], strict=True)
    ]
    fig.add_layout(Legend(items=items, orientation="horizontal"), "above")
    c.style_legend(fig, "top_left")
    for legend in fig.legend:
        legend.click_policy = "none"
