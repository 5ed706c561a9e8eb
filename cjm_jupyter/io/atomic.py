"""Atomic writes: a failing save never leaves a truncated or half-written file.

Files are written to a temporary sibling and renamed over the target
(``os.replace`` is atomic on POSIX and Windows within one file system).
Folders are written to a temporary sibling and swapped in by two renames.
"""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["atomic_file", "atomic_folder"]


def _fsync_dir(folder: Path) -> None:
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


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``.

    If the block raises, the temporary file is removed and ``path`` keeps its
    old content. An existing file's permission bits are kept.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder, not a file")
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        _fsync_file(tmp)
        if target.exists():
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextmanager
def atomic_folder(path: str | os.PathLike[str], *, marker: str) -> Iterator[Path]:
    """Yield a temporary folder to fill; on success it replaces ``path``.

    To never delete a folder that is not ours, an existing non-empty ``path``
    is only replaced when it contains the file ``marker`` (e.g. a
    ``journey.json`` written by an earlier save).
    """
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise NotADirectoryError(f"{target} exists and is not a folder")
        if any(target.iterdir()) and not (target / marker).exists():
            raise FileExistsError(f"{target} is a non-empty folder without {marker}; refusing to replace it")
    tag = uuid.uuid4().hex[:8]
    tmp = target.with_name(f".{target.name}.{tag}.tmp")
    old = target.with_name(f".{target.name}.{tag}.old")
    tmp.mkdir(parents=True)
    try:
        yield tmp
        for child in tmp.iterdir():
            _fsync_file(child)
        if target.exists():
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:
            if old.exists():
                os.rename(old, target)
            raise
        _fsync_dir(target.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
