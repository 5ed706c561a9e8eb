"""Warnings that point at the user's line, however deep in this package they are raised."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

__all__ = ["warn_user"]

#: the cjm_jupyter package folder: frames in files under it are ours
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first caller outside ``cjm_jupyter``.

    The same warning is reached through several call paths (``funnel``,
    ``analyze``, ``measure``, ``Journey.measure``...), so a fixed
    ``stacklevel`` would point into the library on some of them. Python 3.12's
    ``skip_file_prefixes`` does this; 3.11 is supported, so frames are counted here.
    """
    level = 2  # 1 would be this function, 2 its caller
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
