"""A seeded customer table with planted segments, for examples, tests and benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = ["make_customers", "ARCHETYPES", "SIGNATURES"]


class Archetype(TypedDict):
    """One planted segment: how each of its columns is drawn."""

    age: tuple[float, float]  # normal (mean, sd)
    orders_per_year: float  # Poisson mean
    basket_value: float  # log-normal around this mean
    channel: dict[str, float]  # level -> probability
    device: dict[str, float]


#: The planted segments: per column, numeric (mean, sd) or categorical {level: probability}.
#: ``orders_per_year`` is Poisson(mean) and ``basket_value`` log-normal around its mean.
ARCHETYPES: dict[str, Archetype] = {
    "young_mobile": {
        "age": (26, 4),
        "orders_per_year": 5,
        "basket_value": 35,
        "channel": {"app": 0.8, "web": 0.15, "store": 0.05},
        "device": {"mobile": 0.9, "desktop": 0.1},
    },
    "loyal_regular": {
        "age": (48, 6),
        "orders_per_year": 16,
        "basket_value": 55,
        "channel": {"store": 0.7, "web": 0.2, "app": 0.1},
        "device": {"desktop": 0.6, "mobile": 0.4},
    },
    "big_basket": {
        "age": (38, 6),
        "orders_per_year": 3,
        "basket_value": 170,
        "channel": {"web": 0.8, "store": 0.1, "app": 0.1},
        "device": {"desktop": 0.85, "mobile": 0.15},
    },
    "phone_senior": {
        "age": (67, 5),
        "orders_per_year": 2,
        "basket_value": 45,
        "channel": {"phone": 0.75, "store": 0.25},
        "device": {"desktop": 0.5, "mobile": 0.5},
    },
}

#: The column(s) that set each planted segment apart most (what a profile should name first).
SIGNATURES: dict[str, tuple[str, ...]] = {
    "young_mobile": ("age", "device", "channel"),
    "loyal_regular": ("orders_per_year", "channel"),
    "big_basket": ("basket_value", "channel"),
    "phone_senior": ("age", "channel"),
}

#: Columns drawn the same way in every segment: a good profile ranks them last.
NOISE = ("region", "tenure_days")
_REGIONS = ("north", "south", "east", "west")


def make_customers(
    customers: int = 1000,
    *,
    segments: int | Sequence[str] = 3,
    shares: Sequence[float] | None = None,
    extra_numeric: int = 0,
    extra_categorical: int = 0,
    missing: float = 0.0,
    ids: str = "int",
    seed: int = 0,
) -> pd.DataFrame:
    """Make a seeded customer table of mixed types whose customers come from planted segments.

    Parameters
    ----------
    customers : int
        Number of rows (at least 1).
    segments : int or list of str
        How many of :data:`ARCHETYPES` to plant (the first ``segments``, 1..4),
        or their names.
    shares : list of float, optional
        Relative size of each planted segment; default equal.
    extra_numeric, extra_categorical : int
        Further noise columns ``num_1``.. (standard normal) and ``cat_1``..
        (five levels, uniform), the same in every segment, to widen the table.
    missing : float
        Share of cells blanked at random in every feature column (0..1).
    ids : {"int", "str"}
        ``customer_id`` as 0-based integers or as text ``"c0000001"``.
    seed : int
        The same arguments give the same table.

    Returns
    -------
    DataFrame
        ``customer_id``, the planted columns ``age``, ``orders_per_year``,
        ``basket_value``, ``channel``, ``device``, the noise columns
        ``region`` and ``tenure_days``, any extra columns, and
        ``planted_segment`` (the truth; drop it before segmenting).

    Raises
    ------
    ValidationError
        ``customers`` not an integer >= 1, ``segments`` not 1..4 or not
        distinct archetype names, ``shares`` not one non-negative weight per
        segment, ``missing`` outside [0, 1), ``ids`` not "int" or "str".

    Examples
    --------
    >>> from cjm_jupyter.personas import make_customers
    >>> t = make_customers(6, seed=1)
    >>> list(t.columns)[:4]
    ['customer_id', 'age', 'orders_per_year', 'basket_value']
    >>> sorted(t["planted_segment"].unique())
    ['big_basket', 'loyal_regular', 'young_mobile']
    """
    names = _segment_names(segments)
    if isinstance(customers, bool) or not isinstance(customers, int) or customers < 1:
        raise ValidationError("must be an integer >= 1", column="customers", value=customers, has_value=True)
    if not 0 <= missing < 1:
        raise ValidationError("must be in [0, 1)", column="missing", value=missing, has_value=True)
    if ids not in ("int", "str"):
        raise ValidationError("must be 'int' or 'str'", column="ids", value=ids, has_value=True)
    p = np.full(len(names), 1.0) if shares is None else np.asarray(shares, dtype="float64")
    if p.shape != (len(names),) or (p < 0).any() or p.sum() <= 0:
        raise ValidationError("one non-negative weight per segment", column="shares", value=shares)
    rng = np.random.default_rng(seed)
    which = rng.choice(len(names), size=customers, p=p / p.sum())
    columns: dict[str, object] = {
        "customer_id": np.arange(customers)
        if ids == "int"
        else pd.array([f"c{i:07d}" for i in range(customers)], dtype="string")
    }
    columns.update(_planted(rng, names, which))
    columns["region"] = _levels(rng, np.array(_REGIONS, dtype=object), customers)
    columns["tenure_days"] = rng.uniform(0, 2000, customers).round()
    for i in range(1, extra_numeric + 1):
        columns[f"num_{i}"] = rng.standard_normal(customers)
    for i in range(1, extra_categorical + 1):
        columns[f"cat_{i}"] = _levels(rng, np.array([f"l{j}" for j in range(5)], dtype=object), customers)
    table = pd.DataFrame(columns)
    features = [c for c in table.columns if c != "customer_id"]
    if missing:
        for col in features:
            table.loc[rng.random(customers) < missing, col] = None
    table["planted_segment"] = pd.array(np.array(names, dtype=object)[which], dtype="string")
    return table


def _segment_names(segments: int | Sequence[str]) -> list[str]:
    if isinstance(segments, int) and not isinstance(segments, bool):
        if not 1 <= segments <= len(ARCHETYPES):
            raise ValidationError(
                f"must be 1..{len(ARCHETYPES)}", column="segments", value=segments, has_value=True
            )
        return list(ARCHETYPES)[:segments]
    names = [] if isinstance(segments, bool) else list(segments)  # a bool: refused below, as no names
    unknown = [n for n in names if n not in ARCHETYPES]
    if unknown or not names or len(set(names)) != len(names):
        raise ValidationError(
            f"must be distinct names among {list(ARCHETYPES)}", column="segments", value=segments
        )
    return names


def _planted(rng: np.random.Generator, names: list[str], which: np.ndarray) -> dict[str, object]:
    n = len(which)
    arche = [ARCHETYPES[name] for name in names]
    age_mean = np.array([a["age"][0] for a in arche])[which]
    age_sd = np.array([a["age"][1] for a in arche])[which]
    orders = np.array([a["orders_per_year"] for a in arche], dtype="float64")[which]
    basket = np.array([a["basket_value"] for a in arche], dtype="float64")[which]
    out: dict[str, object] = {
        "age": np.clip(rng.normal(age_mean, age_sd), 18, 95).round(),
        "orders_per_year": rng.poisson(orders).astype("float64"),
        # log-normal with sigma 0.35 around the archetype's mean basket
        "basket_value": (basket * np.exp(rng.normal(-(0.35**2) / 2, 0.35, n))).round(2),
    }
    for col, dists in (("channel", [a["channel"] for a in arche]), ("device", [a["device"] for a in arche])):
        levels = sorted({lvl for dist in dists for lvl in dist})
        probs = np.array([[dist.get(lvl, 0.0) for lvl in levels] for dist in dists])
        # inverse-CDF draw per customer from their segment's row of probabilities
        cdf = probs.cumsum(axis=1)[which]
        idx = (rng.random(n)[:, None] > cdf).sum(axis=1).clip(max=len(levels) - 1)
        out[col] = np.array(levels, dtype=object)[idx]
    return out


def _levels(rng: np.random.Generator, levels: np.ndarray, n: int) -> np.ndarray:
    return levels[rng.integers(0, len(levels), n)]
