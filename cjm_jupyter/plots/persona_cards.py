"""Persona cards: each persona of a journey as a card, with its measured facts.

A card shows who the persona is (name, description, stated goals and
frustrations) apart from what the data says about them: where the persona
comes from (``source``, ``basis``, ``n`` customers, ``segment`` and its
definition) and, given the segment profile it was made from, the columns that
set its segment apart. On a measured persona's card the fields
``add_persona_from_segment`` fills from the data (``behaviour``: the top
traits; ``channels``: the typical channel) sit under "Measured", never under
"Stated", and the behaviour is left out when the profile's facts already say
the same. The cards are plain HTML and CSS (no script, no
external resource, every user value escaped), so they show in a notebook cell,
in an exported notebook and in any HTML page, and follow JupyterLab's light
or dark theme through its CSS variables.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import _common as c
from .segments import PROFILE_COLUMNS, _compare, _rows
from .theme import persona_colors

if TYPE_CHECKING:
    from ..model import Journey
    from ..personas.segment import SegmentResult

__all__ = ["PersonaCards", "persona_cards"]

#: Stated (hand-written) fields shown on a card, with their labels, in order.
STATED = (
    ("goals", "Goals"),
    ("needs", "Needs"),
    ("frustrations", "Frustrations"),
    ("behaviour", "Behaviour"),
    ("channels", "Channels"),
)
#: Fields ``persona_from_segment`` fills from the data: "Measured" on a measured persona's card.
FROM_DATA = ("behaviour", "channels")
MAX_TEXT = 280
MAX_DEFINITION = 600

_STYLE = """
.cjm-cards { font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color1, #1f2328);
  display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px;
  max-width: 100%; box-sizing: border-box; }
