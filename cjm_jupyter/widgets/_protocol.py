"""Shape checks for the messages the editors' front end sends.

Every message is a dict ``{"op": str, "request_id": int, **params}``. An op
declares its parameters with :class:`Param`; anything else (unknown op,
missing or extra keys, wrong types, unknown or non-editable fields, text no
file can store) is a :class:`ProtocolError`, answered with an error reply and
never executed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..model.coerce import unsavable

__all__ = ["MAX_TEXT", "Op", "Param", "ProtocolError", "parse_message"]

#: Longest text accepted in one cell from the front end.
MAX_TEXT = 10_000

ParamKind = Literal["str", "int", "number", "bool", "fields", "frame"]


class ProtocolError(ValueError):
    """A message from the front end does not have the expected shape."""


@dataclass(frozen=True)
class Param:
    """One parameter of an op.

    Parameters
    ----------
    kind : {"str", "int", "number", "bool", "fields", "frame"}
        ``fields`` is a dict of column -> cell value, checked against the
        editable columns of the op's frame; ``frame`` a frame name the op may
        edit.
    optional : bool
        Whether the key may be missing or ``null``.
    """

    kind: ParamKind
    optional: bool = False


@dataclass(frozen=True)
class Op:
    """An op: its parameters and the function that runs it.

    Parameters
    ----------
    params : mapping of str to Param
        Accepted parameters.
    run : callable
        ``run(journey, args)``; returns a value sent back as ``result``.
    frame : str, optional
        The frame whose editable columns a ``fields`` parameter is checked
        against (ops with a ``frame`` parameter use that instead).
    undoable : bool
        Whether the op is recorded in the undo history.
    """

    params: Mapping[str, Param]
    run: Callable[[Any, dict[str, Any]], Any]
    frame: str | None = None
    undoable: bool = True
    doc: str = field(default="", compare=False)


def _check_value(name: str, kind: ParamKind, value: Any) -> Any:
    if kind == "str" or kind == "frame":
        if not isinstance(value, str):
            raise ProtocolError(f"{name!r} must be a string")
        if len(value) > MAX_TEXT:
            raise ProtocolError(f"{name!r} is longer than {MAX_TEXT} characters")
        _check_text(repr(name), value)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ProtocolError(f"{name!r} must be an integer")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ProtocolError(f"{name!r} must be a number")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ProtocolError(f"{name!r} must be true or false")
        return value
    raise AssertionError(kind)  # pragma: no cover - "fields" is checked by _check_fields


def _check_text(what: str, text: str) -> None:
    """Refuse text no file can store (a lone surrogate, which JSON can carry).

    Refused here rather than by the journey alone: no part of the message may
    reach a reply, whose JSON the kernel's UTF-8 encoding would then fail to send.
    """
    rule = unsavable(text)
    if rule is not None:
        raise ProtocolError(f"{what} is {rule}")


def _check_fields(value: Any, editable: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise ProtocolError("'fields' must be a non-empty object")
    out: dict[str, Any] = {}
    for key, cell in value.items():
        if key not in editable:
            raise ProtocolError(f"field {key!r} cannot be edited here; editable: {', '.join(editable)}")
        if cell is not None and (isinstance(cell, bool) or not isinstance(cell, (str, int, float))):
            raise ProtocolError(f"field {key!r} must be text, a number or null")
        if isinstance(cell, str) and len(cell) > MAX_TEXT:
            raise ProtocolError(f"field {key!r} is longer than {MAX_TEXT} characters")
        if isinstance(cell, str):
            _check_text(f"field {key!r}", cell)
        if isinstance(cell, float) and cell != cell:
            raise ProtocolError(f"field {key!r} must be a number, not NaN")
        # An emptied input means "no value", as in the journey's files.
        out[key] = None if isinstance(cell, str) and not cell.strip() else cell
    return out


def parse_message(
    content: Any, ops: Mapping[str, Op], editable: Mapping[str, tuple[str, ...]]
) -> tuple[int | None, str, dict[str, Any]]:
    """Check a message and return ``(request_id, op, args)``.

    Parameters
    ----------
    content : Any
        The message as received.
    ops : mapping of str to Op
        The ops the editor accepts.
    editable : mapping of str to tuple of str
        Editable columns by frame.

    Raises
    ------
    ProtocolError
        The message cannot be run; ``request_id`` is lost when it is missing
        or not an integer, so the error reply carries ``None``.
    """
    if not isinstance(content, dict):
        raise ProtocolError("a message must be an object")
    request_id = content.get("request_id")
    if isinstance(request_id, bool) or not isinstance(request_id, int):
        raise ProtocolError("'request_id' must be an integer")
    name = content.get("op")
    if not isinstance(name, str) or name not in ops:
        raise ProtocolError(f"unknown op {name!r}; expected one of {', '.join(sorted(ops))}")
    op = ops[name]
    extra = set(content) - set(op.params) - {"op", "request_id"}
    if extra:
        raise ProtocolError(f"unexpected key {sorted(extra)[0]!r} for op {name!r}")
    args: dict[str, Any] = {}
    for key, param in op.params.items():
        value = content.get(key)
        if value is None:
            if not param.optional:
                raise ProtocolError(f"op {name!r} needs {key!r}")
            args[key] = None
        elif param.kind == "fields":
            frame = args.get("frame") or op.frame
            args[key] = _check_fields(value, editable.get(frame or "", ()))
        else:
            args[key] = _check_value(key, param.kind, value)
            if param.kind == "frame" and value not in editable:
                raise ProtocolError(f"frame {value!r} cannot be edited here")
    return request_id, name, args
