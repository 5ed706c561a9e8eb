"""Segment profiles: what each segment looks like and what sets it apart from the rest.

One tidy row per (segment, column). Effect sizes compare the segment with all
other customers:

- numeric columns: Cohen's d = (mean in segment - mean in rest) / pooled
  standard deviation (ddof=1), NaN when the pooled deviation is 0 or undefined;
- categorical columns: Cramér's V of the table (in segment / in rest) x level,
  computed by ``scipy.stats.contingency.association``; 0 when the column has a
  single level, NaN when the segment or the rest has no value.

To rank numeric and categorical columns on one scale, ``strength`` is the
association between segment membership and the column in [0, 1]: the
point-biserial correlation |r| for numeric columns (|r| = |d| /
sqrt(d^2 + N (N - 2) / (n1 n2))) and Cramér's V for categorical ones (for a
two-row table V is the phi coefficient, itself a correlation). ``rank`` 1 is
the strongest within the segment.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ._deps import require

__all__ = ["profile_segments", "PROFILE_COLUMNS"]

PROFILE_COLUMNS = [
    "segment",
    "size",
    "share",
    "column",
    "kind",
    "typical",
    "segment_value",
    "rest_value",
    "effect_size",
    "effect",
    "strength",
    "rank",
    "level",
    "level_share",
    "level_rest_share",
    "missing",
    "trait",
]


def profile_segments(
    table: pd.DataFrame, labels: pd.Series, numeric: list[str], categorical: list[str]
) -> pd.DataFrame:
    """Profile each segment of ``labels`` over the columns of ``table``: one tidy row per segment and column.

    Each segment is compared with all other customers (effect sizes and
    ``strength`` as in the module notes). :func:`segment_customers` returns
    this profile as ``.profile``; call it directly to profile segments found
    another way (rules, another clustering).

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    labels : Series or array-like
        Each customer's segment label, in the order of ``table``'s rows
        (read by position).
    numeric : list of str
        Columns of ``table`` profiled as numbers (non-numbers read as missing).
    categorical : list of str
        Columns of ``table`` profiled as levels (read as text; beyond 20
        levels the rarer ones are pooled as ``"(other)"``).

    Returns
    -------
    DataFrame
        Columns :data:`PROFILE_COLUMNS`: ``segment``, ``size``, ``share``,
        ``column``, ``kind`` (``"numeric"``/``"categorical"``), ``typical``
        (median / most common level, as text), ``segment_value`` and
        ``rest_value`` (mean / share of that most common level, in the
        segment and in the rest), ``effect_size``, ``effect`` (``"Cohen's
        d"``/``"Cramér's V"``), ``strength``, ``rank`` (1 = strongest within
        the segment), ``level`` (the level most over-represented in the
        segment, categorical only) with ``level_share`` /
        ``level_rest_share``, ``missing`` (share of the segment without a
        value) and ``trait`` (one readable sentence). Sorted by segment and
        rank.

    Raises
    ------
    ImportError
        scipy missing, with ``categorical`` columns: ``pip install "cjm_jupyter[personas]"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.personas import profile_segments
    >>> t = pd.DataFrame({"age": [22, 25, 61, 66], "device": ["mobile", "mobile", "desktop", "desktop"]})
    >>> p = profile_segments(t, pd.Series([1, 1, 2, 2]), ["age"], ["device"])
    >>> p[["segment", "column", "typical", "rank"]].values.tolist()
    [[1, 'device', 'mobile', 1], [1, 'age', '23.5', 2], [2, 'device', 'desktop', 1], [2, 'age', '63.5', 2]]
    >>> p.loc[1, "trait"]
    'age: median 23.5 (mean 23.5 vs 63.5 in the rest, d = -13.72)'
    """
    labels = pd.Series(np.asarray(labels), index=table.index)
    sizes = labels.value_counts().sort_index()
    total = int(sizes.sum())
    parts = [_numeric(table, labels, col, sizes) for col in numeric]
    parts += [_categorical(table, labels, col, sizes) for col in categorical]
    rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PROFILE_COLUMNS)
    rows["size"] = rows["segment"].map(sizes).astype("int64")
    rows["share"] = rows["size"] / total
    rows["rank"] = (
        rows.groupby("segment")["strength"].rank(ascending=False, method="first", na_option="bottom")
    ).astype("int64")
    rows = rows.sort_values(["segment", "rank"], kind="stable").reset_index(drop=True)
    return rows[PROFILE_COLUMNS]


def _numeric(table: pd.DataFrame, labels: pd.Series, col: str, sizes: pd.Series) -> pd.DataFrame:
    values = pd.to_numeric(table[col], errors="coerce").astype("float64")
    # centre first so the sums of squares below keep their precision on large values
    centre = values.mean()
    x = values - centre
    g = pd.DataFrame({"x": x, "x2": x * x, "s": labels}).groupby("s", sort=True)
    n = g["x"].count().reindex(sizes.index, fill_value=0).astype("float64")
    s1 = g["x"].sum().reindex(sizes.index, fill_value=0.0)
    s2 = g["x2"].sum().reindex(sizes.index, fill_value=0.0)
    median = values.groupby(labels).median().reindex(sizes.index)
    n_rest, s1_rest, s2_rest = n.sum() - n, s1.sum() - s1, s2.sum() - s2
    with np.errstate(divide="ignore", invalid="ignore"):
        mean, mean_rest = s1 / n, s1_rest / n_rest
        ss, ss_rest = s2 - n * mean**2, s2_rest - n_rest * mean_rest**2
        pooled = np.sqrt((ss.clip(lower=0) + ss_rest.clip(lower=0)) / (n + n_rest - 2))
        d = ((mean - mean_rest) / pooled).where(pooled > 1e-12 * (1 + abs(centre)))
        big_n = n + n_rest
        r = (d.abs() / np.sqrt(d**2 + big_n * (big_n - 2) / (n * n_rest))).fillna(0.0)
    out = pd.DataFrame(
        {
            "segment": sizes.index,
            "column": col,
            "kind": "numeric",
            "typical": [_fmt(v) for v in median],
            "segment_value": (mean + centre).to_numpy(),
            "rest_value": (mean_rest + centre).to_numpy(),
            "effect_size": d.to_numpy(),
            "effect": "Cohen's d",
            "strength": r.where(d.notna()).to_numpy(),
            "level": None,
            "level_share": np.nan,
            "level_rest_share": np.nan,
            "missing": (1 - n / sizes).to_numpy(),
        }
    )
    out["trait"] = [
        _numeric_trait(col, med, m, mr, dd)
        for med, m, mr, dd in zip(median, out["segment_value"], out["rest_value"], d, strict=True)
    ]
    return out


#: Levels of a categorical column kept apart; the rarer ones are pooled as one "(other)" level,
#: as the clustering's one-hot encoding does (``segment.MAX_LEVELS``).
MAX_LEVELS = 20
OTHER_LEVEL = "(other)"


def _pooled(values: pd.Series) -> pd.Series:
    """``values`` with all but the ``MAX_LEVELS - 1`` most frequent levels pooled as ``"(other)"``.

    Without pooling an id-like column (one customer per level) gets Cramér's
    V = 1 against every segment and would be named what sets each one apart.
    """
    counts = values.value_counts()
    if len(counts) <= MAX_LEVELS:
        return values
    keep = set(counts.index[: MAX_LEVELS - 1])
    return values.where(values.isin(keep) | values.isna(), OTHER_LEVEL)


def _categorical(table: pd.DataFrame, labels: pd.Series, col: str, sizes: pd.Series) -> pd.DataFrame:
    association = require("scipy.stats.contingency").association
    values = _pooled(table[col].astype("string"))
    counts = pd.crosstab(labels, values).reindex(sizes.index, fill_value=0)  # NA values left out
    total = counts.sum(axis=0)
    rows = []
    for seg in sizes.index:
        inside = counts.loc[seg]
        rest = total - inside
        n_in, n_rest = int(inside.sum()), int(rest.sum())
        share = inside / n_in if n_in else inside * np.nan
        share_rest = rest / n_rest if n_rest else rest * np.nan
        if n_in == 0 or n_rest == 0:
            v = math.nan
        elif (total > 0).sum() < 2:
            v = 0.0  # a single level cannot tell anyone apart
        else:
            both = np.vstack([inside.to_numpy(), rest.to_numpy()])
            both = both[:, both.sum(axis=0) > 0]
            v = float(association(both, method="cramer", correction=False))
        mode = inside.idxmax() if n_in else None
        diff = share - share_rest
        level = diff.idxmax() if n_in and n_rest else None
        rows.append(
            {
                "segment": seg,
                "column": col,
                "kind": "categorical",
                "typical": None if mode is None else str(mode),
                "segment_value": share.get(mode, math.nan) if mode is not None else math.nan,
                "rest_value": share_rest.get(mode, math.nan) if mode is not None else math.nan,
                "effect_size": v,
                "effect": "Cramér's V",
                "strength": v,
                "level": None if level is None else str(level),
                "level_share": math.nan if level is None else float(share[level]),
                "level_rest_share": math.nan if level is None else float(share_rest[level]),
                "missing": 1 - n_in / sizes[seg],
            }
        )
    out = pd.DataFrame(rows)
    out["trait"] = [_categorical_trait(r) for r in rows]
    return out


def _fmt(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return f"{float(value):.4g}"


def _numeric_trait(col: str, median: float, mean: float, rest: float, d: float) -> str:
    if math.isnan(mean):
        return f"{col}: no values"
    if math.isnan(rest):
        return f"{col}: median {_fmt(median)} (mean {_fmt(mean)}; no other customers)"
    size = "" if math.isnan(d) else f", d = {d:+.2f}"
    return f"{col}: median {_fmt(median)} (mean {_fmt(mean)} vs {_fmt(rest)} in the rest{size})"


def _categorical_trait(row: dict[str, Any]) -> str:
    col, level = row["column"], row["level"]
    if level is None:
        return f"{col}: mostly {row['typical']}" if row["typical"] is not None else f"{col}: no values"
    v = "" if math.isnan(row["effect_size"]) else f", V = {row['effect_size']:.2f}"
    return f"{col} = {level}: {row['level_share']:.0%} vs {row['level_rest_share']:.0%} in the rest{v}"
