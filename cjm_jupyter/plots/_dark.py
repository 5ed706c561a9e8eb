"""The dark counterpart of a plot colour, by the role the colour plays.

Plots are built with light colours (:mod:`.theme`). For a dark page every
colour is mapped here, one at a time:

* data colours stay: the palettes of :mod:`.theme` and the heatmap's blues, and
  any clearly saturated colour of middle lightness (a channel, a status);
* greys and pastels (near-white tints such as a card's fill) swap their
  lightness, keeping their hue: white paper becomes :data:`DARK_BACKGROUND`,
  near-black ink becomes :data:`DARK_TEXT`, the grid a dark grey;
* a light *text* colour stays light (it sits on a dark fill), and a dark
  *fill* stays dark (a header band with white text on it).

Text is then checked against what it is drawn on (see :func:`readable_on`),
since a text colour alone cannot say whether the card under it stayed light.
"""

from __future__ import annotations

import colorsys
import re
from typing import Literal

from bokeh.colors import named
from bokeh.palettes import Blues9

from . import theme

__all__ = [
    "DARK_BACKGROUND",
    "DARK_GRID",
    "DARK_MUTED",
    "DARK_TEXT",
    "Role",
    "contrast",
    "dark_color",
    "parse",
    "readable_on",
    "to_hex",
]

#: What a colour paints: an area ("fill"), a line, text, or a marker's fill ("mark",
#: which, unlike an area, turns light when it is black).
Role = Literal["fill", "line", "text", "mark"]

#: JupyterLab Dark's page colour (``--jp-layout-color0``): the gaps between lanes vanish.
DARK_BACKGROUND = "#111111"
#: JupyterLab Dark's text (``--jp-ui-font-color1``, white at 87 % on the page).
DARK_TEXT = "#e0e0e0"
DARK_MUTED = "#9ea7b3"
DARK_GRID = "#3b4148"

# The light theme's own greys get hand-picked partners; other greys follow the formula.
_FIXED = {
    theme.BACKGROUND: DARK_BACKGROUND,
    "#ffffff": DARK_BACKGROUND,
    theme.TEXT: DARK_TEXT,
    "#000000": DARK_TEXT,
    theme.MUTED: DARK_MUTED,
    theme.GRID: DARK_GRID,
}

#: Colours that carry data: never changed (colour-blind safe palettes stay as they are).
#: Okabe-Ito's black is the exception: it is the palette's "no hue" and would vanish on a
#: dark page, so it turns light like any other ink.
DATA_COLORS: frozenset[str] = frozenset(
    c.lower()
    for c in (
        *theme.CATEGORY_PALETTE,
        *theme.EMOTION_PALETTE,
        *theme.PERSONA_PALETTE,
        *theme.SEGMENT_PALETTE,
        *Blues9,
    )
) - {"#000000"}

_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB = re.compile(r"rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)")


def parse(color: object) -> tuple[float, float, float, float] | None:
    """``(r, g, b, a)`` in 0..1 of a CSS colour (hex, ``rgb()``, a name or a tuple); None if not one."""
    if isinstance(color, tuple) and len(color) in (3, 4):
        r, g, b = (float(v) / 255 for v in color[:3])
        return r, g, b, float(color[3]) if len(color) == 4 else 1.0
    if not isinstance(color, str):
        return None
    text = color.strip().lower()
    if m := _HEX.fullmatch(text):
        digits = m.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        values = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return values[0], values[1], values[2], values[3] if len(values) == 4 else 1.0
    if m := _RGB.fullmatch(text):
        alpha = m.group(4)
        a = 1.0 if alpha is None else float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha)
        return float(m.group(1)) / 255, float(m.group(2)) / 255, float(m.group(3)) / 255, a
    found = getattr(named, text, None)
    if found is not None and hasattr(found, "r"):
        return found.r / 255, found.g / 255, found.b / 255, float(found.a)
    return None


