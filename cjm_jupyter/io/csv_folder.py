"""A folder of files replaced together: only our files, crash-safe, never a silent mix.

A CSV journey folder is shared with the user: they keep notes, a ``.git``
folder or other files beside the journey and edit the CSV files by hand. So
a save may touch only the files it owns, and a crash between two file
writes must never leave a folder that reads as half old, half new.

Ownership
    A file is ours when the manifest (``journey.json``) of an earlier save
    lists it. A save writes its files and the manifest and removes only a
    file that the earlier manifest listed (as ``<frame>.csv``) and the new
    one does not. It never overwrites a file that is not ours: a folder
    without our manifest that already holds, say, ``stages.csv`` is refused;
    an empty or unrelated folder without such names is written into.

Commit protocol (one save)
    1. Every new file, the manifest included, is written in full to a hidden
       temporary sibling (``.stages.csv.1a2b3c4d.tmp``) and flushed.
    2. A journal ``.journey.json.pending`` is written atomically (temporary
       file + rename). It holds the new manifest and the temporary name of
       every file. From here on the new generation is complete on disk.
    3. The frame files are renamed into place, then the manifest (last).
    4. Files the old manifest listed and the new one does not are removed.
    5. The journal is removed.

    A crash before step 2 leaves the old generation untouched (plus
    temporary files nobody reads). From step 2 on, a reader that sees the
    journal reads the new manifest and, for each file, its temporary file
    while it still exists, else the renamed file, which by then is new: the
    new generation, whole. Reading never writes; the next save first
    finishes the interrupted one (roll forward) and deletes leftovers.

    No checksums: users edit the CSV files by hand (add a column, fix a
    cell) and that must keep working.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from ..errors import FileFormatError
from .atomic import copy_mode, fsync_dir, fsync_file, is_temp_of, temp_sibling, user_errors
from .json_text import parse_json
from .reading import check_user_folder as check_folder
from .reading import decode_text
from .schema import FORMAT

__all__ = [
    "MANIFEST",
    "JOURNAL",
    "Generation",
    "check_folder",
    "read_generation",
    "commit",
    "plain_name",
    "read_member",
    "leads_outside",
    "OUTSIDE",
]

MANIFEST = "journey.json"
JOURNAL = ".journey.json.pending"
_JOURNAL_FORMAT = "cjm_jupyter-csv-journal"
_FRAME_FILE = re.compile(r"^(?P<frame>[A-Za-z0-9_]+)\.csv$")


@dataclass(frozen=True)
class Generation:
    """What a reader sees: the manifest and, per file name, the path holding its content."""

    manifest: dict[str, Any]
    sources: Mapping[str, Path]

    def source(self, root: Path, name: str) -> Path:
        """Return the path to read for ``name`` (its temporary file while a commit is pending)."""
        return self.sources.get(name, root / name)


def plain_name(name: Any) -> TypeGuard[str]:
    """Whether ``name`` is a plain visible file name inside a folder (no path, no ``..``)."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not name.startswith(".")  # hidden names are our temporary files and journal
        and "/" not in name
        and "\\" not in name
        and "\0" not in name
        and not os.path.isabs(name)
        and (os.altsep is None or os.altsep not in name)
    )


def read_member(
    path: Path, *, root: Path, name: str, frame: str | None = None, kind: str = "a file", missing: str
) -> bytes:
    """Read the bytes of ``name`` in the folder (from ``path``), else raise a FileFormatError naming it.

    ``missing`` is the rule for a file that is not there (a link to nothing included).
    """

    def bad(rule: str) -> FileFormatError:
        return FileFormatError(rule, path=str(root), sheet=name, frame=frame)

    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise bad(f"is a folder, not {kind}") from None
    except FileNotFoundError:
        raise bad(missing) from None
    except OSError as exc:  # a link that loops, a name too long (the manifest's "file")
        raise bad(f"cannot be read: {exc.strerror or exc}") from None


