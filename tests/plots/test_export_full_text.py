"""An image of a journey (PNG/SVG) prints every card's text in full: it has no hover."""

from __future__ import annotations

from bokeh.models import ColumnDataSource

from cjm_jupyter import templates
from cjm_jupyter.plots.export import _as_model


def _texts(model) -> list[str]:
    out: list[str] = []
    for source in model.select({"type": ColumnDataSource}):
        for name, values in source.data.items():
            if name.endswith("text"):
                out.extend(v for v in values if isinstance(v, str))
    return out


def test_an_image_of_a_journey_cuts_no_text_but_a_page_does():
    j = templates.load("colleen")
    quote = j.emotions["thought"].dropna().map(len).idxmax()
    longest = j.emotions.loc[quote, "thought"]
    image = _texts(_as_model(j, image=True))
    page = _texts(_as_model(j))
    assert not [t for t in image if "…" in t]
    assert any("…" in t for t in page)  # the interactive page cuts, its hover has the rest
    # every word of the longest quote is drawn in the image
    drawn = " ".join(" ".join(image).split())
    assert all(word in drawn for word in longest.split())
