"""Benchmark segment_customers on a million customers against a plain pandas profile pass.

Run with ``python bench/bench_personas.py [--customers 1000000] [--repeat 1] [--seed 0]``.

Two shapes of 20 feature columns from :func:`cjm_jupyter.personas.make_customers`
(4 planted segments, 2% missing cells):

* ``numeric``: 17 numeric + 3 categorical columns, integer ids;
* ``categorical``: 7 numeric + 13 categorical columns, text ids.

Each (shape, approach) runs in its own subprocess, so its peak memory (the
process's ``ru_maxrss``, table included) is its own; the table is generated
inside the child with the same seed and its time is not counted:

* ``ours``: ``segment_customers(table, customer_col="customer_id", seed=...)`` with k
  chosen by silhouette over 2..8 (preprocessing, 7 candidate fits on the
  5,000-customer sample, the mini-batch fit of all customers, the profile);
* ``pandas``: the profile one would write by hand for known segments:
  ``groupby(planted).describe()`` of the numeric columns and a normalised
  ``value_counts`` per categorical column.

Targets (issue 13): ours under 60 s and under 4 GB peak on 1M x 20.
The machine may be shared: compare the ratio ours / pandas, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

SHAPES = {
    "numeric": {"extra_numeric": 13, "extra_categorical": 0, "ids": "int"},
    "categorical": {"extra_numeric": 3, "extra_categorical": 10, "ids": "str"},
}
TARGET_SECONDS = 60.0
TARGET_GB = 4.0


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def child(shape: str, approach: str, customers: int, seed: int) -> dict:
    """Run one approach on one shape; return seconds and memory."""
    from cjm_jupyter.personas import make_customers, segment_customers

    table = make_customers(customers, segments=4, missing=0.02, seed=seed, **SHAPES[shape])
    planted = table.pop("planted_segment")
    data_gb = _peak_gb()
    start = time.perf_counter()
    out: dict = {}
    if approach == "ours":
        result = segment_customers(table, customer_col="customer_id", seed=seed)
        from sklearn.metrics import adjusted_rand_score

        out = {"k": result.k, "ari": round(adjusted_rand_score(planted, result.assignments.to_numpy()), 3)}
    else:
        features = table.drop(columns="customer_id")
        numeric = list(features.select_dtypes("number").columns)
        categorical = [c for c in features.columns if c not in numeric]
        groups = features.groupby(planted)
        groups[numeric].describe()
        for col in categorical:
            groups[col].value_counts(normalize=True)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_gb": _peak_gb(), "data_gb": data_gb, **out}


def run(shape: str, approach: str, customers: int, seed: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        shape,
        approach,
        "--customers",
        str(customers),
        "--seed",
        str(seed),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=2, metavar=("SHAPE", "APPROACH"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child, args.customers, args.seed)))
        return
    print(
        f"segment_customers on {args.customers:,} customers x 20 columns, 4 planted segments, "
        f"seed {args.seed}"
    )
    failed = False
    for shape in SHAPES:
        runs: dict[str, list[dict]] = {"ours": [], "pandas": []}
        for _ in range(args.repeat):  # interleaved: both see the same load
            for approach in runs:
                runs[approach].append(run(shape, approach, args.customers, args.seed))
        best = {a: min(r, key=lambda x: x["seconds"]) for a, r in runs.items()}
        peak = {a: max(x["peak_gb"] for x in r) for a, r in runs.items()}
        ours, base = best["ours"], best["pandas"]
        ok = ours["seconds"] < TARGET_SECONDS and peak["ours"] < TARGET_GB
        failed |= not ok
        print(
            f"{shape:12s} ours {ours['seconds']:6.1f} s, peak {peak['ours']:.2f} GB "
            f"(table alone {ours['data_gb']:.2f} GB), k={ours['k']}, ARI vs planted {ours['ari']:.3f} | "
            f"pandas groupby-describe {base['seconds']:5.1f} s, peak {peak['pandas']:.2f} GB | "
            f"ratio {ours['seconds'] / base['seconds']:.1f}x time, "
            f"{peak['ours'] / peak['pandas']:.2f}x memory | "
            f"target < {TARGET_SECONDS:.0f} s and < {TARGET_GB:.0f} GB: {'met' if ok else 'MISSED'}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
