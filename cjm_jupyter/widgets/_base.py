"""What both editors share: the journey snapshot, message handling and undo.

The widget holds no copy of the map: the journey's frames are the single
source of truth. The front end sends one message per edit; the widget runs
it through the journey's validated methods and answers with a reply. The
journey's change events, whoever caused them, refresh ``snapshot``, which is
what every open view draws.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import resources
from typing import Any, ClassVar

import anywidget
import traitlets as t

from ..display import journey_html
from ..errors import ValidationError
from ..model.core import JourneyCore
from ..model.events import Change
from ._history import History
from ._protocol import Op, ProtocolError, parse_message
from ._snapshot import FrameCache, journey_meta, snapshot_to_json

__all__ = ["EditorBase", "HISTORY_OPS", "bundle"]

log = logging.getLogger(__name__)


def bundle(name: str) -> str:
    """The text of a built front-end bundle shipped in ``cjm_jupyter/static``.

    Raises
    ------
    FileNotFoundError
        The bundle is missing (a source checkout where ``js/`` was not built).
    """
    path = resources.files("cjm_jupyter") / "static" / name
    if not path.is_file():
        raise FileNotFoundError(
            f"cjm_jupyter/static/{name} is missing; build it with `npm ci && npm run build` in js/"
        )
    return path.read_text(encoding="utf-8")


def _no_op(_journey: Any, _args: dict[str, Any]) -> None:
    return None


#: ``undo`` and ``redo``: run by :class:`EditorBase` itself, on its history.
HISTORY_OPS: dict[str, Op] = {
    "undo": Op({}, _no_op, undoable=False, doc="Undo this editor's last edit."),
    "redo": Op({}, _no_op, undoable=False, doc="Redo this editor's last undone edit."),
}


def _touched(change: Change) -> set[str]:
    return set(change.affected) | ({change.frame} if change.frame else set())


class EditorBase(anywidget.AnyWidget):
    """An editor of one journey: snapshot sync, validated ops, undo/redo.

    Subclasses set ``_esm``, ``FRAMES`` (frames sent to the front end),
    ``EDITABLE`` (editable columns by frame) and ``OPS``.
    """

    FRAMES: ClassVar[tuple[str, ...]] = ()
    EDITABLE: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    OPS: ClassVar[Mapping[str, Op]] = {}

    snapshot = t.Dict().tag(sync=True, to_json=snapshot_to_json)
    """The journey as the view draws it: ``version``, ``journey`` (meta data)
    and one list of row dicts per frame in ``FRAMES``."""

    undo_depth = t.Int(0).tag(sync=True)
    """How many edits made in this editor can be undone."""

    redo_depth = t.Int(0).tag(sync=True)
    """How many undone edits can be redone."""

    def __init__(self, journey: JourneyCore, **kwargs: Any) -> None:
        if not isinstance(journey, JourneyCore):
            raise TypeError(f"expected a Journey, got {type(journey).__name__}")
        super().__init__(**kwargs)
        self.journey = journey
        self.history = History(journey)
        self._cache = FrameCache(self.FRAMES)
        self._version = 0
        self._publish(None)
        # Kept: the journey unobserves by identity, and each access to a bound
        # method makes a new object.
        self._observer = journey.observe(self._on_change)
        self.on_msg(self._on_message)

    # -- Python -> front end ---------------------------------------------------
    def _publish(self, touched: set[str] | None) -> None:
        self._version += 1
        records = self._cache.refresh(self.journey, touched)
        self.snapshot = {"version": self._version, "journey": journey_meta(self.journey), **records}
        self.undo_depth, self.redo_depth = self.history.depths

    def _on_change(self, change: Change) -> None:
        touched = _touched(change)
        if change.kind == "meta" or touched & set(self.FRAMES):
            self._publish(touched)

    # -- front end -> Python ---------------------------------------------------
    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "anywidget-command":
            return  # anywidget's own protocol, not ours
        self.send(self.handle(content))

    def handle(self, content: Any) -> dict[str, Any]:
        """Run one front-end message and return the reply sent back.

        Parameters
        ----------
        content : Any
            ``{"op": str, "request_id": int, **params}``.

        Returns
        -------
        dict
            ``{"kind": "cjm-reply", "request_id", "ok", "error", "where", "result"}``;
            ``where`` names the frame, row and column of a validation error.
        """
        request_id = content.get("request_id") if isinstance(content, dict) else None
        reply: dict[str, Any] = {"kind": "cjm-reply", "request_id": request_id, "ok": True, "error": None}
        try:
            request_id, name, args = parse_message(content, self.OPS, self.EDITABLE)
            reply["result"] = self._run(name, args)
        except ProtocolError as exc:
            reply.update(ok=False, error=f"bad message: {exc}")
        except ValidationError as exc:
            where = {"frame": exc.frame, "row_id": exc.row_id, "column": exc.column}
            reply.update(ok=False, error=str(exc), where=where)
        except Exception as exc:  # a bug must not kill the comm: report it in the widget
            log.exception("cjm editor op failed")
            reply.update(ok=False, error=f"internal error: {type(exc).__name__}: {exc}")
        self.undo_depth, self.redo_depth = self.history.depths
        return reply

    def _run(self, name: str, args: dict[str, Any]) -> Any:
        if name == "undo":
            return self.history.undo()
        if name == "redo":
            return self.history.redo()
        op = self.OPS[name]
        if not op.undoable:
            return op.run(self.journey, args)
        return self.history.record(lambda: op.run(self.journey, args))

    # -- lifetime and display ----------------------------------------------------
    def close(self) -> None:
        """Stop following the journey and close the widget."""
        if "_observer" in self.__dict__:  # absent when __init__ failed early
            self.journey.unobserve(self._observer)
        super().close()

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, meta = bundle
        # Shown where no widget manager runs (plain HTML, GitHub): a static map.
        return {**data, "text/html": journey_html(self.journey)}, meta
