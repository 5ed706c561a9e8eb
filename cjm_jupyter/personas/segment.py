"""Customer segments from a customer table of mixed types (scikit-learn k-means)."""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._deprecate import renamed_keywords
from ..errors import ValidationError
from ._deps import require
from .profile import MAX_LEVELS, profile_segments

__all__ = ["SegmentResult", "segment_customers", "K_RANGE", "SAMPLE_SIZE"]

#: The k tried when ``k`` is not given (inclusive), capped at customers - 1.
K_RANGE = (2, 8)
#: Customers in the seeded sample on which each candidate k is fitted.
SAMPLE_SIZE = 5_000
#: Customers of that sample on which each candidate's silhouette is computed (quadratic cost).
SILHOUETTE_SIZE = 3_000
#: Levels kept per categorical column; rarer ones are pooled (OneHotEncoder max_categories).


@dataclass(frozen=True)
class SegmentResult:
    """What :func:`segment_customers` and :func:`behavioural_segments` return.

    Made by those functions; each parameter is kept as the (read-only)
    attribute of the same name.

    Parameters
    ----------
    assignments : Series
        Segment label (int, 1 = largest segment) per customer; index = the
        table's index, or its ``customer_col`` column when given; name ``"segment"``.
    profile : DataFrame
        One row per (segment, column); see :func:`profile_segments`. Its
        ``.attrs`` carry ``definition``, ``source`` and ``k`` so that the frame
        alone is enough for :func:`persona_from_segment`.
    k : int
        Number of segments.
    scores : dict
        k -> mean silhouette on the sample (empty when ``k`` was given).
    definition : str
        JSON: method, k and how it was chosen, seed, columns and preprocessing.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.personas import segment_customers
    >>> t = pd.DataFrame({"age": [22, 25, 61, 66], "device": ["mobile", "mobile", "desktop", "desktop"]})
    >>> result = segment_customers(t, k=2, seed=0)
    >>> result.k, result.assignments.tolist()
    (2, [2, 2, 1, 1])
    >>> result.profile[["segment", "column", "typical"]].values.tolist()
    [[1, 'device', 'desktop'], [1, 'age', '63.5'], [2, 'device', 'mobile'], [2, 'age', '23.5']]
    """

    assignments: pd.Series
    profile: pd.DataFrame
    k: int
    scores: dict[int, float] = field(default_factory=dict)
    definition: str = ""

    def sizes(self) -> pd.Series:
        """Count the customers per segment, by label.

        Returns
        -------
        Series
            Customers (int) indexed by segment label, in label order.

        Examples
        --------
        >>> import pandas as pd
        >>> from cjm_jupyter.personas import segment_customers
        >>> t = pd.DataFrame({"age": [22, 25, 61, 66, 70]})
        >>> segment_customers(t, k=2, seed=0).sizes().to_dict()
        {1: 3, 2: 2}
        """
        return self.assignments.value_counts().sort_index()


