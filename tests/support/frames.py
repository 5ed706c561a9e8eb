"""``pd.testing.assert_frame_equal``, quick when the frames are the same.

The model tests compare whole journeys after every test (the ``journey`` fixture) and after
every edit (tests/model/test_incremental.py): thousands of frames per run, nearly all equal.
``assert_frame_equal`` walks them column by column in Python; ``DataFrame.equals`` compares
the blocks at once. :func:`assert_same_frame` answers with the quick check where it is enough
and leaves every other case, and the message naming a difference, to ``assert_frame_equal``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["assert_same_frame"]


def _plainly_equal(got: pd.DataFrame, want: pd.DataFrame) -> bool:
    """Whether ``got`` and ``want`` are equal in every way ``assert_frame_equal`` looks at.

    Same flags, same columns (names, order, type), same dtypes (none of them ``object``, whose
    cells compare by Python's ``==``), the same RangeIndex, and ``DataFrame.equals``: each value
    exactly equal, missing values in the same places. Where this is True, ``assert_frame_equal``
    passes too, with or without ``check_exact``.
    """
    return (
        got.flags.allows_duplicate_labels == want.flags.allows_duplicate_labels
        and isinstance(got.index, pd.RangeIndex)
        and isinstance(want.index, pd.RangeIndex)
        and got.index.equals(want.index)
        and got.index.names == want.index.names
        and type(got.columns) is type(want.columns)
        and got.columns.dtype == want.columns.dtype
        and got.columns.names == want.columns.names
        and got.columns.equals(want.columns)
        and got.dtypes.equals(want.dtypes)
        and not any(dtype == np.dtype(object) for dtype in got.dtypes)
        and got.equals(want)
    )


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame, *, check_exact: bool = False, obj: str) -> None:
    """``pd.testing.assert_frame_equal(got, want, check_exact=check_exact, obj=obj)``, quicker.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, None]}, dtype="Int64")
    >>> assert_same_frame(df, df.copy(), obj="stages")
    >>> assert_same_frame(df, df.fillna(2), obj="stages")
    Traceback (most recent call last):
    ...
    AssertionError: stages.iloc[:, 0] (column name="a") NA mask are different
    ...
    """
    if not _plainly_equal(got, want):
        pd.testing.assert_frame_equal(got, want, check_exact=check_exact, obj=obj)