.cjm-cards .cjm-card { border: 1px solid var(--jp-border-color2, #d0d7de); border-radius: 6px;
  border-top: 5px solid var(--cjm-persona, #0072B2); padding: 10px 12px;
  background: var(--jp-layout-color1, #ffffff); min-width: 0;
  overflow-wrap: break-word; word-break: normal; hyphens: manual; }
.cjm-cards .cjm-card h3 { margin: 0 0 4px 0; font-size: 1.15em; font-weight: 600;
  color: var(--jp-ui-font-color0, inherit); }
.cjm-cards .cjm-badges { margin: 0 0 6px 0; }
.cjm-cards .cjm-badge { display: inline-block; margin: 0 4px 3px 0; padding: 0 6px;
  border: 1px solid var(--jp-border-color1, #8c959f); border-radius: 10px; font-size: .85em;
  color: var(--jp-ui-font-color2, #57606a); white-space: nowrap; }
.cjm-cards .cjm-badge.cjm-measured { border-color: #009E73; color: var(--jp-ui-font-color1, #1f2328); }
.cjm-cards .cjm-badge.cjm-assumed { border-style: dashed; }
.cjm-cards .cjm-desc { margin: 4px 0 8px 0; }
.cjm-cards h4 { margin: 8px 0 2px 0; font-size: .8em; text-transform: uppercase;
  letter-spacing: .04em; color: var(--jp-ui-font-color2, #57606a); }
.cjm-cards ul { margin: 0; padding-left: 1.1em; }
.cjm-cards li { margin: 1px 0; }
.cjm-cards .cjm-effect { color: var(--jp-ui-font-color2, #57606a); white-space: nowrap; }
.cjm-cards dl { margin: 0; }
.cjm-cards dt { font-weight: 600; margin-top: 3px; }
.cjm-cards dd { margin: 0 0 0 .8em; }
.cjm-cards details { margin-top: 6px; }
.cjm-cards summary { cursor: pointer; color: var(--jp-ui-font-color2, #57606a); }
.cjm-cards pre { white-space: pre-wrap; overflow-wrap: break-word; margin: 4px 0 0 0;
  font-size: .85em; max-height: 12em; overflow-y: auto;
  background: var(--jp-layout-color2, #f6f8fa); color: var(--jp-ui-font-color1, inherit);
  padding: 4px 6px; border-radius: 4px; }
.cjm-cards .cjm-none { color: var(--jp-ui-font-color3, #8c959f); font-style: italic; }
"""


class PersonaCards:
    """Persona cards ready to show: ``display(cards)`` in a notebook, or ``cards.html``.

    Made by :func:`persona_cards`, which escapes every user text into the
    HTML; the class itself only holds the two renderings and shows them.

    Parameters
    ----------
    html_text : str
        The cards' HTML, shown as is (``text/html``): pass only markup you
        built safely, as :func:`persona_cards` does.
    text : str
        The plain-text version (``text/plain`` and the ``repr``).

    Attributes
    ----------
    html : str
        The cards' HTML (a ``<div class="cjm-cards">`` with a scoped ``<style>``).
    text : str
        A plain-text version (the notebook's ``text/plain`` and the ``repr``).

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> cards = persona_cards(templates.load("colleen"))
    >>> isinstance(cards, PersonaCards), cards.html.startswith("<div")
    (True, True)
    >>> cards
    Curious Colleen (assumed, journey-mapping guides)
    >>> sorted(cards._repr_mimebundle_())
    ['text/html', 'text/plain']
    """

    def __init__(self, html_text: str, text: str) -> None:
        self.html = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # Both kinds: text/html for the notebook and its HTML export, text/plain for the
        # terminal, and for nbconvert's text exporters.
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        """Return the cards as plain text."""
        return self.text


def persona_cards(
    journey: Journey,
    personas: str | Sequence[str] | None = None,
    *,
    profile: pd.DataFrame | SegmentResult | None = None,
    facts: int = 4,
    width: int | None = None,
    height: int | None = None,
) -> PersonaCards:
    """Cards of a journey's personas, with what the data says about them.

    Parameters
    ----------
    journey : Journey
        The map; its ``personas`` frame fills the cards.
    personas : str or sequence of str, optional
        Persona ids or names (default: every persona), in this order.
    profile : DataFrame or SegmentResult, optional
        The segment profile the personas were made from (see
        :func:`cjm_jupyter.plots.segments.segment_profile`). A persona whose
        ``segment`` is in it lists its ``facts`` most distinguishing columns
        under "Measured": typical value, segment vs rest and the effect size.
    facts : int
        Measured facts per card.
    width : int, optional
        Width of the card grid in pixels. Default ``None``: the width of the
        output area (as many 280 px columns as fit, at least one).
    height : int, optional
        Height of the card grid in pixels; taller cards scroll inside it.
        Default ``None``: the height the cards need.

    Notes
    -----
    Goals, needs and frustrations are "Stated" (written by people). A
    persona whose ``basis`` is ``"measured"`` shows its ``behaviour`` and
    ``channels`` under "Measured" instead: ``add_persona_from_segment``
    fills them from the segment (its top traits, its typical channel). The
    behaviour is not repeated when it is the profile's traits that the card
    lists as facts already.

    Returns
    -------
    PersonaCards
        Shows as HTML in a notebook cell (``_repr_mimebundle_``); ``.html``
        holds the markup. Each card's top border is the persona's own colour
        (:func:`~.theme.persona_colors`), as in the journey's plots.

    Raises
    ------
    ValidationError
        An unknown persona (the message lists the known ones), no persona,
        or a ``width`` or ``height`` out of range.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots.persona_cards import persona_cards
    >>> cards = persona_cards(templates.load("colleen"))
    >>> cards.html.count('class="cjm-card"')
    1
    """
    width = c.check_width(width)
    height = c.check_height(height)
    ids = c.resolve_personas(journey, personas)
    frame = journey.personas.assign(_id=journey.personas["id"].astype(str)).set_index("_id")
    measured = _profile_facts(profile, facts)
    traits = _profile_traits(profile)
    colors = persona_colors(journey)
    cards, texts = [], []
    for pid in ids:
        row = frame.loc[pid]
        segment = _value(row, "segment")
        card_facts = measured.get(segment, []) if segment else []
        said = traits.get(segment, set()) if card_facts else set()
        cards.append(_card(pid, row, colors.get(pid, "#0072B2"), card_facts, said))
        texts.append(_card_text(row, card_facts))
    sizes = ([] if width is None else [f"width: {width}px"]) + (
        [] if height is None else [f"height: {height}px", "overflow-y: auto"]
    )
    size = f' style="{"; ".join(sizes)}"' if sizes else ""
    markup = f'<div class="cjm-cards"{size}><style>{_STYLE}</style>{"".join(cards)}</div>'
    return PersonaCards(markup, "\n\n".join(texts))


def _value(row: pd.Series, column: str) -> str:
    """Return the row's text in ``column`` ('' when absent or missing)."""
    if column not in row.index:
        return ""
    text = c.text([row[column]])[0]
    return "" if text == c.MISSING else text.strip()


def _e(text: str, limit: int = MAX_TEXT) -> str:
    """Escaped text, shortened at a word boundary."""
    if len(text) > limit:
        cut = text[: limit - 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit // 2 else cut) + "…"
    return html.escape(text, quote=True)


def _profile_facts(profile: Any, facts: int) -> dict[str, list[tuple[str, str, str]]]:
    """Segment -> its top (column, typical and comparison, effect) lines."""
    if profile is None:
        return {}
    frame = getattr(profile, "profile", profile)
    c.as_frame(frame, {name: name for name in PROFILE_COLUMNS}, what="segment profile")
    rows = _rows(frame, max(int(facts), 1), None)
    out: dict[str, list[tuple[str, str, str]]] = {}
    for r in rows.itertuples():
        lead = f"mostly {r.typical}" if r.kind == "categorical" else f"typical {r.typical}"
        out.setdefault(r.segment, []).append((r.column, f"{lead}; {_compare(r)}", r.effect_text))
    return out


def _profile_traits(profile: Any) -> dict[str, set[str]]:
    """Return, per segment, the ``behaviour`` texts its profile's facts already say.

    Those are its ranked ``trait`` texts joined by ``"; "``, the first 1, 2,
    ... of them (as ``persona_from_segment`` writes them).
    """
    frame = getattr(profile, "profile", profile)
    if not isinstance(frame, pd.DataFrame) or "trait" not in frame.columns:
        return {}
    out: dict[str, set[str]] = {}
    for segment, rows in frame.sort_values("rank", kind="stable").groupby("segment", sort=False):
        kept = [str(t) for t in rows["trait"] if isinstance(t, str) and t]
        out[str(segment)] = {"; ".join(kept[:k]) for k in range(1, len(kept) + 1)}
    return out


def _badges(row: pd.Series) -> str:
    basis = _value(row, "basis")
    parts = []
    if basis:
        klass = "cjm-measured" if basis == "measured" else "cjm-assumed"
        parts.append(f'<span class="cjm-badge {klass}">{_e(basis, 40)}</span>')
    if source := _value(row, "source"):
        parts.append(f'<span class="cjm-badge">source: {_e(source, 40)}</span>')
    n = pd.to_numeric(pd.Series([row.get("n")]), errors="coerce").iloc[0]
    if pd.notna(n):
        parts.append(f'<span class="cjm-badge">n = {int(n):,} customers</span>')
    if segment := _value(row, "segment"):
        parts.append(f'<span class="cjm-badge">segment: {_e(segment, 40)}</span>')
    return f'<div class="cjm-badges">{"".join(parts)}</div>' if parts else ""


def _card(pid: str, row: pd.Series, color: str, facts: list[tuple[str, str, str]], said: set[str]) -> str:
    """One card; ``said``: behaviour texts the ``facts`` already say (left out)."""
    # The colour comes from the package palette (never from user data), so it may sit in
    # a style attribute; everything else written here is escaped.
    parts = [
        f'<div class="cjm-card" data-persona="{html.escape(pid, quote=True)}"'
        f' style="--cjm-persona: {color}">',
        f"<h3>{_e(_value(row, 'name'), 80)}</h3>",
        _badges(row),
    ]
    if desc := _value(row, "description"):
        parts.append(f'<div class="cjm-desc">{_e(desc)}</div>')
    # A measured persona's behaviour and channels come from the data: never "Stated".
    from_data = FROM_DATA if _value(row, "basis") == "measured" else ()
    fields = [(col, label, _value(row, col)) for col, label in STATED if _value(row, col)]
    repeated = {"behaviour"} if _value(row, "behaviour") in said else set()
    data_fields = [(label, text) for col, label, text in fields if col in from_data and col not in repeated]
    stated = [(label, text) for col, label, text in fields if col not in from_data]
    if facts:
        items = "".join(
            f"<li><b>{_e(col, 40)}</b>: {_e(text, 120)}"
            f' <span class="cjm-effect">(effect {_e(eff, 12)})</span></li>'
            for col, text, eff in facts
        )
        parts.append(f"<h4>Measured: what sets the segment apart</h4><ul>{items}</ul>")
    if data_fields:
        items = "".join(f"<dt>{label}</dt><dd>{_e(text)}</dd>" for label, text in data_fields)
        parts.append(("" if facts else "<h4>Measured</h4>") + f"<dl>{items}</dl>")
    if stated:
        items = "".join(f"<dt>{label}</dt><dd>{_e(text)}</dd>" for label, text in stated)
        parts.append(f"<h4>Stated</h4><dl>{items}</dl>")
    if definition := _value(row, "segment_definition"):
        parts.append(
            "<details><summary>Segment definition</summary>"
            f"<pre>{_e(definition, MAX_DEFINITION)}</pre></details>"
        )
    parts.append("</div>")
    return "".join(parts)


def _card_text(row: pd.Series, facts: list[tuple[str, str, str]]) -> str:
    head = _value(row, "name")
    meta = [v for v in (_value(row, "basis"), _value(row, "source")) if v]
    n = pd.to_numeric(pd.Series([row.get("n")]), errors="coerce").iloc[0]
    if pd.notna(n):
        meta.append(f"n = {int(n):,}")
    if segment := _value(row, "segment"):
        meta.append(f"segment {segment}")
    lines = [head + (f" ({', '.join(meta)})" if meta else "")]
    lines += [f"  {col}: {text} (effect {eff})" for col, text, eff in facts]
    return "\n".join(lines)
