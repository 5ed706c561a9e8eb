"""The touchpoint heat map: a stage x channel grid coloured by emotion, volume or a metric."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import pandas as pd
from bokeh.models import FactorRange, FixedTicker, LinearColorMapper
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from ._models import ColorBar
from .theme import EMOTION_PALETTE, FONT, MUTED

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["touchpoint_heatmap", "heatmap_cells"]

NO_CHANNEL = "(no channel)"
HOVER_FIELDS = (
    ("Stage", "stage"),
    ("Channel", "channel"),
    ("Value", "value_text"),
    ("n", "n_text"),
    ("Touchpoints", "touchpoints"),
)


def touchpoint_heatmap(
    journey: Journey,
    *,
    value: Literal["emotion", "count", "metric"] = "emotion",
    metric: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> figure:
    """Draw a stage x channel heat map of the journey's touchpoints.

    One cell per stage and channel that has touchpoints (stages run left to
    right in journey order; channels top to bottom in order of first use).

    Parameters
    ----------
    journey : Journey
        The map.
    value : {"emotion", "count", "metric"}
        What colours a cell: ``"emotion"`` the mean emotion score of the
        touchpoints' emotion rows (diverging palette, -2..+2); ``"count"``
        the number of touchpoints (volume); ``"metric"`` the mean ``value``
        of the touchpoint-level metric rows named ``metric``.
    metric : str, optional
        Metric name (``journey.metrics["name"]``), required with
        ``value="metric"``.
    title : str, optional
        Figure title (default: what is shown and the journey's name).
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels. Default ``None``: the height the rows need (from
        the number of channels; at least 260).

    Returns
    -------
    bokeh.plotting.figure
        Cells carry ``stage``, ``channel``, ``value``, ``n`` (rows behind the
        value) and ``touchpoints`` (names) for the hover.

    Raises
    ------
    ValidationError
        No touchpoints, no data for ``value`` (e.g. no touchpoint-level
        emotions, or no metric rows named ``metric``), or a bad argument.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots.heatmap import touchpoint_heatmap
    >>> fig = touchpoint_heatmap(templates.load("five_stage"), value="count")
    >>> len(fig.renderers[0].data_source.data["stage"])
    14
    """
    width = c.check_width(width)
    height = c.check_height(height)
    cells = heatmap_cells(journey, value=value, metric=metric)
    palette, low, high, label = _scale(cells, value, metric)
    cells["color"] = c.linear_colors(cells["value"], palette, low, high)
    cells["text_color"] = [c.text_color_on(col) for col in cells["color"]]
    cells = _axis_labels(cells)
    fig = _figure(cells, title or f"{label} by stage and channel — {journey.name}", width, height)
    _draw_cells(fig, cells, value)
    mapper = LinearColorMapper(palette=list(palette), low=low, high=high)
    bar = ColorBar(color_mapper=mapper, title=label, width=14, title_text_font=FONT, title_text_color=MUTED)
    bar.major_label_text_font = FONT
    if value == "emotion":
        bar.ticker = FixedTicker(ticks=c.EMOTION_TICKS)
        bar.major_label_overrides = c.EMOTION_TICK_LABELS
    fig.add_layout(bar, "right")
    return fig


def heatmap_cells(
    journey: Journey, *, value: Literal["emotion", "count", "metric"] = "emotion", metric: str | None = None
) -> pd.DataFrame:
    """Return the cells of :func:`touchpoint_heatmap` as a frame (one row per stage x channel).

    Columns: ``stage_key``, ``stage``, ``channel``, ``value`` (float, NaN when
    the cell has no data), ``n`` (rows behind ``value``; touchpoints for
    ``"count"``), ``touchpoints`` (names, comma-separated), ``stage_rank``.
    """
    if value not in ("emotion", "count", "metric"):
        raise ValidationError(f"value must be 'emotion', 'count' or 'metric', got {value!r}")
    if value == "metric" and not metric:
        raise ValidationError("value='metric' needs metric=<name of rows in journey.metrics>")
    tps = _touchpoints(journey)
    if value == "count":
        tps["v"], tps["k"] = 1.0, 1
        return _aggregate(tps, "sum")
    rows = _emotion_rows(journey) if value == "emotion" else _metric_rows(journey, str(metric))
    joined = tps.merge(rows, left_on="tp_id", right_on="touchpoint_id", how="left")
    joined["k"] = joined["v"].notna().astype(int)
    return _aggregate(joined, "mean")


def _touchpoints(journey: Journey) -> pd.DataFrame:
    tps = journey.touchpoints
    if tps.empty:
        raise ValidationError(
            "a heat map needs touchpoints; add them with Journey.add_touchpoint", frame="touchpoints"
        )
    stages = journey.stages.set_index("id")
    return pd.DataFrame(
        {
            "tp_id": tps["id"].astype(str),
            "touchpoint": tps["name"].astype(str),
            "stage_key": tps["stage_id"].astype(str),
            "stage": tps["stage_id"].map(stages["name"]).astype(str),
            "stage_rank": tps["stage_id"].map(stages["order"]).astype(int),
            "tp_rank": tps["order"].astype(int),
            "channel": tps["channel"].fillna(NO_CHANNEL).astype(str),
        }
    ).sort_values(["stage_rank", "tp_rank"])


def _emotion_rows(journey: Journey) -> pd.DataFrame:
    emo = journey.emotions.dropna(subset=["touchpoint_id"])
    if emo.empty:
        raise ValidationError(
            "no touchpoint-level emotions to colour the cells; add them with "
            "Journey.set_emotion(persona, touchpoint=..., score=...) or use value='count'",
            frame="emotions",
        )
    return pd.DataFrame({"touchpoint_id": emo["touchpoint_id"].astype(str), "v": emo["score"].astype(float)})


def _metric_rows(journey: Journey, metric: str) -> pd.DataFrame:
    met = journey.metrics
    met = met[(met["name"] == metric).fillna(False) & met["touchpoint_id"].notna()]
    if met.empty:
        names = ", ".join(sorted(set(journey.metrics["name"].dropna()))) or "none"
        raise ValidationError(
            f"no touchpoint-level metric rows named {metric!r}; metric names in this journey: {names}",
            frame="metrics",
            column="name",
            value=metric,
        )
    return pd.DataFrame({"touchpoint_id": met["touchpoint_id"].astype(str), "v": met["value"].astype(float)})


def _aggregate(rows: pd.DataFrame, how: str) -> pd.DataFrame:
    """One row per (stage, channel): the value, how many rows made it, touchpoint names."""
    grouped = rows.groupby(["stage_key", "channel"], sort=False)
    cells = grouped.agg(
        stage=("stage", "first"),
        stage_rank=("stage_rank", "first"),
        value=("v", how),
        n=("k", "sum"),
        touchpoints=("touchpoint", lambda s: ", ".join(dict.fromkeys(s))),
    ).reset_index()
    if how == "mean":
        cells.loc[cells["n"] == 0, "value"] = float("nan")
    return cells


def _scale(cells: pd.DataFrame, value: str, metric: str | None) -> tuple[tuple[str, ...], float, float, str]:
    if value == "emotion":
        return EMOTION_PALETTE, -2.0, 2.0, "Mean emotion"
    values = cells["value"].dropna()
    # Volumes and (non-negative) metrics are read against zero, so a lone value is not "the lowest".
    low = min(0.0, float(values.min()))
    high = float(values.max())
    if high <= low:
        high = low + 1.0
    return c.SEQUENTIAL_PALETTE, low, high, "Touchpoints" if value == "count" else str(metric)


def _axis_labels(cells: pd.DataFrame) -> pd.DataFrame:
    """Add ``x``/``y`` factors: short, unique stage and channel labels (full text in the hover).

    Categorical axes draw their factors verbatim, so the factors are the labels.
    Channels are ordered by their first stage, so the grid reads as a diagonal.
    """
    stages = cells.drop_duplicates("stage_key")
    stage_label = dict(zip(stages["stage_key"], c.unique_labels(stages["stage"], 18), strict=True))
    channels = list(dict.fromkeys(cells.sort_values("stage_rank", kind="stable")["channel"]))
    channel_label = dict(zip(channels, c.unique_labels(channels, 18), strict=True))
    return cells.assign(x=cells["stage_key"].map(stage_label), y=cells["channel"].map(channel_label))


def _figure(cells: pd.DataFrame, title: str, width: int | None, height: int | None) -> figure:
    x_factors = list(dict.fromkeys(cells.sort_values("stage_rank", kind="stable")["x"]))
    y_factors = list(dict.fromkeys(cells.sort_values("stage_rank", kind="stable")["y"]))
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height or max(260, 110 + 46 * len(y_factors)),
        x_range=FactorRange(factors=x_factors),
        y_range=FactorRange(factors=list(reversed(y_factors))),
        tools="save,reset",
        x_axis_location="above",
    )
    fig.grid.grid_line_color = None
    fig.axis.axis_line_color = None
    fig.axis.major_tick_line_color = None
    fig.xaxis.major_label_text_font_style = "bold"
    return fig


def _draw_cells(fig: figure, cells: pd.DataFrame, value: str) -> None:
    cells = cells.copy()
    fmt = "{:+.2f}" if value == "emotion" else ("{:,.0f}" if value == "count" else "{:,.3g}")
    cells["value_text"] = [c.MISSING if pd.isna(v) else fmt.format(v) for v in cells["value"]]
    cells["label"] = [
        "no data" if pd.isna(v) else t for v, t in zip(cells["value"], cells["value_text"], strict=True)
    ]
    cells["n_text"] = c.number_text(cells["n"])
    source = c.cds(cells.drop(columns=["stage_rank"]))
    rect = fig.rect(
        x="x",
        y="y",
        width=0.94,
        height=0.9,
        source=source,
        fill_color="color",
        line_color="#ffffff",
        line_width=2,
        hover_line_color="#424a53",
        hover_fill_color="color",
        name="cells",
    )
    fig.text(
        x="x",
        y="y",
        text="label",
        source=source,
        text_color="text_color",
        text_align="center",
        text_baseline="middle",
        text_font_size="13px",
    )
    fig.add_tools(c.hover(HOVER_FIELDS, [rect]))
