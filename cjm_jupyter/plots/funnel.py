"""The stage funnel: customers per stage with conversion and drop-off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.models import FactorRange, Legend, LegendItem, NumeralTickFormatter, Range1d
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from .theme import GRID, MUTED, PERSONA_PALETTE, TEXT, segment_colors

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["funnel", "funnel_steps"]

#: Columns a funnel frame may carry pre-computed (fractions 0..1 and a count).
RATE_COLUMNS = ("conversion", "conversion_from_start", "drop_off")
HOVER_FIELDS = (
    ("Stage", "stage"),
    ("Segment", "segment"),
    ("Customers", "customers_text"),
    ("Conversion from previous", "conversion_text"),
    ("Conversion from start", "from_start_text"),
    ("Drop-off", "drop_off_text"),
)


def funnel(
    data: pd.DataFrame | Journey,
    *,
    stage: str = "stage",
    count: str = "customers",
    segment: str | None = None,
    title: str | None = None,
    width: int = 900,
    height: int | None = None,
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
        named ``count`` (default ``"customers"``, case-insensitive), in
        journey stage order, with the metrics' ``segment`` column as segment.
    stage, count : str
        Names of the stage and customers columns (for a journey, ``count`` is
        the metric name).
    segment : str, optional
        Name of the segment column (default: ``"segment"`` when the frame
        has one); each stage then gets one bar per segment, and rates are
        computed within each segment. A segment's colour is its rank among
        the sorted segment values (for a journey: of its metrics and
        emotions), the same as in the journey's other plots.
    title : str, optional
        Figure title.
    width, height : int
        Size in pixels (height defaults from the number of bars).

    Returns
    -------
    bokeh.plotting.figure

    Raises
    ------
    ValidationError
        A column is missing (named in the message), counts are not
        non-negative numbers, a stage repeats within a segment, the frame is
        empty, or the journey has no stage-level ``customers`` metrics.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.plots.funnel import funnel
    >>> steps = pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})
    >>> fig = funnel(steps)
    >>> fig.renderers[0].data_source.data["conversion"].tolist()[1:]
    [0.3, 0.4]
    """
    steps = funnel_steps(data, stage=stage, count=count, segment=segment)
    fig = _figure(steps, title or _default_title(data), width, height)
    _draw(fig, steps, _segment_colors(data, steps))
    return fig


def _segment_colors(data: pd.DataFrame | Journey, steps: pd.DataFrame) -> dict[str, str]:
    """Each bar's segment colour: the journey's own (:func:`~.theme.segment_colors`).

    For a frame, the same rule on its segment values (rank among the sorted
    distinct values), so a funnel of the same segments matches the journey's
    other plots. The unsegmented funnel ("All") takes the first colour.
    """
    colors = segment_colors(data if not isinstance(data, pd.DataFrame) else steps["segment"])
    return colors | {"All": PERSONA_PALETTE[0]}


def funnel_steps(
    data: pd.DataFrame | Journey,
    *,
    stage: str = "stage",
    count: str = "customers",
    segment: str | None = None,
) -> pd.DataFrame:
    """The funnel table drawn by :func:`funnel`.

    Returns
    -------
    DataFrame
        Columns ``stage``, ``segment`` (``"All"`` without segments),
        ``customers``, ``conversion``, ``conversion_from_start``,
        ``drop_off``, ``step`` (0-based position in the funnel).
    """
    if isinstance(data, pd.DataFrame):
        frame = _from_frame(data, stage, count, segment)
    elif hasattr(data, "metrics") and hasattr(data, "stages"):
        frame = _from_journey(data, count)
    else:
        raise ValidationError(f"funnel data must be a DataFrame or a Journey, got {type(data).__name__}")
    return _with_rates(frame)


def _from_frame(data: pd.DataFrame, stage: str, count: str, segment: str | None) -> pd.DataFrame:
    if segment is None and "segment" in data.columns:
        segment = "segment"
    columns = {"stage": stage, "count": count} | ({"segment": segment} if segment else {})
    c.as_frame(data, columns, what="funnel data")
    out = pd.DataFrame(
        {
            "stage": c.text(data[stage]),
            "segment": c.text(data[segment]) if segment else "All",
            "customers": c.numeric_column(data, count, what="funnel data").to_numpy(),
        }
    )
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
    steps["label"] = [_label(r) for r in steps.itertuples()]
    steps["end"] = np.fmax(steps["customers"], steps["previous"].fillna(0))
    return steps


def _label(row: Any) -> str:
    if row.step == 0:
        return f"{row.customers_text}  (start)"
    return "  ·  ".join(
        [row.customers_text, f"{row.conversion_text} of previous", f"{row.from_start_text} of start"]
    )


def _figure(steps: pd.DataFrame, title: str, width: int, height: int | None) -> figure:
    n_stages = steps["stage"].nunique()
    n_segments = steps["segment"].nunique()
    top = float(np.nanmax(np.fmax(steps["customers"], steps["previous"].fillna(0)))) or 1.0
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height or max(240, 90 + n_stages * (34 + 22 * n_segments)),
        y_range=FactorRange(factors=list(reversed(c.unique_labels(list(dict.fromkeys(steps["stage"])), 24)))),
        # Room on the right for the labels that follow the bars.
        x_range=Range1d(0, top * 1.7, bounds=(0, top * 3)),
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


def _draw(fig: figure, steps: pd.DataFrame, colors: dict[str, str]) -> None:
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
    lost_rows["mid"] = (lost_rows["customers"] + lost_rows["previous"]) / 2
    # The count lost is written inside its hatched bar when the bar is wide enough for it.
    wide = lost_rows["drop_off"] > 0.14 * float(steps["end"].max())
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
    fig.text(
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
        padding=2,
    )
    fig.text(
        x="end",
        y=y,
        text="label",
        source=source,
        x_offset=6,
        text_baseline="middle",
        text_font_size="12px" if steps["segment"].nunique() == 1 else "11px",
        text_color=TEXT,
    )
    fig.add_tools(c.hover(HOVER_FIELDS, [bars]))
    if steps["segment"].nunique() > 1:
        _segment_legend(fig, steps, bars)


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
