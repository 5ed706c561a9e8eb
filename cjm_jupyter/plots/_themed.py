"""Light and dark colours of a finished Bokeh model tree, applied at render time.

The plot builders only know light colours. :func:`plan` walks a finished
figure or layout (``model.references()``) and records, for every colour it
finds, the value to draw on a light page and on a dark one (:mod:`._dark`):
backgrounds, borders, axes, grids, titles, legends, glyph fills, lines and
text, and colours held in ``ColumnDataSource`` columns (the map's cards and
lane bands), whose dark values travel as extra columns. Canvas text is then
made readable on what is drawn under it: the dark fill of the card or band
whose box holds the text's anchor, or the plot's background.

:func:`themed` applies a plan while a plot is serialized and puts the user's
model back afterwards; for ``"auto"`` it adds :func:`auto_switch`, a
``CustomJS`` that picks light or dark in the browser from the page's theme
marker and follows later theme changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bokeh.core.property.vectorization import Field, Value
from bokeh.models import Block, ColumnDataSource, CustomJS, LayoutDOM, Marker, Model, Plot, Quad, Rect, Text
from bokeh.models.widgets import Markup

from . import theme
from ._dark import DARK_BACKGROUND, DARK_TEXT, Role, blend, dark_color, parse, readable_on
from ._models import GlyphRenderer, Legend

__all__ = ["Plan", "Swap", "auto_switch", "plan", "themed"]

_GLYPH_SLOTS = ("glyph", "selection_glyph", "nonselection_glyph", "hover_glyph", "muted_glyph")
_LEVELS = {"image": 0, "underlay": 1, "glyph": 2, "guide": 3, "annotation": 4, "overlay": 5}
#: Suffix of the extra column holding a colour column's dark values.
DARK_SUFFIX = "__cjm_dark"


@dataclass
class Swap:
    """One property of one model: its value on a light page and on a dark one."""

    model: Model
    attr: str
    light: Any
    dark: Any


@dataclass
class Plan:
    """What changes between light and dark, and the dark columns it needs."""

    swaps: list[Swap] = field(default_factory=list)
    columns: dict[tuple[ColumnDataSource, str], list[Any]] = field(default_factory=dict)

    def dark_spec(self, model: Model, attr: str) -> Any:
        for swap in self.swaps:
            if swap.model is model and swap.attr == attr:
                return swap.dark
        return model.lookup(attr).get_value(model)


def _role(attr: str) -> Role | None:
    if "hatch" in attr or "text_outline" in attr:
        return None
    for suffix, role in (("fill_color", "fill"), ("line_color", "line"), ("text_color", "text")):
        if attr.endswith(suffix):
            return role  # type: ignore[return-value]
    return None


def _color_attrs(model: Model) -> list[tuple[str, Role]]:
    return [(a, r) for a in sorted(model.properties()) if (r := _role(a)) is not None]


def plan(root: Model) -> Plan:
    """Collect the light and dark colours of every model under ``root`` (nothing is changed)."""
    out = Plan()
    models = list(root.references())
    glyph_sources: dict[int, ColumnDataSource] = {}
    for model in models:
        if isinstance(model, GlyphRenderer) and isinstance(model.data_source, ColumnDataSource):
            for slot in _GLYPH_SLOTS:
                glyph = getattr(model, slot, None)
                if isinstance(glyph, Model):
                    glyph_sources[id(glyph)] = model.data_source
    for model in models:
        if isinstance(model, LayoutDOM) and not isinstance(model, Plot):
            _layout_swap(out, model)
        elif id(model) in glyph_sources:
            _glyph_swaps(out, model, glyph_sources[id(model)])
        elif not isinstance(model, ColumnDataSource):
            _scalar_swaps(out, model)
    for model in models:
        if isinstance(model, Plot):
            _readable_text(out, model)
    return out


def _layout_swap(out: Plan, model: LayoutDOM) -> None:
    """Give a layout the page colour, so no other colour shows in the gaps between its plots."""
    styles = model.styles
    if not isinstance(styles, dict):  # a Styles model: the user's own styling, left alone
        return
    light = {**styles, "background-color": theme.BACKGROUND}
    dark = {**styles, "background-color": DARK_BACKGROUND}
    if isinstance(model, Markup):  # HTML text: its colour must follow the background
        light["color"], dark["color"] = theme.TEXT, DARK_TEXT
    out.swaps.append(Swap(model, "styles", light, dark))


def _scalar_swaps(out: Plan, model: Model) -> None:
    backdrop = DARK_BACKGROUND
    if isinstance(model, Legend) and model.background_fill_color is not None:
        backdrop = str(dark_color(model.background_fill_color, "fill"))
    for attr, role in _color_attrs(model):
        light = getattr(model, attr)
        if not isinstance(light, (str, tuple)):
            continue
        dark = dark_color(light, role)
        if role == "text" and isinstance(dark, str):
            dark = readable_on(dark, backdrop)
        if dark != light:
            out.swaps.append(Swap(model, attr, light, dark))


def _glyph_swaps(out: Plan, glyph: Model, source: ColumnDataSource) -> None:
    for attr, area_role in _color_attrs(glyph):
        # A marker is ink, not paper: a black star must turn light on a dark page.
        role: Role = "mark" if area_role == "fill" and isinstance(glyph, Marker) else area_role
        spec = glyph.lookup(attr).get_value(glyph)
        if isinstance(spec, Value):
            dark = dark_color(spec.value, role)
            if dark != spec.value:
                out.swaps.append(Swap(glyph, attr, spec, Value(dark)))
        elif isinstance(spec, Field) and _plain(spec) and spec.field in source.data:
            values = list(source.data[spec.field])
            darks = [dark_color(v, role) for v in values]
            if darks != values:
                name = f"{spec.field}{DARK_SUFFIX}_{role}"
                out.columns[(source, name)] = darks
                out.swaps.append(Swap(glyph, attr, spec, Field(name)))


def _plain(spec: Field) -> bool:
    """Tell whether a field has no transform (a colour mapper keeps its palette)."""
    return not isinstance(spec.transform, Model)


# -- text on what it is drawn on ----------------------------------------------------


def _rows(out: Plan, glyph: Model, attr: str, source: ColumnDataSource, n: int, *, dark: bool) -> list[Any]:
    """Return the per-row values of ``glyph.attr`` (dark: with the plan's dark specs and columns)."""
    spec = out.dark_spec(glyph, attr) if dark else glyph.lookup(attr).get_value(glyph)
    if isinstance(spec, Value):
        return [spec.value] * n
    if isinstance(spec, Field) and _plain(spec):
        values = out.columns.get((source, spec.field)) if dark else None
        if values is None and spec.field in source.data:
            values = list(source.data[spec.field])
        if values is not None:
            return list(values)
    return [None] * n


def _size(source: ColumnDataSource) -> int:
    return max((len(v) for v in source.data.values()), default=0)


def _numbers(values: Sequence[Any]) -> np.ndarray | None:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None


@dataclass
class _Area:
    """Boxes of one area renderer: numeric bounds, or categorical centres matched by equality."""

    x0: np.ndarray | None
    x1: np.ndarray | None
    y0: np.ndarray | None
    y1: np.ndarray | None
    x: list[Any]
    y: list[Any]
    fill: list[Any]
    alpha: list[Any]

    def top_row(self, px: Any, py: Any, fx: float | None, fy: float | None) -> int | None:
        """Return the last row whose box holds the point (drawn on top), or None."""
        if self.x0 is not None and self.x1 is not None and fx is not None:
            inside_x = (np.minimum(self.x0, self.x1) <= fx) & (fx <= np.maximum(self.x0, self.x1))
        else:
            inside_x = np.array([v == px for v in self.x], dtype=bool)
        if self.y0 is not None and self.y1 is not None and fy is not None:
            inside_y = (np.minimum(self.y0, self.y1) <= fy) & (fy <= np.maximum(self.y0, self.y1))
        else:
            inside_y = np.array([v == py for v in self.y], dtype=bool)
        hits = np.flatnonzero(inside_x & inside_y)
        return int(hits[-1]) if len(hits) else None


def _area(out: Plan, renderer: GlyphRenderer) -> _Area | None:
    glyph, source = renderer.glyph, renderer.data_source
    if not isinstance(source, ColumnDataSource) or not isinstance(glyph, (Quad, Rect, Block)):
        return None
    n = _size(source)

    def get(attr: str) -> list[Any]:
        return _rows(out, glyph, attr, source, n, dark=False)

    fill = _rows(out, glyph, "fill_color", source, n, dark=True)
    alpha = _rows(out, glyph, "fill_alpha", source, n, dark=False)
    if isinstance(glyph, Quad):
        x0, x1, y0, y1 = (_numbers(get(a)) for a in ("left", "right", "bottom", "top"))
        return _Area(x0, x1, y0, y1, [], [], fill, alpha)
    if isinstance(glyph, Block):
        x, y, w, h = (_numbers(get(a)) for a in ("x", "y", "width", "height"))
        if x is None or y is None or w is None or h is None:
            return None
        return _Area(x, x + w, y, y + h, [], [], fill, alpha)
    xs, ys, ws, hs = get("x"), get("y"), _numbers(get("width")), _numbers(get("height"))
    x, y = _numbers(xs), _numbers(ys)
    # DistanceSpec adds Rect.width_units/height_units at run time; Bokeh's .pyi omits them
    screen = glyph.width_units == "screen" or glyph.height_units == "screen"  # type: ignore[attr-defined]
    x0 = x - ws / 2 if x is not None and ws is not None and not screen else None
    y0 = y - hs / 2 if y is not None and hs is not None and not screen else None
    x1 = x + ws / 2 if x0 is not None and ws is not None and x is not None else None
    y1 = y + hs / 2 if y0 is not None and hs is not None and y is not None else None
    return _Area(x0, x1, y0, y1, xs, ys, fill, alpha)


def _ordered(plot: Plot) -> list[GlyphRenderer]:
    renderers = [r for r in plot.renderers if isinstance(r, GlyphRenderer) and r.visible]
    return sorted(renderers, key=lambda r: _LEVELS.get(r.level, 2))  # stable: list order within a level


def _readable_text(out: Plan, plot: Plot) -> None:
    """Dark text colours, per row, that read on the dark fill under each text's anchor."""
    base = plot.background_fill_color
    page = str(dark_color(base, "fill")) if base is not None and parse(base) else DARK_BACKGROUND
    areas: list[_Area] = []
    for renderer in _ordered(plot):
        if (area := _area(out, renderer)) is not None:
            areas.append(area)
            continue
        glyph, source = renderer.glyph, renderer.data_source
        if not isinstance(glyph, Text) or not isinstance(source, ColumnDataSource):
            continue
        n = _size(source)
        xs, ys = _rows(out, glyph, "x", source, n, dark=False), _rows(out, glyph, "y", source, n, dark=False)
        fx, fy = _numbers(xs), _numbers(ys)
        light = _rows(out, glyph, "text_color", source, n, dark=False)
        own = _rows(out, glyph, "background_fill_color", source, n, dark=True)
        own_alpha = _rows(out, glyph, "background_fill_alpha", source, n, dark=False)
        darks: list[Any] = []
        for i in range(n):
            backdrop = page
            for area in areas:
                row = area.top_row(xs[i], ys[i], None if fx is None else fx[i], None if fy is None else fy[i])
                if row is not None and parse(area.fill[row]) is not None:
                    backdrop = blend(str(area.fill[row]), _alpha(area.alpha[row]), backdrop)
            if parse(own[i]) is not None:
                backdrop = blend(str(own[i]), _alpha(own_alpha[i]), backdrop)
            colour = dark_color(light[i], "text")
            darks.append(readable_on(colour, backdrop) if isinstance(colour, str) else colour)
        _set_text(out, glyph, source, light, darks)


def _alpha(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1.0


def _set_text(out: Plan, glyph: Text, source: ColumnDataSource, light: list[Any], darks: list[Any]) -> None:
    out.swaps[:] = [s for s in out.swaps if not (s.model is glyph and s.attr == "text_color")]
    spec = glyph.lookup("text_color").get_value(glyph)
    if darks == light or not darks:
        return
    if len(set(map(str, darks))) == 1:
        out.swaps.append(Swap(glyph, "text_color", spec, Value(darks[0])))
        return
    name = f"text_color{DARK_SUFFIX}_{glyph.id}"
    out.columns[(source, name)] = darks
    out.swaps.append(Swap(glyph, "text_color", spec, Field(name)))


# -- applying a plan --------------------------------------------------------------------


@contextmanager
def themed(root: Model, mode: str) -> Iterator[Plan]:
    """``root`` drawn for ``mode`` inside the block ("light", "dark" or "auto"); restored after.

    "light" sets only the layouts' page colour; "dark" sets every dark colour;
    "auto" sets the light ones and adds :func:`auto_switch` to every plot (layouts
    stay transparent there). The dark columns live in the data sources inside the
    block only.
    """
    the_plan = plan(root)
    if mode == "auto":
        # BokehJS does not restyle a layout whose ``styles`` change while its children are
        # first laid out (when the switch runs), so in "auto" layouts keep no colour of their
        # own and the page shows between the plots: JupyterLab's own page colour.
        the_plan.swaps = [s for s in the_plan.swaps if s.attr != "styles"]
    originals = [(s.model, s.attr, s.model.lookup(s.attr).get_value(s.model)) for s in the_plan.swaps]
    plots = [m for m in root.references() if isinstance(m, Plot)]
    callback = auto_switch(the_plan) if mode == "auto" and the_plan.swaps and plots else None
    added = [] if mode == "light" else list(the_plan.columns)
    try:
        with _frozen(root):
            for source, name in added:
                source.data[name] = the_plan.columns[(source, name)]
            for swap in the_plan.swaps:
                setattr(swap.model, swap.attr, swap.dark if mode == "dark" else swap.light)
            if callback is not None:
                for p in plots:
                    p.js_on_change("inner_width", callback)
        yield the_plan
    finally:
        with _frozen(root):
            for p in plots if callback is not None else ():
                callbacks = dict(p.js_property_callbacks)
                kept = [cb for cb in callbacks.pop("change:inner_width", []) if cb is not callback]
                p.js_property_callbacks = {**callbacks, "change:inner_width": kept} if kept else callbacks
            for model, attr, value in originals:
                setattr(model, attr, value)
            for source, name in added:
                del source.data[name]


def _frozen(root: Model) -> AbstractContextManager[None]:
    """Batch the document's bookkeeping: one recompute of its models, not one per change."""
    doc = root.document
    return doc.models.freeze() if doc is not None else nullcontext()


def _js_value(value: Any) -> list[Any]:
    """``[kind, value]`` for the browser: Bokeh sends a Python dict as a Map, not an object."""
    if isinstance(value, Field):
        return ["field", value.field]
    if isinstance(value, Value):
        return ["value", value.value]
    if isinstance(value, dict):
        return ["style", [[k, v] for k, v in value.items()]]
    return ["plain", value]


#: Runs when a plot is first laid out (``inner_width`` set by BokehJS), and on resizes:
#: picks the page's theme, applies it once, and watches the page for theme switches.
_SWITCH_JS = """
const body = document.body;
const isDark = () => {
  const light = body.getAttribute("data-jp-theme-light");  // JupyterLab, nbconvert's lab template
  if (light === "false") return true;
  if (light === "true") return false;
  const c = body.classList;  // VS Code notebooks
  return c.contains("vscode-dark")
    || (c.contains("vscode-high-contrast") && !c.contains("vscode-high-contrast-light"));
};
const make = ([kind, v]) => kind === "field" ? {field: v} : kind === "value" ? {value: v}
  : kind === "style" ? Object.fromEntries(v) : v;
const key = swaps[0][0];
const states = (window.__cjm_theme_states ??= new WeakMap());
let state = states.get(key);
if (state === undefined) {
  state = {dark: false, update: null};
  state.update = () => {
    const dark = isDark();
    if (dark === state.dark) return;
    state.dark = dark;
    for (const [model, attr, light, darkValue] of swaps) model[attr] = make(dark ? darkValue : light);
  };
  states.set(key, state);
  new MutationObserver(() => state.update())
    .observe(body, {attributes: true, attributeFilter: ["data-jp-theme-light", "class"]});
}
state.update();
"""


def auto_switch(the_plan: Plan) -> CustomJS:
    """Build a ``CustomJS`` that applies the plan's dark or light values as the page's theme says."""
    swaps = [[s.model, s.attr, _js_value(s.light), _js_value(s.dark)] for s in the_plan.swaps]
    return CustomJS(args={"swaps": swaps}, code=_SWITCH_JS)
