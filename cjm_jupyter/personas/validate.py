"""Check hand-made personas against the customer table: coverage, overlap, trait distance."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = ["PersonaCheck", "validate_personas"]

_UNDEFINED = re.compile(r"(local variable|name) '(.+)' is not defined")


@dataclass(frozen=True)
class PersonaCheck:
    """What :func:`validate_personas` returns.

    Made by that function; each parameter is kept as the (read-only)
    attribute of the same name.

    Parameters
    ----------
    coverage : DataFrame
        One row per persona: ``persona``, ``rule``, ``matched`` (customers),
        ``share`` (of all customers), ``only`` (matched by no other persona)
        and ``only_share``.
    overlap : DataFrame
        One row per ordered pair of personas: ``persona``, ``other``, ``both``
        (customers matched by both), ``share`` (of all customers) and
        ``share_of_persona`` (of ``persona``'s matched customers; NaN when it
        matched none).
    traits : DataFrame
        One row per stated trait: ``persona``, ``column``, ``kind``,
        ``stated``, ``n`` (matched customers with a value), ``value`` (their
        mean, or the share agreeing with the stated level(s)), ``typical``
        (their median or most common level), ``distance`` (numeric: (stated -
        mean) / standard deviation of the matched customers, 0 inside a
        stated (low, high) range; categorical: 1 - share agreeing) and
        ``agrees`` (share of matched customers matching the stated value,
        level(s) or range). NaN when the persona matched no one with a value.
    summary : dict
        ``customers``, ``matched_any`` and ``share_any`` (matched by at least
        one persona), ``matched_several`` and ``share_several``, ``unmatched``
        and ``share_unmatched``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.personas import validate_personas
    >>> t = pd.DataFrame({"age": [22, 25, 61, 66]})
    >>> check = validate_personas(t, {"Mia": "age < 35"})
    >>> check.summary["matched_any"], check.summary["share_unmatched"]
    (2, 0.5)
    >>> check.coverage[["persona", "rule", "matched"]].values.tolist()
    [['Mia', 'age < 35', 2]]
    """

    coverage: pd.DataFrame
    overlap: pd.DataFrame
    traits: pd.DataFrame
    summary: dict[str, Any]


def validate_personas(
    customers: pd.DataFrame,
    rules: Mapping[str, str],
    traits: Mapping[str, Mapping[str, Any]] | None = None,
) -> PersonaCheck:
    """How well hand-made personas, given as rules over the customer table, fit the customers.

    Parameters
    ----------
    customers : DataFrame
        One row per customer.
    rules : mapping of persona -> str
        A pandas query per persona (id or name, any label), e.g.
        ``{"Mobile Mia": "age < 35 and device == 'mobile'"}``. Rules see the
        table's columns only (no ``@variables``); quote odd names with
        backticks. Customers with a missing value fail comparisons on it.
    traits : mapping of persona -> {column: stated value}, optional
        What each persona claims: a number (``{"age": 30}``), a
        (low, high) range (``{"age": (25, 34)}``), a level
        (``{"channel": "app"}``) or a list of levels.

    Returns
    -------
    PersonaCheck
        ``.coverage``, ``.overlap``, ``.traits`` and ``.summary``.

    Raises
    ------
    ValidationError
        An empty table or no rules; a rule naming an unknown column (the
        error names it), a rule that is not a valid query or not a condition;
        traits for a persona without a rule or for an unknown column.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.personas import validate_personas
    >>> t = pd.DataFrame({"age": [22, 30, 41, 67], "device": ["mobile", "mobile", "desktop", "desktop"]})
    >>> check = validate_personas(t, {"Mia": "age < 35", "Don": "device == 'desktop'"},
    ...                           traits={"Mia": {"age": 25, "device": "mobile"}})
    >>> check.coverage[["persona", "matched", "share"]].values.tolist()
    [['Mia', 2, 0.5], ['Don', 2, 0.5]]
    >>> check.summary["share_any"]
    1.0
    >>> check.traits[["column", "value", "distance"]].round(3).values.tolist()
    [['age', 26.0, -0.177], ['device', 1.0, 0.0]]
    """
    if not isinstance(customers, pd.DataFrame):
        raise ValidationError(f"the customer table must be a DataFrame, not {type(customers).__name__}")
    if customers.empty:
        raise ValidationError("the customer table is empty")
    if not rules:
        raise ValidationError("no persona rules given")
    masks = {persona: _match(customers, persona, rule) for persona, rule in rules.items()}
    matched = pd.DataFrame(masks)
    coverage, summary = _coverage(matched, rules)
    return PersonaCheck(coverage, _overlap(matched), _traits(customers, masks, traits or {}), summary)


def _match(customers: pd.DataFrame, persona: str, rule: Any) -> np.ndarray:
    where = f"the rule of persona {persona!r}"
    if not isinstance(rule, str) or not rule.strip():
        raise ValidationError(f"{where} must be a pandas query string", value=rule)
    try:
        # empty local and global scopes: a rule sees the columns, never our variables
        result = customers.eval(rule, local_dict={}, global_dict={})
    except pd.errors.UndefinedVariableError as exc:
        found = _UNDEFINED.search(str(exc))
        if found and found.group(1) == "local variable":
            raise ValidationError(
                f"{where} uses @{found.group(2)}: rules see the table's columns only", value=rule
            ) from None
        column = found.group(2) if found else str(exc)
        raise ValidationError(f"{where} names an unknown column", column=column) from None
    except Exception as exc:  # pandas raises many types for a bad expression
        raise ValidationError(f"{where} is not a valid pandas query: {exc}", value=rule) from None
    if not isinstance(result, pd.Series) or not (pd.api.types.is_bool_dtype(result) or result.isna().all()):
        raise ValidationError(f"{where} is not a condition (true/false per customer)", value=rule)
    return result.fillna(False).to_numpy(dtype=bool)


def _coverage(matched: pd.DataFrame, rules: Mapping[str, str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    n = len(matched)
    per_customer = matched.sum(axis=1).to_numpy()
    counts = matched.sum(axis=0)
    only = matched[per_customer == 1].sum(axis=0)
    coverage = pd.DataFrame(
        {
            "persona": list(matched.columns),
            "rule": [rules[p] for p in matched.columns],
            "matched": counts.to_numpy(dtype="int64"),
            "share": counts.to_numpy() / n,
            "only": only.to_numpy(dtype="int64"),
            "only_share": only.to_numpy() / n,
        }
    )
    any_, several = int((per_customer > 0).sum()), int((per_customer > 1).sum())
    summary = {
        "customers": n,
        "matched_any": any_,
        "share_any": any_ / n,
        "matched_several": several,
        "share_several": several / n,
        "unmatched": n - any_,
        "share_unmatched": (n - any_) / n,
    }
    return coverage, summary


def _overlap(matched: pd.DataFrame) -> pd.DataFrame:
    m = matched.to_numpy(dtype="int64")
    both = m.T @ m  # customers matched by both personas of each pair
    names = list(matched.columns)
    rows = [
        {
            "persona": a,
            "other": b,
            "both": int(both[i, j]),
            "share": both[i, j] / len(m),
            "share_of_persona": both[i, j] / both[i, i] if both[i, i] else math.nan,
        }
        for i, a in enumerate(names)
        for j, b in enumerate(names)
        if i != j
    ]
    return pd.DataFrame(rows, columns=["persona", "other", "both", "share", "share_of_persona"])


def _traits(
    customers: pd.DataFrame, masks: dict[str, np.ndarray], traits: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    rows = []
    for persona, stated in traits.items():
        if persona not in masks:
            raise ValidationError(f"traits given for persona {persona!r}, which has no rule", value=persona)
        if not isinstance(stated, Mapping):
            raise ValidationError(
                f"the traits of persona {persona!r} must be a mapping {{column: stated value}}",
                value=stated,
                has_value=True,
            )
        for column, value in stated.items():
            if column not in customers.columns:
                raise ValidationError(
                    f"a trait of persona {persona!r} names an unknown column", column=column
                )
            values = customers.loc[masks[persona], column].dropna()
            numeric = pd.api.types.is_numeric_dtype(customers[column]) and not pd.api.types.is_bool_dtype(
                customers[column]
            )
            row = _numeric_trait(values, value) if numeric else _level_trait(values, value)
            rows.append({"persona": persona, "column": column, "stated": value, "n": len(values), **row})
    columns = ["persona", "column", "kind", "stated", "n", "value", "typical", "distance", "agrees"]
    return pd.DataFrame(rows, columns=columns)


def _numeric_trait(values: pd.Series, stated: Any) -> dict[str, Any]:
    x = values.astype("float64")
    if isinstance(stated, tuple | list) and len(stated) == 2:
        low, high = (float(v) for v in stated)
        if low > high:
            raise ValidationError("a (low, high) range needs low <= high", value=stated, has_value=True)
    elif isinstance(stated, int | float | np.number) and not isinstance(stated, bool):
        low = high = float(stated)
    else:
        raise ValidationError(
            "a numeric trait must be a number or a (low, high) range", value=stated, has_value=True
        )
    mean, sd = (x.mean(), x.std()) if len(x) else (math.nan, math.nan)
    # distance of the stated value (or the nearest end of the range) from the mean, in SDs
    target = min(max(mean, low), high) if not math.isnan(mean) else math.nan
    distance = (target - mean) / sd if sd and not math.isnan(sd) else (0.0 if target == mean else math.nan)
    agrees = float(((x >= low) & (x <= high)).mean()) if len(x) else math.nan
    return {
        "kind": "numeric",
        "value": mean,
        "typical": x.median() if len(x) else math.nan,
        "distance": distance,
        "agrees": agrees,
    }


def _level_trait(values: pd.Series, stated: Any) -> dict[str, Any]:
    levels = {str(v) for v in stated} if isinstance(stated, list | tuple | set) else {str(stated)}
    text = values.astype("string")
    share = float(text.isin(levels).mean()) if len(text) else math.nan
    return {
        "kind": "categorical",
        "value": share,
        "typical": text.mode().iloc[0] if len(text) else None,
        "distance": 1 - share,
        "agrees": share,
    }
