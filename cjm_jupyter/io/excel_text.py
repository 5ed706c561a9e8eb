r"""Text as xlsx cells hold it: escaped control characters, at most 32,767 characters a cell.

XML cannot carry most control characters (nor U+FFFE, U+FFFF) even as
character references, so OOXML spells them ``_xHHHH_`` (the ``ST_Xstring``
escape of ECMA-376 Part 1, 22.9.2.19); Excel and LibreOffice show such a
cell as the character itself. A literal ``_xHHHH_`` in the user's text is
escaped as ``_x005F_xHHHH_`` so it reads back as typed. A carriage return
is escaped too: XML parsers turn a raw ``\r`` into ``\n``.

openpyxl does neither (it writes text as is and refuses control
characters), so the Excel reader and writer call :func:`escape` and
:func:`unescape` on every text cell.

A cell holds at most 32,767 characters; :func:`cell_parts` cuts longer text
into parts, each escaped on its own, so that joining the unescaped parts
gives back the text exactly.
"""

from __future__ import annotations

import re

__all__ = ["CELL_LIMIT", "escape", "unescape", "cell_parts"]

#: Most characters (UTF-16 code units) one Excel cell holds.
CELL_LIMIT = 32_767

# An underscore that would start an escape, or a character XML cannot carry
# (C0 controls but tab and newline; CR, which XML turns into LF; U+FFFE/FFFF).
_NEEDS_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# No character escapes to more than 7 code units (``_x0007_``), so text this
# short never needs cutting, whatever it holds.
_ALWAYS_FITS = CELL_LIMIT // 7


def escape(text: str) -> str:
    r"""Return ``text`` with every character XML cannot carry spelled ``_xHHHH_``.

    Examples
    --------
    >>> escape("bell\x07, CR\r and _x0041_")
    'bell_x0007_, CR_x000D_ and _x005F_x0041_'
    """
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    r"""Return the inverse of :func:`escape` (also reads what Excel writes).

    Examples
    --------
    >>> unescape("bell_x0007_, CR_x000D_ and _x005F_x0041_")
    'bell\x07, CR\r and _x0041_'
    """
    if "_x" not in text:
        return text
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    if _SURROGATE.search(text):
        # A character beyond U+FFFF written as two escaped UTF-16 halves;
        # a lone half stays as is and is refused by the journey's validation.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return text


def _units(text: str) -> int:
    """Length in UTF-16 code units, the way Excel counts a cell's characters."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def cell_parts(text: str) -> list[str]:
    """``text`` escaped and cut into parts that each fit one cell.

    Each part is escaped on its own, so ``"".join(unescape(p) for p in parts)``
    is ``text``; parts are cut between characters, never inside an escape.

    Examples
    --------
    >>> [len(p) for p in cell_parts("a" * 70_000)]
    [32767, 32767, 4466]
    """
    if len(text) <= _ALWAYS_FITS:
        return [escape(text)]
    parts = []
    start = 0
    while start < len(text):
        end = min(len(text), start + CELL_LIMIT)
        part = escape(text[start:end])
        while _units(part) > CELL_LIMIT:
            # Shrink in proportion to the overshoot; escapes make the ratio uneven.
            end = start + max(1, (end - start) * CELL_LIMIT // _units(part) - 1)
            part = escape(text[start:end])
        parts.append(part)
        start = end
    return parts
