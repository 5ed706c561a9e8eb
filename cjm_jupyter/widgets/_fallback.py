"""An editor's static summary, for pages that cannot draw the widget.

``jupyter nbconvert --to html`` (and GitHub, nbviewer) picks one MIME type per
output; once the notebook saved widget state it picks the widget view, which
such a page cannot draw without the widget manager from a CDN: the editor would
be a blank output. So a displayed editor writes two outputs:

1. a static HTML summary of the map (:func:`~cjm_jupyter.display.journey_html`),
   marked with the editor's ``fallback_id``;
2. the widget itself.

Where the widget draws (JupyterLab, VS Code, a ``cjm_html`` export) its front
end hides the summary (``js/lib/fallback.js``); the ``cjm_html`` exporter drops it
when the editor has saved state. The summary's own CSS reveals it only after
1.5 s, so a page that draws the widget quickly never flashes it, and a page
that cannot shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..display import journey_html

if TYPE_CHECKING:
    from ._base import EditorBase

__all__ = ["FALLBACK_MARK", "display_with_fallback", "fallback_html"]

#: Output metadata key of the summary output: ``{"model_id": the editor's model id}``.
FALLBACK_MARK = "cjm_jupyter/editor-fallback"

_STYLE = (
    "<style>.cjm-fallback{max-height:0;overflow:hidden;"
    "animation:cjm-fallback-reveal 0s 1.5s forwards}"
    "@keyframes cjm-fallback-reveal{to{max-height:none;overflow:visible}}"
    ".cjm-fallback .cjm-fallback-note{font-size:.85em;margin-top:.3em;"
    "color:var(--jp-ui-font-color2,inherit);font-style:italic}</style>"
)
_NOTE = (
    '<div class="cjm-fallback-note">A static summary: the editor itself needs a running '
    "kernel, or a page exported with <code>jupyter nbconvert --to cjm_html</code>.</div>"
)


def fallback_html(editor: EditorBase) -> str:
    """Return the summary output's HTML: the journey's static summary, marked for the editor's front end."""
    token = editor.fallback_id  # hex digits only: safe in an attribute
    return (
        f'<div class="cjm-fallback" data-cjm-editor="{token}">{_STYLE}'
        f"{journey_html(editor.journey)}{_NOTE}</div>"
    )


def display_with_fallback(editor: EditorBase) -> None:
    """Publish the summary output, then the widget (see the module)."""
    from IPython.display import display

    bundle = editor._repr_mimebundle_()
    if bundle is None:  # a closed widget: nothing to show
        return
    data, metadata = bundle
    display(
        {"text/html": fallback_html(editor)},
        metadata={FALLBACK_MARK: {"model_id": editor.model_id}},
        raw=True,
    )
    # The summary is the output above: a second copy here would show twice where no state was saved.
    widget: dict[str, Any] = {k: v for k, v in data.items() if k not in ("text/html", "text/plain")}
    display(widget, metadata=metadata, raw=True)
