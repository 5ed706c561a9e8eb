"""The optional libraries behind personas, imported on first use with an actionable error."""

from __future__ import annotations

from types import ModuleType

from .. import _optional

#: The extra that installs scikit-learn, scipy and threadpoolctl (scikit-learn's own dependency).
EXTRA = "personas"


def require(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``"sklearn.cluster"``) or raise ImportError naming the extra.

    Kept out of module level so that ``import cjm_jupyter`` (and even
    ``import cjm_jupyter.personas``) works without scikit-learn and scipy;
    only the functions that need them fail, with the install command:
    ``cjm_jupyter.personas needs scikit-learn: pip install "cjm_jupyter[personas]"``.
    """
    return _optional.require(module, EXTRA, "cjm_jupyter.personas")
