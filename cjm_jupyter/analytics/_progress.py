"""A progress bar over an analysis run's steps, shown only to a person watching.

``progress=None`` (auto) shows a :mod:`tqdm.auto` bar when the session is
interactive (an IPython kernel, or stderr is a terminal) and only once a run
has taken longer than :data:`AUTO_DELAY_S` seconds, so quick calls, tests, CI
and pipes stay silent. ``True`` forces the bar at once; ``False`` disables it.
Without ``tqdm`` installed there is no bar (it is in the ``analytics`` extra).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Steps", "is_interactive", "AUTO_DELAY_S"]

#: an automatic bar appears only for runs longer than this
AUTO_DELAY_S = 2.0


def is_interactive() -> bool:
    """Whether a person is likely watching: an IPython kernel, or stderr is a terminal."""
    shell = sys.modules.get("IPython")
    if shell is not None:
        ip = shell.get_ipython() if hasattr(shell, "get_ipython") else None
        if ip is not None and getattr(ip, "kernel", None) is not None:
            return True
    stream = sys.stderr
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


class Steps:
    """Counts named steps on a bar (or does nothing when the bar is off).

    Parameters
    ----------
    total : int
        Number of steps the run will take.
    progress : bool or None
        ``None``: automatic (see module notes); ``True``/``False``: forced.
    """

    def __init__(self, total: int, progress: bool | None) -> None:
        self._bar: Any = None
        if progress is False or (progress is None and not is_interactive()):
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - tqdm is a core dependency; a broken install runs barless
            return
        delay = AUTO_DELAY_S if progress is None else 0.0
        self._bar = tqdm(total=total, desc="journey analytics", unit="step", delay=delay, file=sys.stderr)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Show ``label`` while the block runs, then count it done."""
        if self._bar is not None:
            self._bar.set_postfix_str(label, refresh=False)
        yield
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        """Close the bar (idempotent)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Steps:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
