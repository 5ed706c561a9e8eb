"""Drive an editor as the front end does: one custom message in, its reply out (no browser)."""

from __future__ import annotations

from typing import Any

from cjm_jupyter import JourneyEditor, PersonaEditor


class Sent(list):
    """Stands in for ``widget.send``: keeps every message the widget sends."""

    def __call__(self, content: Any, buffers: Any = None) -> None:
        self.append(content)


_ids = iter(range(1, 10**9))


def msg(op: str, **params: Any) -> dict[str, Any]:
    return {"op": op, "request_id": next(_ids), **params}


def run(editor: JourneyEditor | PersonaEditor, op: str, **params: Any) -> dict[str, Any]:
    """Send one message through the comm path and return the reply."""
    sent = Sent()
    editor.send = sent  # type: ignore[method-assign]
    content = msg(op, **params)
    editor._handle_custom_msg(content, [])
    assert len(sent) == 1 and sent[0]["kind"] == "cjm-reply"
    assert sent[0]["request_id"] == content["request_id"]
    return sent[0]


def ok(editor: JourneyEditor | PersonaEditor, op: str, **params: Any) -> Any:
    reply = run(editor, op, **params)
    assert reply["ok"], reply["error"]
    return reply.get("result")
