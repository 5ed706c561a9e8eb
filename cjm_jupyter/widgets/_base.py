"""What both editors share: the journey snapshot and deltas, message handling and undo.

The widget holds no copy of the map: the journey's frames are the single
source of truth. The front end sends one message per edit; the widget runs
it through the journey's validated methods and answers with a reply.

Views get the whole map once (``snapshot``) and then, for every change of
the journey whoever made it, a small ``delta`` naming the rows that changed
(sent before the reply of the edit that caused it). ``snapshot`` stays
current in Python but is sent again whole only when needed: a view that
missed a delta asks for it (``{"kind": "cjm-resync"}``), and after each
executed cell a snapshot changed since it was last sent goes out, so the
widget state a notebook saves shows the latest map. The front end keeps its
own copy of ``snapshot`` patched too, for JupyterLab's "Save Widget State".
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, ClassVar

import anywidget
import traitlets as t

from ..display import journey_html
from ..errors import ValidationError
from ..model.core import JourneyCore
from ..model.events import Change
from ._fallback import display_with_fallback
from ._history import History
from ._protocol import Op, ProtocolError, parse_message
from ._snapshot import FrameCache, delta_to_json, journey_meta, snapshot_to_json
from ._specs import editor_specs

try:  # the kernel's shell, to send a changed snapshot after each executed cell
    from IPython import get_ipython
except ImportError:  # pragma: no cover - IPython comes with ipywidgets
    get_ipython = None

__all__ = ["EditorBase", "HISTORY_OPS", "bundle"]

log = logging.getLogger(__name__)


def bundle(name: str) -> str:
    """Read the text of a built front-end bundle shipped in ``cjm_jupyter/static``.

    Parameters
    ----------
    name : str
        The bundle's file name, e.g. ``"journey_editor.js"``.

    Returns
    -------
    str
        The ES module text.

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


#: Synced traits only Python writes: a front end's copy never replaces them.
_PYTHON_ONLY = ("snapshot", "delta", "specs")