@renamed_keywords(id="customer_col")
def segment_customers(
    customers: pd.DataFrame,
    columns: Sequence[str] | None = None,
    k: int | None = None,
    seed: int = 0,
    customer_col: str | None = None,
    *,
    k_range: tuple[int, int] = K_RANGE,
    sample_size: int = SAMPLE_SIZE,
) -> SegmentResult:
    """Group customers into segments and profile each one.

    Numeric columns are median-imputed and standardised; every other column is
    categorical: missing values become the level ``"(missing)"`` and levels
    are one-hot encoded (at most 20 per column, rarer ones pooled). k-means
    runs on the result. When ``k`` is not given, each k in ``k_range`` is
    fitted on a seeded sample of at most ``sample_size`` customers and the k
    with the highest mean silhouette (on at most 3,000 customers of that
    sample) wins (ties: the smaller k). On tables larger than the sample, the sample's centres seed a
    mini-batch k-means over all customers, so a million rows take seconds.
    The same table, columns and seed give the same segments.

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    columns : list of str, optional
        Columns to segment on; default all but ``customer_col``. Date and duration
        columns must be converted to numbers first.
    k : int, optional
        Number of segments (2 .. customers); default chosen by silhouette.
    seed : int
        Random seed for the sample and k-means.
    customer_col : str, optional
        Column holding the customer id: used as the assignments' index and
        never segmented on. ``id=``, the old name, works for one release
        with a :class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
    k_range : (int, int)
        Smallest and largest k tried (inclusive).
    sample_size : int
        Customers sampled to choose k.

    Returns
    -------
    SegmentResult
        ``.assignments``, ``.profile``, ``.k``, ``.scores``, ``.definition``.
        Segments are numbered 1.. by size, largest first.

    Raises
    ------
    ValidationError
        Empty table, fewer than 3 customers (2 with ``k=2``), an unknown
        column, a column without any value, a date/duration column, a bad
        ``k``, or fewer distinct customers than segments.
    ImportError
        scikit-learn or scipy missing: ``pip install "cjm_jupyter[personas]"``.

    Examples
    --------
    >>> from cjm_jupyter.personas import make_customers, segment_customers
    >>> t = make_customers(600, seed=1)
    >>> result = segment_customers(t.drop(columns="planted_segment"), customer_col="customer_id", seed=0)
    >>> result.k
    3
    >>> top = result.profile[result.profile["rank"] == 1]
    >>> list(top.columns[:6])
    ['segment', 'size', 'share', 'column', 'kind', 'typical']
    """
    table, ids = _check_table(customers, customer_col)
    numeric, categorical = _split_columns(table, columns, customer_col)
    k_lo, k_hi = _check_k(k, k_range, len(table))
    X = _encoder(numeric, categorical, seed).fit_transform(table[numeric + categorical])
    X = np.ascontiguousarray(X, dtype="float64")
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(len(X), size=sample_size, replace=False)) if len(X) > sample_size else None
    Xs = X if sample is None else X[sample]
    # One thread: k-means' OpenMP threads spin and contend on a small or busy
    # machine (measured on 2 cores: 5,000 x 70 fits 6x faster, 1M rows 4x).
    with require("threadpoolctl").threadpool_limits(1):
        scores, centres, best = _choose_k(Xs, k, k_lo, k_hi, seed)
        labels, method = _final_fit(X, Xs is X, centres[best], seed, best)
    labels = _by_size(labels, best)
    assignments = pd.Series(labels, index=ids, name="segment")
    definition = json.dumps(
        {
            "method": method,
            "k": best,
            "k_chosen_by": "given" if k is not None else "silhouette",
            "k_range": None if k is not None else [k_lo, k_hi],
            "silhouette": {str(key): round(val, 6) for key, val in scores.items()},
            "sample_size": len(Xs),
            "seed": seed,
            "customers": len(table),
            "numeric": numeric,
            "categorical": categorical,
            "preprocessing": "numeric: median impute + standard scale; categorical: '(missing)' + one-hot",
            "labels": "1.. by size, largest first",
        },
        ensure_ascii=False,
    )
    profile = profile_segments(table, pd.Series(labels, index=table.index), numeric, categorical)
    profile.attrs.update(definition=definition, source="kmeans", k=best)
    return SegmentResult(assignments, profile, best, scores, definition)


def _check_table(customers: Any, customer_col: str | None) -> tuple[pd.DataFrame, pd.Index]:
    if not isinstance(customers, pd.DataFrame):
        raise ValidationError(f"the customer table must be a DataFrame, not {type(customers).__name__}")
    if customers.empty:
        raise ValidationError("the customer table is empty")
    if isinstance(customers.columns, pd.MultiIndex):
        raise ValidationError("the customer table has multi-level column names: flatten them first")
    if not customers.columns.is_unique:
        repeated = sorted({str(c) for c in customers.columns[customers.columns.duplicated()]})
        raise ValidationError(
            f"the customer table repeats the column names {', '.join(map(repr, repeated))}: rename them"
        )
    if customer_col is None:
        return customers, customers.index
    if customer_col not in customers.columns:
        raise ValidationError("no such column in the customer table", column=customer_col)
    ids = pd.Index(customers[customer_col])
    if ids.hasnans or not ids.is_unique:
        raise ValidationError("customer ids must be unique and not missing", column=customer_col)
    return customers, ids


def _split_columns(
    table: pd.DataFrame, columns: Sequence[str] | None, customer_col: str | None
) -> tuple[list[str], list[str]]:
    if isinstance(columns, str):
        columns = [columns]
    cols = [c for c in table.columns if c != customer_col] if columns is None else list(columns)
    if not cols:
        raise ValidationError("no columns to segment on")
    numeric, categorical = [], []
    for col in cols:
        if col not in table.columns:
            raise ValidationError("no such column in the customer table", column=col)
        if col == customer_col:
            raise ValidationError("the customer id column (customer_col=) cannot be segmented on", column=col)
        s = table[col]
        if s.isna().all():
            raise ValidationError("has no value (all missing): drop it or fill it", column=col)
        if pd.api.types.is_datetime64_any_dtype(s) or pd.api.types.is_timedelta64_dtype(s):
            raise ValidationError("dates and durations must be converted to numbers first", column=col)
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            if np.isinf(s.to_numpy(dtype="float64", na_value=np.nan)).any():
                raise ValidationError(
                    "holds infinite values: replace them (e.g. with NaN, filled by the median)", column=col
                )
            numeric.append(col)
        else:
            categorical.append(col)
    return numeric, categorical


