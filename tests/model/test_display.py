"""Text and HTML summaries: readable, escaped, static, scoped and compact."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from cjm_jupyter import Journey, templates
from cjm_jupyter.display import journey_html, journey_text

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>alert(1)</script>"


class _Collect(HTMLParser):
    """Tags, attributes and text of an HTML fragment, plus whether it parsed balanced."""

    VOID = frozenset({"br", "img", "hr", "meta", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self.stack: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}> (open: {self.stack})"
        self.stack.pop()
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.style if self._in_style else self.text).append(data)


def _parse(markup: str) -> _Collect:
    parser = _Collect()
    parser.feed(markup)
    parser.close()
    assert parser.stack == [], f"unclosed tags: {parser.stack}"
    return parser


@pytest.fixture()
def hostile() -> Journey:
    j = Journey(f"Map {SCRIPT}", scenario=f"Scenario {IMG}", description="d & <em>x</em>")
    j.add_persona(SCRIPT)
    stage = j.add_stage(IMG)
    tp = j.add_touchpoint(stage, '"><svg onload=alert(2)> tp', channel="web")
    j.add_stage("Second & <i>last</i>")
    j.set_emotion(None, touchpoint=tp, score=-1.5)
    j.add_pain_point("pain", stage=stage)
    j.add_lane("<u>Lane</u>", {stage: "x"})
    return j


def _large(n_stages: int = 12, per_stage: int = 200) -> Journey:
    stages = pd.DataFrame(
        {"id": [f"s{i}" for i in range(n_stages)], "name": [f"Stage {i}" for i in range(n_stages)]}
    )
    tps = pd.DataFrame(
        {
            "id": [f"s{i}-t{k}" for i in range(n_stages) for k in range(per_stage)],
            "stage_id": [f"s{i}" for i in range(n_stages) for _ in range(per_stage)],
            "name": [
                f"Touchpoint {i}.{k} with a rather long name"
                for i in range(n_stages)
                for k in range(per_stage)
            ],
        }
    )
    emotions = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(n_stages)],
            "stage_id": stages["id"],
            "score": [1.0] * n_stages,
            "source": "survey",
            "basis": "measured",
        }
    )
    return Journey("Large", frames={"stages": stages, "touchpoints": tps, "emotions": emotions})


# -- text -----------------------------------------------------------------------------------
def test_text_names_the_journey_its_stages_and_touchpoints() -> None:
    j = templates.load("colleen")
    text = journey_text(j)
    assert text == repr(j) == str(j)
    assert text.splitlines()[0] == "Journey 'Curious Colleen buys a vacuum cleaner' (current state)"
    assert "Personas: Curious Colleen" in text
    positions = [text.index(f"{k}. {name}") for k, name in enumerate(j.stages["name"], start=1)]
    assert positions == sorted(positions)
    assert "2. Research: Search engine, Brand website, Review sites, Social media" in text
    assert (
        "10 emotions · 6 pain points · 5 opportunities · 5 actions · 5 metrics · 3 goals · 0 empathy entries"
        in text
    )
    assert "Lanes: Backstage, KPIs" in text
    assert "DataFrame" not in text and "dtype" not in text


def test_text_of_an_empty_journey() -> None:
    text = journey_text(Journey("Empty"))
    assert "Journey 'Empty' (current state)" in text
    assert "Stages: none" in text
    assert "Personas: none" in text
    assert "1 " not in text


def test_text_singular_counts_and_empathy_quadrants() -> None:
    j = Journey("One of each", kind="empathy_map")
    p = j.add_persona("P")
    s = j.add_stage("S")
    j.add_pain_point("x", stage=s)
    j.add_empathy(p, "says", "hello")
    text = journey_text(j)
    assert "1 pain point ·" in text and "1 empathy entry" in text
    assert "(empathy map)" in text
    assert "Empathy map: says 1 · thinks 0 · does 0 · feels 0" in text


def test_text_stays_compact_for_large_journeys() -> None:
    j = _large()
    j.replace_frame(
        "personas", pd.DataFrame({"id": [f"p{i}" for i in range(30)], "name": [f"P{i}" for i in range(30)]})
    )
    text = journey_text(j)
    lines = text.splitlines()
    assert len(lines) < 25
    assert max(len(line) for line in lines) < 400
    assert "Stages (12, 2400 touchpoints):" in text
    assert text.count("… and 195 more") == 12
    assert "… and 25 more" in text  # personas


def test_text_cuts_long_names_and_many_stages() -> None:
    stages = pd.DataFrame(
        {"id": [f"s{i}" for i in range(40)], "name": ["x" * 500] + [f"S{i}" for i in range(1, 40)]}
    )
    text = journey_text(Journey("Many", frames={"stages": stages}))
    assert "x" * 500 not in text
    assert "x" * 39 + "…" in text
    assert "… and 24 more stages" in text


# -- HTML -----------------------------------------------------------------------------------
def test_html_escapes_every_user_string(hostile: Journey) -> None:
    markup = journey_html(hostile)
    for raw in (IMG, SCRIPT, "<svg", "<i>last</i>", "<u>Lane</u>", "<em>"):
        assert raw not in markup
    assert "<script" not in markup.lower()
    assert "onerror" not in _parse(markup).tags
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&quot;&gt;&lt;svg onload=alert(2)&gt; tp" in markup
    assert "Second &amp; &lt;i&gt;last&lt;/i&gt;" in markup
    assert "&lt;u&gt;Lane&lt;/u&gt;" in markup
    assert "d &amp; &lt;em&gt;x&lt;/em&gt;" in markup


def test_html_is_static_markup(hostile: Journey) -> None:
    markup = journey_html(hostile)
    parsed = _parse(markup)
    assert set(parsed.tags) <= {
        "div",
        "style",
        "span",
        "b",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
    }
    for name, value in parsed.attrs:
        assert name in {"class", "scope"}, name
        assert value is not None and re.fullmatch(r"[\w -]+", value), value
    # The user's strings come back as plain text once the markup is parsed.
    text = "".join(parsed.text)
    assert IMG in text and SCRIPT in text
    assert not re.search(r"url\(|@import|https?:", markup)


def test_html_style_is_scoped_and_themed() -> None:
    markup = journey_html(templates.load("colleen"))
    assert markup.startswith('<div class="cjm-summary">') and markup.endswith("</div>")
    style = "".join(_parse(markup).style)
    assert markup.count("<style>") == 1
    selectors = re.findall(r"([^{}]+)\{[^{}]*\}", style)
    assert selectors
    for group in selectors:
        for selector in group.split(","):
            assert selector.strip().startswith(".cjm-summary"), selector
    # Theme variables always come with a fallback.
    variables = re.findall(r"var\((--[\w-]+)([^)]*)\)", style)
    assert variables and all(rest.startswith(",") for _, rest in variables)
    assert "--jp-ui-font-color1" in style


def test_html_table_shows_stages_touchpoints_emotion_and_pains() -> None:
    j = templates.load("colleen")
    markup = journey_html(j)
    parsed = _parse(markup)
    text = " ".join(parsed.text)
    assert "Curious Colleen buys a vacuum cleaner" in text and "current state" in text
    assert "Personas:" in text and "Scenario:" in text
    heads = re.findall(r'<th scope="col">(.*?)</th>', markup)
    assert heads == j.stages["name"].tolist()
    for name in j.touchpoints["name"]:
        assert f"<li>{name}</li>" in markup
    assert "Mean emotion" in text and "Pain points" in text
    # Trigger is -2 (stage-level interview row); Research mixes touchpoint rows.
    emo_row = re.search(r"Mean emotion</th>(.*?)</tr>", markup).group(1)
    cells = re.findall(r"<td>(.*?)</td>", emo_row)
    assert len(cells) == 5
    assert 'class="cjm-neg">-2.0<' in cells[0]
    assert 'class="cjm-pos">+2.0<' in cells[4]
    pain_row = re.search(r"Pain points</th>(.*?)</tr>", markup).group(1)
    # Pain points count at their stage or through their touchpoint's stage.
    assert re.findall(r"<td>(\d+)</td>", pain_row) == ["1", "2", "3", "0", "0"]
    assert "6 pain points" in text and "lanes: Backstage, KPIs" in text


def test_html_of_empty_and_stageless_journeys() -> None:
    markup = journey_html(Journey("Nothing yet"))
    assert "No stages yet." in markup
    _parse(markup)
    markup = journey_html(templates.load("empathy"))
    assert "says 3 · thinks 3 · does 3 · feels 3" in markup


def test_mimebundle_has_text_and_html() -> None:
    j = templates.load("three_stage")
    bundle = j._repr_mimebundle_()
    assert bundle["text/plain"] == journey_text(j)
    assert bundle["text/html"] == journey_html(j)


def test_html_stays_compact_for_large_journeys() -> None:
    j = _large()
    markup = journey_html(j)
    assert len(markup.encode()) < 200_000
    assert len(markup.encode()) < 30_000  # in practice it is much smaller
    assert markup.count("+192 more") == 12
    assert markup.count("<li>") == 12 * 8
    assert markup.count('<th scope="col">') == 12
    _parse(markup)


def test_html_caps_the_number_of_stage_columns() -> None:
    stages = pd.DataFrame({"id": [f"s{i}" for i in range(100)], "name": [f"S{i}" for i in range(100)]})
    markup = journey_html(Journey("Wide", frames={"stages": stages}))
    assert markup.count('<th scope="col">') == 16
    assert "+84 more stages" in markup
    _parse(markup)


def test_version_owner_and_review_are_shown_when_set_never_updated_at() -> None:
    j = templates.load("three_stage")
    assert "Version" not in journey_text(j) and "Owner" not in journey_html(j)
    j.version = "2026-Q3"
    j.owner = "<b>CX</b> & co"
    j.mark_reviewed("2026-11-30")
    assert "  Version: 2026-Q3 · Owner: <b>CX</b> & co · Reviewed: 2026-11-30" in journey_text(j).splitlines()
    page = journey_html(j)
    assert (
        '<div class="cjm-meta"><b>Version:</b> 2026-Q3 · <b>Owner:</b> &lt;b&gt;CX&lt;/b&gt; &amp; co · '
        "<b>Reviewed:</b> 2026-11-30</div>"
    ) in page
    assert j.updated_at is not None and j.updated_at not in journey_text(j) + page
