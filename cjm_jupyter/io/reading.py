"""Opening the file or folder a user named for reading, with Python's errors in our words.

The same situation gives the same error in every format:

- missing (or a "folder" on its way is a file): Python's own
  ``FileNotFoundError``, ``cannot read 'map.json': the file does not exist``,
  so ``except OSError`` keeps working;
- a folder where a file should be, or the reverse, a link that loops, a name
  the system cannot open: :class:`~cjm_jupyter.errors.FileFormatError`
  naming the user's path.

Other ``OSError``s (permission denied, an I/O error) are not about the
file's content and stay Python's, naming the path.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import FileFormatError

__all__ = ["open_user_file", "check_user_folder", "decode_text"]

#: errno values that say the *path* cannot lead to a readable file.
_BAD_PATH = (errno.ELOOP, errno.ENAMETOOLONG)


def _missing(source: str, what: str) -> FileNotFoundError:
    return FileNotFoundError(f"cannot read {source!r}: the {what} does not exist")


def _bad_path(exc: OSError, source: str) -> FileFormatError:
    return FileFormatError(f"cannot be opened: {exc.strerror}", path=source)


def open_user_file(source: str, *, kind: str) -> BinaryIO:
    """``open(source, "rb")``, or the error described in the module docstring.

    ``kind`` names the format in a message, e.g. ``"a JSON file"``.
    """
    path = Path(source)
    try:
        # first: Windows reports opening a folder as "permission denied"
        if stat.S_ISDIR(os.stat(path).st_mode):
            hint = " (a folder written by to_csv: use read_csv)" if (path / "journey.json").is_file() else ""
            raise FileFormatError(f"is a folder, not {kind}{hint}", path=source)
        return open(path, "rb")  # the caller closes it
    except (FileNotFoundError, NotADirectoryError):
        raise _missing(source, "file") from None
    except OSError as exc:
        if exc.errno in _BAD_PATH:
            raise _bad_path(exc, source) from None
        raise


def check_user_folder(root: Path) -> None:
    """Refuse a missing folder (``FileNotFoundError``) or anything else that is not a folder."""
    try:
        mode = os.stat(root).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise _missing(str(root), "folder") from None
    except OSError as exc:
        if exc.errno in _BAD_PATH:
            raise _bad_path(exc, str(root)) from None
        raise
    if not stat.S_ISDIR(mode):
        raise FileFormatError("is a file, not a folder written by Journey.to_csv", path=str(root))


def decode_text(data: bytes, *, hint: str = "", **where: Any) -> str:
    """UTF-8 text, with or without a byte-order mark (Windows editors add one; it is not content).

    Else a FileFormatError at ``where`` (``path=``, ``sheet=``, ``frame=``)
    naming the first bad byte by line and column, then ``hint``.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}{hint}", **where
        ) from None