def _check_k(k: Any, k_range: tuple[int, int], n: int) -> tuple[int, int]:
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
            raise ValidationError("must be an integer >= 2", column="k", value=k, has_value=True)
        if k > n:
            raise ValidationError(f"more segments than customers ({n})", column="k", value=k)
        return int(k), int(k)
    lo, hi = (int(v) for v in k_range)
    if lo < 2 or hi < lo:
        raise ValidationError("must be (low, high) with 2 <= low <= high", column="k_range", value=k_range)
    if n < 3:
        raise ValidationError(
            f"{n} customer{'s' if n != 1 else ''}: choosing k by silhouette needs at least 3 customers"
        )
    return lo, min(hi, n - 1)


def _encoder(numeric: list[str], categorical: list[str], seed: int) -> Any:
    compose, impute, pre, pipe = (
        require(m) for m in ("sklearn.compose", "sklearn.impute", "sklearn.preprocessing", "sklearn.pipeline")
    )
    steps = []
    if numeric:
        scaled = pipe.make_pipeline(impute.SimpleImputer(strategy="median"), pre.StandardScaler())
        steps.append(("numeric", scaled, numeric))
    if categorical:
        steps.append(
            (
                "categorical",
                pipe.make_pipeline(
                    pre.FunctionTransformer(_as_codes, feature_names_out="one-to-one"),
                    pre.OneHotEncoder(
                        handle_unknown="infrequent_if_exist", max_categories=MAX_LEVELS, sparse_output=False
                    ),
                ),
                categorical,
            )
        )
    return compose.ColumnTransformer(steps, sparse_threshold=0.0)


def _as_codes(frame: pd.DataFrame) -> np.ndarray:
    # Levels as integer codes (sorted text, missing as its own level: being
    # unknown is itself a trait worth seeing in a segment). The one-hot
    # encoder counts levels of object arrays item by item in Python (seconds
    # per million rows and column); on integers it is vectorised.
    out = np.empty(frame.shape, dtype="int64")
    for i, col in enumerate(frame.columns):
        out[:, i] = pd.factorize(frame[col].astype("string").fillna("(missing)"), sort=True)[0]
    return out


def _choose_k(
    Xs: np.ndarray, k: int | None, lo: int, hi: int, seed: int
) -> tuple[dict[int, float], dict[int, np.ndarray], int]:
    cluster, metrics = require("sklearn.cluster"), require("sklearn.metrics")
    scores: dict[int, float] = {}
    centres: dict[int, np.ndarray] = {}
    for kk in range(lo, hi + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate points: reported below as too few distinct
            model = cluster.KMeans(n_clusters=kk, n_init=3, random_state=seed).fit(Xs)
        if len(np.unique(model.labels_)) < kk:
            if k is not None:
                raise ValidationError(
                    f"the customers have fewer than {kk} distinct profiles", column="k", value=kk
                )
            break
        centres[kk] = model.cluster_centers_
        if k is None:
            size = SILHOUETTE_SIZE if len(Xs) > SILHOUETTE_SIZE else None
            scores[kk] = float(
                metrics.silhouette_score(Xs, model.labels_, sample_size=size, random_state=seed)
            )
    if not centres:
        raise ValidationError("all customers look alike on these columns: nothing to segment")
    best = max(scores, key=lambda kk: (scores[kk], -kk)) if scores else lo
    return scores, centres, best


def _final_fit(X: np.ndarray, whole: bool, centres: np.ndarray, seed: int, k: int) -> tuple[np.ndarray, str]:
    cluster = require("sklearn.cluster")
    if whole:
        # the sample was the whole table: refit once more for the labels (same seed, same result)
        model = cluster.KMeans(n_clusters=k, init=centres, n_init=1, random_state=seed).fit(X)
        return model.labels_, "kmeans"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = cluster.MiniBatchKMeans(
            n_clusters=k, init=centres, n_init=1, batch_size=8192, random_state=seed
        ).fit(X)
    return model.predict(X), "kmeans on a sample, then minibatch kmeans"


def _by_size(labels: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(labels, minlength=k)
    # largest first, ties by the model's own label: deterministic
    order = np.lexsort((np.arange(k), -counts))
    new = np.empty(k, dtype="int64")
    new[order] = np.arange(1, k + 1)
    return new[labels]