def to_hex(r: float, g: float, b: float, a: float = 1.0) -> str:
    """``#rrggbb`` (``#rrggbbaa`` when not opaque)."""
    out = "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02x}" for v in (r, g, b))
    return out if a >= 1.0 else out + f"{round(a * 255):02x}"


def _luminance(r: float, g: float, b: float) -> float:
    """WCAG relative luminance."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio (1..21) of two opaque colours."""
    pa, pb = parse(a), parse(b)
    if pa is None or pb is None:
        return 21.0
    la, lb = _luminance(*pa[:3]), _luminance(*pb[:3])
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def dark_color(color: object, role: Role) -> object:
    """Return the colour ``color`` takes on a dark page, drawn as a ``role`` (anything not a colour: as is).

    A coloured line (a marker's outline, a curve) that would all but vanish on the
    dark page, such as the palettes' darkest purple, is lightened, hue kept; the
    marker's fill keeps the palette colour.
    """
    out = _dark_color(color, role)
    rgba = parse(out) if role == "line" else None
    coloured = rgba is not None and colorsys.rgb_to_hls(*rgba[:3])[2] >= 0.25
    if coloured and contrast(str(out), DARK_BACKGROUND) < 2:
        return readable_on(str(out), DARK_BACKGROUND, minimum=3.0)
    return out


def _dark_color(color: object, role: Role) -> object:
    rgba = parse(color)
    if rgba is None:
        return color
    r, g, b, a = rgba
    key = to_hex(r, g, b)
    if key in DATA_COLORS:
        return color
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if s >= 0.25 and 0.2 < lightness < 0.85:  # a real colour, not a tint: it means something
        return color
    if role == "text" and lightness >= 0.5:  # light text sits on a dark fill, which stays dark
        return color
    if role == "fill" and lightness < 0.5:  # a dark band or header suits a dark page already
        return color
    if key in _FIXED:
        return _with_alpha(_FIXED[key], a)
    # Lightness swapped: 1 (paper) -> the page, 0 (ink) -> light text; hue and saturation kept.
    flipped = 0.87 - 0.80 * lightness
    return to_hex(*colorsys.hls_to_rgb(h, flipped, s), a)


def _with_alpha(hex6: str, a: float) -> str:
    return hex6 if a >= 1.0 else hex6 + f"{round(a * 255):02x}"


def blend(top: str, alpha: float, below: str) -> str:
    """``top`` painted with opacity ``alpha`` (times its own) over the opaque ``below``."""
    pt, pb = parse(top), parse(below)
    if pt is None or pb is None:
        return below
    a = min(max(alpha * pt[3], 0.0), 1.0)
    return to_hex(*(a * t + (1 - a) * u for t, u in zip(pt[:3], pb[:3], strict=True)))


def readable_on(text: str, backdrop: str, *, minimum: float = 4.5) -> str:
    """``text``, or the nearest colour to it that reads on ``backdrop`` (WCAG ratio ``minimum``).

    A grey becomes :data:`DARK_TEXT` or :data:`theme.TEXT`, whichever contrasts
    more; a colour keeps its hue and moves its lightness away from the backdrop's.
    """
    rgba = parse(text)
    if rgba is None or contrast(text, backdrop) >= minimum:
        return text
    r, g, b, a = rgba
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    if s < 0.25:
        best = max((DARK_TEXT, theme.TEXT), key=lambda c: contrast(c, backdrop))
        return _with_alpha(best, a)
    bp = parse(backdrop)
    lighter = bp is not None and _luminance(*bp[:3]) < 0.18
    candidate = text
    for step in range(1, 21):
        lightness_now = min(max(lightness + (0.04 * step if lighter else -0.04 * step), 0.0), 1.0)
        candidate = to_hex(*colorsys.hls_to_rgb(h, lightness_now, s), a)
        if contrast(candidate, backdrop) >= minimum:
            break
    return candidate