class EditorBase(anywidget.AnyWidget):
    """An editor of one journey: snapshot sync, validated ops, undo/redo.

    Subclasses set ``_esm``, ``FRAMES`` (frames sent to the front end),
    ``EDITABLE`` (editable columns by frame) and ``OPS``.

    Parameters
    ----------
    journey : Journey
        The journey to edit; the widget keeps no copy of it.
    **kwargs : Any
        Widget traits passed on to ``anywidget.AnyWidget`` (e.g. ``layout``).

    Raises
    ------
    TypeError
        ``journey`` is not a Journey.

    Examples
    --------
    >>> from cjm_jupyter import Journey, PersonaEditor
    >>> editor = PersonaEditor(Journey("Buying a vacuum cleaner"))
    >>> editor.FRAMES, editor.undo_depth
    (('personas', 'empathy'), 0)
    >>> PersonaEditor("Buying a vacuum cleaner")
    Traceback (most recent call last):
    ...
    TypeError: expected a Journey, got str
    """

    FRAMES: ClassVar[tuple[str, ...]] = ()
    EDITABLE: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    OPS: ClassVar[Mapping[str, Op]] = {}

    snapshot = t.Dict().tag(sync=True, to_json=snapshot_to_json)
    """The journey as the view draws it: ``version``, ``journey`` (meta data)
    and one list of row dicts per frame in ``FRAMES``. Always current in
    Python; sent to the front end whole only when needed (see the module)."""

    delta = t.Dict().tag(sync=True, to_json=delta_to_json)
    """The last change: ``version``, ``base`` (the version it applies to),
    ``journey`` (meta data) and ``frames``: per changed frame
    ``{"upsert": rows, "remove": ids}`` (plus ``"order": ids`` when rows
    moved otherwise) or ``{"rows": rows}`` (the whole frame)."""

    specs = t.Dict().tag(sync=True)
    """What the controls offer: the editable columns of each frame with their
    kind, allowed values (``choices``) and bounds, and the journey kinds (see
    :func:`~cjm_jupyter.widgets._specs.editor_specs`). Set once, from
    :mod:`cjm_jupyter.model.specs`, when the widget is made: the front end
    keeps no copy of an enumeration."""

    undo_depth = t.Int(0).tag(sync=True)
    """How many edits made in this editor can be undone."""

    redo_depth = t.Int(0).tag(sync=True)
    """How many undone edits can be redone."""

    fallback_id = t.Unicode().tag(sync=True)
    """Marks the static summary displayed above the widget, which the front end
    hides once it draws (see :mod:`cjm_jupyter.widgets._fallback`)."""

    def __init__(self, journey: JourneyCore, **kwargs: Any) -> None:
        if not isinstance(journey, JourneyCore):
            raise TypeError(f"expected a Journey, got {type(journey).__name__}")
        # In the state the comm opens with: a view draws its controls from it at once.
        super().__init__(specs=editor_specs(self.EDITABLE), **kwargs)
        self.journey = journey
        self.history = History(journey)
        self._cache = FrameCache(self.FRAMES)
        self._version = 1
        self._sent_version = 0  # version of the last snapshot sent whole
        self._quiet = False
        self._meta = journey_meta(journey)
        self.fallback_id = uuid.uuid4().hex
        self.snapshot = {"version": self._version, "journey": self._meta, **self._cache.rebuild(journey)}
        # Kept: the journey unobserves by equality, and each access to a bound
        # method makes a new object.
        self._observer = journey.observe(self._on_change)
        self.on_msg(self._on_message)
        shell = get_ipython() if get_ipython is not None else None
        self._shell = shell if hasattr(shell, "events") else None
        if self._shell is not None:
            self._shell.events.register("post_execute", self.flush)

    # -- Python -> front end ---------------------------------------------------
    def _on_change(self, change: Change) -> None:
        frames = self._cache.update(self.journey, change.affected)
        # Compared, not read from the change: a batch (an undo) can carry a meta change too.
        meta = journey_meta(self.journey)
        if not frames and meta == self._meta:
            return  # nothing this editor shows changed
        self._meta = meta
        self._version += 1
        self._quiet = True
        try:  # current in Python but not sent: the delta carries the change
            self.snapshot = {"version": self._version, "journey": meta, **self._cache.records}
        finally:
            self._quiet = False
        self.delta = {"version": self._version, "base": self._version - 1, "journey": meta, "frames": frames}
        self.undo_depth, self.redo_depth = self.history.depths

    def notify_change(self, change: Any) -> None:
        """Send a changed trait to the front end, unless it is a snapshot a delta carried.

        The traitlets hook run on every trait change: Python observers of
        ``snapshot`` hear every change, while the front end gets the small
        ``delta`` instead of the whole map.

        Parameters
        ----------
        change : traitlets.Bunch
            The change traitlets reports: ``name``, ``old``, ``new``, ``owner``, ``type``.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> versions = []
        >>> editor.observe(lambda change: versions.append(change["new"]["version"]), "snapshot")
        >>> _ = j.add_stage("Awareness")
        >>> versions, editor.delta["frames"]["stages"]["upsert"][0]["name"]
        ([2], 'Awareness')
        """
        if self.__dict__.get("_quiet") and change["name"] == "snapshot":
            # HasTraits' own: observers still hear it; ipywidgets' send_state is skipped.
            t.HasTraits.notify_change(self, change)
            return
        super().notify_change(change)

    def send_state(self, key: str | Iterable[str] | None = None) -> None:
        """Send traits to the front end (all when ``key`` is None), noting when the snapshot went.

        Parameters
        ----------
        key : str, iterable of str or None, optional
            The synced trait or traits to send; None sends every synced trait.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> sent = []  # what the front end would receive (no kernel here: nothing is sent)
        >>> editor.comm.publish_msg = lambda msg_type, data=None, **kw: sent.append(sorted(data["state"]))
        >>> editor.send_state("undo_depth")
        >>> sent
        [['undo_depth']]
        """
        if key is None or key == "snapshot" or (not isinstance(key, str) and "snapshot" in key):
            self._sent_version = self.__dict__.get("_version", 0)
        super().send_state(key)

    def flush(self, *_args: Any) -> None:
        """Send the whole snapshot if changes since it was last sent went out only as deltas.

        Runs after every executed cell in a kernel, so that the widget state a
        notebook saves (nbclient, nbconvert) holds the latest map.

        Parameters
        ----------
        *_args : Any
            Ignored: what IPython's ``post_execute`` event passes.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> sent = []  # what the front end would receive (no kernel here: nothing is sent)
        >>> editor.comm.publish_msg = lambda msg_type, data=None, **kw: sent.append(sorted(data["state"]))
        >>> _ = j.add_stage("Awareness")  # sent as a delta
        >>> sent.clear()
        >>> editor.flush()  # the map changed since it was last sent whole
        >>> editor.flush()  # nothing new: nothing sent
        >>> sent
        [['snapshot']]
        """
        if self._sent_version != self._version:
            self.send_state("snapshot")

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply state sent by the front end; the map itself is written by Python only.

        ``snapshot``, ``delta`` and ``specs`` in ``sync_data`` are dropped: the
        journey changes only through validated messages (:meth:`handle`).

        Parameters
        ----------
        sync_data : dict
            Trait name -> value, as the front end sent them.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> editor.set_state({"snapshot": {"version": 99, "stages": []}})
        >>> editor.snapshot["version"]
        1
        """
        super().set_state({k: v for k, v in sync_data.items() if k not in _PYTHON_ONLY})

    # -- front end -> Python ---------------------------------------------------
    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("kind") == "anywidget-command":
            return  # anywidget's own protocol, not ours
        if isinstance(content, dict) and content.get("kind") == "cjm-resync":
            self.send_state("snapshot")  # a view missed a delta: the whole map, current version
            return
        self.send(self.handle(content))

    def handle(self, content: Any) -> dict[str, Any]:
        """Run one front-end message and return the reply sent back.

        Never raises: a malformed message, an edit that breaks a journey rule
        or a bug is answered with ``ok=False`` and the error, and the journey
        is left as it was. Undoable edits are recorded for ``undo``/``redo``.

        Parameters
        ----------
        content : Any
            ``{"op": str, "request_id": int, **params}``; the ops and their
            parameters are the class's ``OPS``.

        Returns
        -------
        dict
            ``{"kind": "cjm-reply", "request_id", "ok", "error", "where", "result"}``;
            ``where`` names the frame, row and column of a validation error.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> editor.handle({"op": "add_stage", "request_id": 1, "name": "Awareness"})
        {'kind': 'cjm-reply', 'request_id': 1, 'ok': True, 'error': None, 'result': 'awareness'}
        >>> reply = editor.handle({"op": "add_stage", "request_id": 2, "name": ""})
        >>> reply["ok"], reply["error"]
        (False, "frame 'stages', row 'stage-2', column 'name', value <NA>: a value is required")
        >>> editor.handle({"op": "fly", "request_id": 3})["error"]
        "bad message: unknown op 'fly'; expected one of add_action, ..."
        >>> _ = editor.handle({"op": "undo", "request_id": 4})
        >>> j.stages["name"].tolist(), editor.redo_depth
        ([], 1)
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
        """Stop following the journey and close the widget.

        The journey is left as it is; a closed editor no longer changes with it.

        Examples
        --------
        >>> from cjm_jupyter import Journey, JourneyEditor
        >>> j = Journey("Buying a vacuum cleaner")
        >>> editor = JourneyEditor(j)
        >>> editor.close()
        >>> _ = j.add_stage("Awareness")
        >>> editor.snapshot["stages"], j.stages["name"].tolist()
        ([], ['Awareness'])
        """
        if "_observer" in self.__dict__:  # absent when __init__ failed early
            self.journey.unobserve(self._observer)
            self.history.close()
        shell = self.__dict__.get("_shell")
        if shell is not None:
            shell.events.unregister("post_execute", self.flush)
            self._shell = None
        super().close()

    def _ipython_display_(self) -> None:
        """Display the static summary, then the widget (see :mod:`._fallback`)."""
        display_with_fallback(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        from ..sharing.mime import journey_entry

        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, meta = bundle
        # Shown where no widget manager runs (plain HTML, GitHub): a static map. The document
        # travels with the notebook; read_notebook() overlays the saved widget state on it.
        return {**data, "text/html": journey_html(self.journey), **journey_entry(self.journey)}, meta