def _read_json(path: Path, *, root: Path, name: str) -> Any:
    """Parse the manifest or journal, as strictly as a JSON journey file."""
    data = read_member(path, root=root, name=name, missing="is a link to a file that does not exist")
    text = decode_text(data, path=str(root), sheet=name)
    return parse_json(text, source=str(root), sheet=name, utf8_checked=True)


def read_generation(root: Path) -> Generation:
    """Return the generation a reader must load: the pending one if a save was interrupted.

    Writes nothing. The manifest's structure is checked by the caller.
    """
    check_folder(root)
    if os.path.lexists(root / JOURNAL):
        journal = _load_journal(root)
        sources = {final: root / tmp for tmp, final in journal["renames"] if (root / tmp).exists()}
        return Generation(journal["manifest"], sources)
    if not os.path.lexists(root / MANIFEST):
        raise FileFormatError(f"has no {MANIFEST}; is it a folder written by Journey.to_csv?", path=str(root))
    if leads_outside(root, root / MANIFEST):
        raise FileFormatError(OUTSIDE, path=str(root), sheet=MANIFEST)
    return Generation(_read_json(root / MANIFEST, root=root, name=MANIFEST), {})


#: The rule for a file of the folder that is a link to a file elsewhere.
OUTSIDE = "is a link that leads outside the folder; refusing to read it"


def leads_outside(root: Path, path: Path) -> bool:
    """Whether ``path`` (in ``root``) resolves, through links, to a place outside ``root``.

    Checked before anything is opened: nothing of an outside file (not even
    whether it exists or how long it is) may reach a message.
    """
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) != real_root


def _load_journal(root: Path) -> dict[str, Any]:
    def bad(rule: str) -> FileFormatError:
        return FileFormatError(
            f"an interrupted save left a journal that {rule}; the folder's state is unknown",
            path=str(root),
            sheet=JOURNAL,
        )

    if (root / JOURNAL).is_symlink():  # a save writes its journal as a file of its own, never a link
        raise bad("is a link, not a file a save writes")
    journal = _read_json(root / JOURNAL, root=root, name=JOURNAL)

    if not isinstance(journal, dict) or journal.get("format") != _JOURNAL_FORMAT:
        raise bad("is not a cjm_jupyter save journal")
    if not isinstance(journal.get("manifest"), dict):
        raise bad("holds no manifest")
    renames, remove = journal.get("renames"), journal.get("remove")
    if not isinstance(renames, list) or not isinstance(remove, list):
        raise bad("lists no files")
    for pair in renames:
        ok = isinstance(pair, list) and len(pair) == 2 and _ours(pair[1])
        if not ok or not isinstance(pair[0], str) or not is_temp_of(pair[0], pair[1]):
            raise bad(f"names a file it may not write: {pair!r}")
    if not all(_ours(n) and n != MANIFEST for n in remove):
        raise bad("names a file it may not remove")
    return journal


def _ours(name: Any) -> bool:
    """Whether a journal may name ``name``: only what a save writes (``<frame>.csv``, the manifest)."""
    return plain_name(name) and (name == MANIFEST or _FRAME_FILE.match(name) is not None)


def _finish(root: Path, journal: Mapping[str, Any]) -> None:
    """Run steps 3-5 of the protocol; also used to finish an interrupted save."""
    for tmp, final in journal["renames"]:  # frame files first, the manifest last
        if (root / tmp).exists():
            os.replace(root / tmp, root / final)
    for name in journal["remove"]:
        if (root / name).is_file() or (root / name).is_symlink():
            os.unlink(root / name)
    fsync_dir(root)
    os.unlink(root / JOURNAL)
    fsync_dir(root)


