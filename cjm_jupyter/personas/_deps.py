"""The optional libraries behind personas, imported on first use with an actionable error."""

from __future__ import annotations

import importlib
from types import ModuleType

EXTRA = 'pip install "cjm_jupyter[personas]"'


def require(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``"sklearn.cluster"``) or raise ImportError naming the extra.

    Kept out of module level so that ``import cjm_jupyter`` (and even
    ``import cjm_jupyter.personas``) works without scikit-learn and scipy;
    only the functions that need them fail, with the install command.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        package = {"sklearn": "scikit-learn"}.get(top, top)
        raise ImportError(f"personas from data need {package}: {EXTRA}") from exc
