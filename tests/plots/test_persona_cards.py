"""Persona cards: escaped HTML with the persona's measured facts, shown by Jupyter and exports."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from IPython.core.formatters import DisplayFormatter

from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.model import Journey
from cjm_jupyter.plots.persona_cards import PersonaCards, persona_cards
from cjm_jupyter.plots.theme import persona_colors

from ..support.plot_data import EVIL, IMG, profile


class Tags(HTMLParser):
    """Every start tag and attribute name of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs |= {name for name, _ in attrs}


def journey() -> Journey:
    j = templates.load("colleen")
    j.add_persona(
        "Bargain hunters", id="p-bargain", source="kmeans", basis="measured", n=600, segment="Bargain",
        segment_definition='{"method": "kmeans", "k": 2, "seed": 0}', goals="Best price",
    )  # fmt: skip
    j.add_persona(
        EVIL + IMG, id="p-evil", source=f"rules {IMG}", basis="assumed", n=400, segment=EVIL,
        segment_definition=f"orders >= 6 and device == '{IMG}'", frustrations=EVIL,
    )  # fmt: skip
    return j


def tags_of(markup: str) -> Tags:
    parser = Tags()
    parser.feed(markup)
    return parser


def test_user_text_is_escaped_everywhere() -> None:
    cards = persona_cards(journey(), profile=profile())
    parsed = tags_of(cards.html)
    # only the card's own markup: no script, no image, no event handler from any user value
    allowed = {"div", "style", "h3", "h4", "span", "ul", "li", "b", "dl", "dt", "dd", "details", "summary"}
    allowed.add("pre")
    assert set(parsed.tags) <= allowed
    assert not any(a.startswith("on") for a in parsed.attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in cards.html
    assert "<script" not in cards.html and "<img" not in cards.html


def test_cards_list_measured_facts_of_their_segment_and_their_origin() -> None:
    cards = persona_cards(journey(), ["Bargain hunters"], profile=profile(), facts=2)
    assert cards.html.count('class="cjm-card"') == 1
    assert '<span class="cjm-badge cjm-measured">measured</span>' in cards.html
    assert '<span class="cjm-badge">n = 600 customers</span>' in cards.html
    assert '<span class="cjm-badge">segment: Bargain</span>' in cards.html
    assert "<li><b>age</b>: typical 34; mean 35.2 vs 47.9 in the rest" in cards.html
    assert "<b>orders</b>" not in cards.html  # rank 3 > facts=2
    assert "<summary>Segment definition</summary><pre>{&quot;method&quot;: &quot;kmeans&quot;" in cards.html
    assert cards.text == (
        "Bargain hunters (measured, kmeans, n = 600, segment Bargain)\n"
        "  age: typical 34; mean 35.2 vs 47.9 in the rest (effect \u22120.90)\n"
        "  device: mostly <img src=x onerror=alert(2)>; 81% vs 32% of the rest (effect +0.49)"
    )


def test_each_card_wears_its_personas_colour() -> None:
    j = journey()
    cards = persona_cards(j)
    for pid, color in persona_colors(j).items():
        assert f'data-persona="{pid}" style="--cjm-persona: {color}"' in cards.html.replace(EVIL, "")
    assert cards.html.count('class="cjm-card"') == 3


def test_jupyter_shows_html_and_text() -> None:
    cards = persona_cards(journey(), "p-bargain")
    data, _ = DisplayFormatter().format(cards)
    assert data["text/html"] == cards.html
    assert data["text/plain"] == "Bargain hunters (measured, kmeans, n = 600, segment Bargain)"
    assert isinstance(cards, PersonaCards) and repr(cards) == data["text/plain"]


def test_personas_by_name_and_unknown_ones() -> None:
    cards = persona_cards(journey(), ["Curious Colleen"])
    assert "<h3>Curious Colleen</h3>" in cards.html
    with pytest.raises(ValidationError, match="unknown persona 'Nobody'"):
        persona_cards(journey(), ["Nobody"])


def test_an_exported_notebook_keeps_the_cards_escaped() -> None:
    import nbformat
    from nbconvert import HTMLExporter

    cards = persona_cards(journey(), profile=profile())
    data, _ = DisplayFormatter().format(cards)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("persona_cards(journey)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    nb.cells = [cell]
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert body.count('class="cjm-card"') == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in body
    assert "<script>alert(1)" not in body and "<img src=x" not in body


def test_a_persona_made_from_a_real_segment_lists_its_measured_facts() -> None:
    pytest.importorskip("sklearn")
    from cjm_jupyter.personas import make_customers, segment_customers

    table = make_customers(500, seed=2).drop(columns="planted_segment")
    result = segment_customers(table, customer_col="customer_id", k=3)
    j = templates.load("colleen")
    segment = result.profile["segment"].iloc[0]
    pid = j.add_persona_from_segment(result, segment, name="From data")
    cards = persona_cards(j, pid, profile=result, facts=3)
    assert cards.html.count("<li><b>") == 3
    assert '<span class="cjm-badge cjm-measured">measured</span>' in cards.html
    assert "<summary>Segment definition</summary>" in cards.html
