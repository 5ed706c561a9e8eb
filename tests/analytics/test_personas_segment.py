"""segment_customers: planted segments recovered, profiles named right, deterministic, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("sklearn")
from scipy.stats.contingency import association
from sklearn.metrics import adjusted_rand_score

from cjm_jupyter import ValidationError
from cjm_jupyter.personas import make_customers, segment_customers
from cjm_jupyter.personas._deps import require
from cjm_jupyter.personas.sample import NOISE, SIGNATURES

# Why 0.85: on these tables an oracle that knows the generating distributions
# scores ARI 0.99 (accuracy 99.6%); k-means on standardised mixed features
# scores 0.89-0.98 (seeds 0-2). Merging two planted segments or splitting one
# drops ARI to about 0.6-0.7, and random labels give about 0: 0.85 separates
# "recovered" from "one segment wrong" with room for the seed.
ARI_MIN = 0.85


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, object]:
    t = make_customers(3000, segments=4, missing=0.05, seed=0)
    return t, segment_customers(t.drop(columns="planted_segment"), customer_col="customer_id", seed=0)


@pytest.mark.parametrize("seed", [1, 2])
def test_recovers_planted_segments_with_k_by_silhouette(seed: int) -> None:
    t = make_customers(2000, segments=3, missing=0.05, seed=seed)
    result = segment_customers(t.drop(columns="planted_segment"), customer_col="customer_id", seed=seed)
    assert result.k == 3
    assert max(result.scores, key=result.scores.get) == 3
    assert sorted(result.scores) == list(range(2, 9))
    assert adjusted_rand_score(t["planted_segment"], result.assignments.to_numpy()) > ARI_MIN


def test_four_planted_segments_and_their_distinguishing_features(planted) -> None:
    t, result = planted
    assert result.k == 4
    assert adjusted_rand_score(t["planted_segment"], result.assignments.to_numpy()) > ARI_MIN
    majority = pd.crosstab(result.assignments.to_numpy(), t["planted_segment"]).idxmax(axis=1)
    assert sorted(majority) == sorted(SIGNATURES)  # one recovered segment per planted one
    p = result.profile
    for seg, truth in majority.items():
        rows = p[p["segment"] == seg].sort_values("rank")
        assert rows["column"].iloc[0] in SIGNATURES[truth], (seg, truth, rows["column"].tolist())
        # the columns drawn alike in every segment rank below every planted
        # signature column, with a negligible effect
        rank = rows.set_index("column")["rank"]
        assert rank[list(NOISE)].min() > rank[list(SIGNATURES[truth])].max()
        assert (rows.loc[rows["column"].isin(NOISE), "strength"] < 0.1).all()


def test_profile_frame_per_contract(planted) -> None:
    t, result = planted
    p = result.profile
    assert list(p.columns[:10]) == [
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
    ]
    assert len(p) == result.k * 7
    sizes = result.assignments.value_counts()
    assert list(sizes.sort_index()) == sorted(sizes, reverse=True)  # 1 = largest
    assert p.groupby("segment")["size"].first().to_dict() == sizes.to_dict()
    assert p.groupby("segment")["share"].first().sum() == pytest.approx(1.0)
    assert (p.groupby("segment")["rank"].apply(sorted) == [list(range(1, 8))] * result.k).all()
    assert set(p.loc[p["kind"] == "numeric", "effect"]) == {"Cohen's d"}
    assert set(p.loc[p["kind"] == "categorical", "effect"]) == {"Cramér's V"}
    assert result.assignments.name == "segment"
    assert result.assignments.index.equals(pd.Index(t["customer_id"]))
    d = json.loads(result.definition)
    assert d["k_chosen_by"] == "silhouette" and d["k_range"] == [2, 8] and d["seed"] == 0
    assert d["numeric"] == ["age", "orders_per_year", "basket_value", "tenure_days"]
    assert d["categorical"] == ["channel", "device", "region"]
    assert p.attrs["definition"] == result.definition and p.attrs["source"] == "kmeans"


def test_effect_sizes_equal_hand_computed_and_scipy(planted) -> None:
    t, result = planted
    labels = result.assignments.to_numpy()
    row = result.profile.query("segment == 2 and column == 'age'").iloc[0]
    x, y = t.loc[labels == 2, "age"].dropna(), t.loc[labels != 2, "age"].dropna()
    pooled = np.sqrt(((len(x) - 1) * x.var() + (len(y) - 1) * y.var()) / (len(x) + len(y) - 2))
    assert row["effect_size"] == pytest.approx((x.mean() - y.mean()) / pooled, rel=1e-9)
    assert row["segment_value"] == pytest.approx(x.mean()) and row["rest_value"] == pytest.approx(y.mean())
    assert row["typical"] == f"{x.median():.4g}"
    cat = result.profile.query("segment == 2 and column == 'channel'").iloc[0]
    table = pd.crosstab(labels == 2, t["channel"])
    v = association(table.to_numpy(), method="cramer", correction=False)
    assert cat["effect_size"] == pytest.approx(v)
    inside = t.loc[labels == 2, "channel"].dropna()
    assert cat["typical"] == inside.mode().iloc[0]
    assert cat["segment_value"] == pytest.approx((inside == cat["typical"]).mean())
    assert cat["missing"] == pytest.approx(t.loc[labels == 2, "channel"].isna().mean())


def test_same_seed_same_segments_and_given_k() -> None:
    t = make_customers(800, segments=3, missing=0.1, ids="str", seed=5).drop(columns="planted_segment")
    a = segment_customers(t, customer_col="customer_id", k=3, seed=7)
    b = segment_customers(t, customer_col="customer_id", k=3, seed=7)
    pd.testing.assert_series_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.profile, b.profile)
    assert a.definition == b.definition and a.scores == {} and a.k == 3
    assert json.loads(a.definition)["k_chosen_by"] == "given"


def test_large_table_goes_through_the_sample_and_minibatch() -> None:
    t = make_customers(12_000, segments=3, seed=3)
    result = segment_customers(t.drop(columns="planted_segment"), columns=["age", "basket_value", "channel"])
    d = json.loads(result.definition)
    assert d["sample_size"] == 5000 and d["method"] == "kmeans on a sample, then minibatch kmeans"
    assert result.k == 3
    assert adjusted_rand_score(t["planted_segment"], result.assignments.to_numpy()) > ARI_MIN


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        (pd.DataFrame({"a": []}), {}, "the customer table is empty"),
        (pd.DataFrame({"a": [1.0]}), {}, "1 customer: choosing k by silhouette needs at least 3 customers"),
        (
            pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [np.nan] * 3}),
            {},
            "column 'b': has no value (all missing): drop it or fill it",
        ),
        (
            pd.DataFrame({"a": [1.0, 2.0, 3.0]}),
            {"columns": ["nope"]},
            "column 'nope': no such column in the customer table",
        ),
        (
            pd.DataFrame({"a": pd.to_datetime(["2024-01-01"] * 3)}),
            {},
            "column 'a': dates and durations must be converted to numbers first",
        ),
        (
            pd.DataFrame({"a": [1.0, 2.0, 3.0]}),
            {"k": 4},
            "column 'k', value 4: more segments than customers (3)",
        ),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0]}), {"k": 1}, "column 'k', value 1: must be an integer >= 2"),
        (
            pd.DataFrame({"a": [1.0, 1.0, 1.0, 1.0]}),
            {},
            "all customers look alike on these columns: nothing to segment",
        ),
        (
            pd.DataFrame({"a": [1.0, 1.0, 1.0, 2.0]}),
            {"k": 3},
            "column 'k', value 3: the customers have fewer than 3 distinct profiles",
        ),
        (
            pd.DataFrame({"id": [1, 1, 2], "a": [1.0, 2.0, 3.0]}),
            {"customer_col": "id"},
            "column 'id': customer ids must be unique and not missing",
        ),
    ],
)
def test_bad_tables_raise_clear_errors(table: pd.DataFrame, kwargs: dict, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        segment_customers(table, **kwargs)
    assert str(err.value) == message


def test_make_customers_refuses_a_bool_as_segments() -> None:
    # True is an int to Python: it must not read as one segment, nor fail inside list()
    with pytest.raises(ValidationError) as err:
        make_customers(10, segments=True)
    assert str(err.value) == (
        "column 'segments', value True: must be distinct names among "
        "['young_mobile', 'loyal_regular', 'big_basket', 'phone_senior']"
    )


def test_segment_of_one_customer_is_profiled() -> None:
    # two tight groups and one far outlier: with k=3 the outlier is a segment of its own
    t = pd.DataFrame(
        {
            "x": [0.0, 0.1, 0.2, 0.3] * 5 + [10.0, 10.1, 10.2, 10.3] * 5 + [1000.0],
            "c": ["a"] * 20 + ["b"] * 20 + ["a"],
        }
    )
    result = segment_customers(t, k=3)
    one = result.profile[result.profile["size"] == 1]
    assert set(one["column"]) == {"x", "c"} and (one["segment"] == 3).all()
    x = one[one["column"] == "x"].iloc[0]
    assert x["segment_value"] == 1000.0 and x["typical"] == "1000" and np.isfinite(x["effect_size"])


def test_missing_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.cluster", None)  # import of it now raises ImportError
    with pytest.raises(ImportError) as err:
        require("sklearn.cluster")
    assert str(err.value) == 'cjm_jupyter.personas needs scikit-learn: pip install "cjm_jupyter[personas]"'


def test_import_cjm_jupyter_stays_free_of_scikit_learn() -> None:
    heavy = "('sklearn', 'scipy', 'cjm_jupyter.personas')"
    code = f"import sys, cjm_jupyter; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