def _owned(root: Path) -> dict[str, str]:
    """``{file name: frame}`` the folder's manifest lists, finishing an interrupted save first."""
    if os.path.lexists(root / JOURNAL):
        _finish(root, _load_journal(root))
    if not os.path.lexists(root / MANIFEST):
        return {}
    try:
        manifest = _read_json(root / MANIFEST, root=root, name=MANIFEST)
    except FileFormatError as exc:
        raise FileExistsError(
            f"cannot write '{root}': its {MANIFEST} was not written by cjm_jupyter ({exc.rule}); "
            "refusing to overwrite it"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise FileExistsError(
            f"cannot write '{root}': its {MANIFEST} was not written by cjm_jupyter; refusing to overwrite it"
        )
    frames = manifest.get("frames")
    owned = {MANIFEST: ""}
    for frame, body in frames.items() if isinstance(frames, dict) else ():
        name = body.get("file") if isinstance(body, dict) else None
        if plain_name(name):
            owned[name] = str(frame)
    return owned


def _prepare(root: Path) -> None:
    if root.exists() or root.is_symlink():
        if not root.is_dir():
            raise NotADirectoryError(f"cannot write '{root}': it is a file, not a folder")
        return
    if not root.parent.is_dir():
        raise FileNotFoundError(f"cannot write '{root}': the folder '{root.parent}' does not exist")
    root.mkdir()


def commit(root: Path, files: Mapping[str, bytes], manifest: Mapping[str, Any]) -> None:
    """Replace the folder's journey with ``files`` (frame files) and ``manifest``; see the module doc.

    Raises
    ------
    FileExistsError
        A file to write exists and is not ours, or the folder's manifest is not ours.
    FileNotFoundError, NotADirectoryError, IsADirectoryError
        The folder's parent is missing, the folder is a file, a file to write is a folder.
    """
    _prepare(root)
    owned = _owned(root)
    names = [*files, MANIFEST]
    for name in names:
        path = root / name
        if os.path.lexists(path) and name not in owned:
            raise FileExistsError(
                f"cannot write '{root}': it holds '{name}', which no earlier save of a journey "
                f"listed (no {MANIFEST} of ours names it); move it away or choose another folder"
            )
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(f"cannot write '{path}': it is a folder, not a file")
    _drop_leftovers(root, {*owned, *names, JOURNAL})
    data = {**files, MANIFEST: (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")}
    temps = {name: temp_sibling(root / name) for name in names}
    errors = user_errors({tmp: root / name for name, tmp in temps.items()}, default=root)
    journal = {
        "format": _JOURNAL_FORMAT,
        "manifest": manifest,
        "renames": [[temps[name].name, name] for name in names],
        "remove": sorted(n for n, frame in owned.items() if n not in data and n == f"{frame}.csv"),
    }
    with errors:
        try:
            for name in names:
                _write(temps[name], data[name], like=root / name)
            _write_journal(root, journal)
        except BaseException:
            # Before the journal is in place nobody reads the temporary files.
            for tmp in temps.values():
                _quietly_unlink(tmp)
            raise
        # From here a failure leaves the new generation readable through the journal.
        _finish(root, journal)


def _write(path: Path, data: bytes, *, like: Path | None = None) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
    fsync_file(path)
    if like is not None and not like.is_symlink():  # a link is replaced by a file, never written through
        copy_mode(like, path)


def _write_journal(root: Path, journal: Mapping[str, Any]) -> None:
    tmp = temp_sibling(root / JOURNAL)
    try:
        _write(tmp, (json.dumps(journal, ensure_ascii=False) + "\n").encode("utf-8"))
        os.replace(tmp, root / JOURNAL)
    except BaseException:
        _quietly_unlink(tmp)
        raise
    fsync_dir(root)


def _drop_leftovers(root: Path, names: set[str]) -> None:
    """Delete temporary files of earlier, interrupted saves (and nothing else)."""
    for child in root.iterdir():
        if any(is_temp_of(child.name, n) for n in names) and not child.is_dir():
            _quietly_unlink(child)


def _quietly_unlink(path: Path) -> None:
    with suppress(OSError):  # cleanup must never hide the error that got us here
        path.unlink(missing_ok=True)
