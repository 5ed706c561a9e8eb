"""Atomic writes: a failing save never leaves a truncated or half-written file.

A file is written to a hidden temporary sibling (``.map.json.1a2b3c4d.tmp``)
and renamed over the target: ``os.replace`` is atomic on POSIX and Windows
within one file system, so readers see the old file or the new one, never
a mix. The CSV folder writer builds its multi-file commit from the same
pieces (:func:`write_target`, :func:`temp_sibling`, :func:`user_errors`).

What users can rely on, for every format:

- A path that is a symbolic link is written *through* the link: the link
  stays a link and the file it points to gets the new content.
- An existing file keeps its permission bits.
- A missing parent folder is an error naming the user's path, e.g.
  ``cannot write '/x/y/map.json': the folder '/x/y' does not exist``;
  nothing is created.
- Errors name the user's path, never the hidden temporary file.
"""

from __future__ import annotations

import os
import re
import stat
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = [
    "atomic_file",
    "write_target",
    "temp_sibling",
    "is_temp_of",
    "user_errors",
    "fsync_file",
    "fsync_dir",
    "copy_mode",
]

_TEMP = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{8}\.tmp$")


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a written file's bytes to disk before it is renamed into place."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def copy_mode(source: Path, tmp: Path) -> None:
    """Give ``tmp`` the permission bits of ``source`` when ``source`` exists."""
    try:
        mode = stat.S_IMODE(source.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)


def write_target(path: str | os.PathLike[str]) -> Path:
    """Return the file a write of ``path`` must replace: the link's target for a symlink.

    Raises
    ------
    FileNotFoundError
        The folder that would hold the file does not exist.
    NotADirectoryError
        That "folder" is a file.
    IsADirectoryError
        ``path`` (or the file its link points to) is a folder.
    """
    user = Path(path)
    # Following the link keeps it a link; replacing it would silently turn the
    # user's link into a detached copy.
    target = Path(os.path.realpath(user)) if user.is_symlink() else user
    parent = target.parent
    if not parent.exists():
        raise FileNotFoundError(f"cannot write '{user}': the folder '{parent}' does not exist")
    if not parent.is_dir():
        raise NotADirectoryError(f"cannot write '{user}': '{parent}' is not a folder")
    if target.is_dir():
        raise IsADirectoryError(f"cannot write '{user}': it is a folder, not a file")
    return target


def temp_sibling(target: Path) -> Path:
    """Return a fresh hidden name next to ``target`` (same folder, so the rename is atomic)."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")


def is_temp_of(candidate: str, name: str) -> bool:
    """Whether ``candidate`` is a name :func:`temp_sibling` makes for a file called ``name``."""
    match = _TEMP.match(candidate)
    return match is not None and match.group("name") == name


@contextmanager
def user_errors(names: Mapping[Path, Path], *, default: Path) -> Iterator[None]:
    """Re-raise an ``OSError`` as ``cannot write '<the user's path>': <reason>``.

    ``names`` maps each temporary path to the path the user asked for; an
    error naming none of them (a full disk fails a write with no file name)
    names ``default``. A temporary name in an error is noise at best and
    misleading at worst (it is gone by the time the user looks). The errno
    is kept, so ``exc.errno == errno.ENOSPC`` still works.
    """
    try:
        yield
    except OSError as exc:
        text = str(exc)
        if text.startswith("cannot write '"):  # already in the user's words
            raise
        hit = next(
            (
                user
                for tmp, user in names.items()
                if str(tmp) in text or tmp.name in text or str(tmp) in (exc.filename, exc.filename2)
            ),
            default,
        )
        reason = exc.strerror or text
        for tmp, user in names.items():
            reason = reason.replace(str(tmp), str(user)).replace(tmp.name, user.name)
        error = type(exc)(f"cannot write '{hit}': {reason}")
        error.errno = exc.errno
        raise error from None


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``.

    If the block raises, the temporary file is removed and ``path`` keeps its
    old content. See the module docstring for links, permission bits and errors.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.json")
    ...     with atomic_file(path) as tmp:
    ...         _ = tmp.write_text("{}", encoding="utf-8")
    ...     os.listdir(folder)
    ['map.json']
    """
    user = Path(path)
    target = write_target(user)
    tmp = temp_sibling(target)
    try:
        with user_errors({tmp: user}, default=user):
            yield tmp
            fsync_file(tmp)
            copy_mode(target, tmp)
            os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):  # never hide the error that got us here
            tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
