"""DuckDB settings for the connections the package makes: memory limit, spill folder, threads.

DuckDB keeps its working set under ``memory_limit`` and writes what does not
fit (sorts, joins, aggregates, temp tables) to files in ``temp_directory``,
so a log larger than memory completes, more slowly, instead of failing. The
package's default limit is a fraction of the machine's memory
(:data:`DEFAULT_MEMORY_FRACTION`, see :func:`default_memory_limit`) rather
than DuckDB's own 80%: the user's notebook, pandas frames and the results
live in the same process and are not counted by DuckDB.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from dataclasses import dataclass
from typing import Any

from ...errors import ValidationError

__all__ = ["EngineOptions", "default_memory_limit", "DEFAULT_MEMORY_FRACTION", "MIN_MEMORY_LIMIT"]

#: Share of the machine's physical memory DuckDB may use by default.
DEFAULT_MEMORY_FRACTION = 0.2
#: The default never goes below this (bytes): DuckDB needs room for its buffers.
MIN_MEMORY_LIMIT = 1 << 30

#: A memory size DuckDB reads: a number and a unit (1000- or 1024-based), or a share of RAM
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(b|bytes|kb|mb|gb|tb|kib|mib|gib|tib|%)\s*", re.IGNORECASE)


def default_memory_limit() -> int | None:
    """Return the default ``memory_limit`` in bytes: :data:`DEFAULT_MEMORY_FRACTION` of physical memory.

    At least :data:`MIN_MEMORY_LIMIT` (1 GiB). ``None`` where the size of the
    memory cannot be read (no ``os.sysconf``, e.g. Windows): DuckDB's own
    default (80% of memory) applies there.
    """
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
    if total <= 0:
        return None
    return max(MIN_MEMORY_LIMIT, int(total * DEFAULT_MEMORY_FRACTION))


@dataclass(frozen=True)
class EngineOptions:
    """DuckDB settings for the connections the package makes for an input.

    Parameters
    ----------
    memory_limit : str or int, optional
        How much memory DuckDB may use: a size such as ``"4GB"``, ``"512MiB"``
        or ``"25%"`` (of the machine's memory), or a number of bytes. Beyond
        it DuckDB spills to ``temp_directory``. Default:
        :func:`default_memory_limit` (20% of the machine's memory, at least 1 GiB).
    temp_directory : str or os.PathLike, optional
        Folder for the spill files (created by DuckDB when a query first
        spills; its files are removed when the connection closes). Default: a
        private folder under the system temp folder (``tempfile.gettempdir()``).
    threads : int, optional
        Worker threads (at least 1). Default: DuckDB's (one per core).

    Raises
    ------
    ValidationError
        A value of the wrong type or out of range, naming the option.

    Examples
    --------
    >>> EngineOptions(memory_limit="4GB", threads=2).settings()["memory_limit"]
    '4GB'
    """

    memory_limit: str | int | None = None
    temp_directory: str | os.PathLike[str] | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        """Check each option as it is set, so a bad value fails at once rather than at connect."""
        _check_memory(self.memory_limit)
        _check_temp(self.temp_directory)
        _check_threads(self.threads)

    @property
    def explicit(self) -> dict[str, Any]:
        """The options that were set (name -> value), for messages."""
        names = ("memory_limit", "temp_directory", "threads")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def settings(self) -> dict[str, Any]:
        """Return the DuckDB ``config`` these options make, defaults filled in."""
        memory = self.memory_limit if self.memory_limit is not None else default_memory_limit()
        temp = self.temp_directory
        if temp is None:
            # a private folder rather than DuckDB's ``.tmp`` in the user's working directory
            temp = os.path.join(tempfile.gettempdir(), f"cjm-duckdb-{uuid.uuid4().hex}")
        config: dict[str, Any] = {"temp_directory": os.fspath(temp)}
        if memory is not None:
            config["memory_limit"] = f"{memory}B" if isinstance(memory, int) else memory.strip()
        if self.threads is not None:
            config["threads"] = self.threads
        return config


def _check_memory(value: Any) -> None:
    if value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool):
        if value > 0:
            return
    elif isinstance(value, str):
        match = _SIZE.fullmatch(value)
        if match and float(match.group(1)) > 0 and (match.group(2) != "%" or float(match.group(1)) <= 100):
            return
    raise ValidationError(
        "memory_limit must be a size such as '4GB', '512MiB' or '25%', or a number of bytes > 0; "
        f"got {value!r}",
        column="memory_limit",
    )


def _check_temp(value: Any) -> None:
    if value is None:
        return
    if isinstance(value, str | os.PathLike) and os.fspath(value).strip():
        return
    raise ValidationError(
        f"temp_directory must be a folder path (str or os.PathLike); got {value!r}", column="temp_directory"
    )


def _check_threads(value: Any) -> None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return
    raise ValidationError(f"threads must be a whole number >= 1; got {value!r}", column="threads")
