"""Optional libraries, imported on first use with an error that names the extra to install.

The core install (``pip install cjm_jupyter``) carries everything the journey
model, the editors, the maps and the embedded DuckDB analytics need. Other
engines and libraries come with an extra (``spark``, ``stats``, ``personas``,
``export``): every place that imports one calls :func:`require` inside the
function that needs it, never at module level, so ``import cjm_jupyter`` stays
as quick without them as with them and only the call that needs one fails.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["require", "install_hint"]

#: Import name -> the name pip installs it under, where the two differ.
_DISTRIBUTIONS: dict[str, str] = {"sklearn": "scikit-learn"}


def install_hint(extra: str) -> str:
    """Return the install command of one extra: ``pip install "cjm_jupyter[stats]"``.

    Quoted, because an unquoted ``[...]`` is a glob pattern in zsh.
    """
    return f'pip install "cjm_jupyter[{extra}]"'


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` and return it, or raise an ImportError naming the extra that installs it.

    Parameters
    ----------
    module : str
        The dotted import name, e.g. ``"scipy.stats"`` or ``"sklearn.cluster"``.
    extra : str
        The extra of ``cjm_jupyter`` that installs it, e.g. ``"stats"``.
    purpose : str
        What needs it, as the start of the message, e.g. ``"analytics.stats"``.

    Returns
    -------
    types.ModuleType
        The imported module (``module`` itself, not its top-level package).

    Raises
    ------
    ImportError
        ``'{purpose} needs {package}: pip install "cjm_jupyter[{extra}]"'``,
        chained from the original error (which keeps the underlying cause, e.g.
        a broken install). ``package`` is what pip installs: the top-level name,
        except ``sklearn`` which is ``scikit-learn``.

    Examples
    --------
    >>> from cjm_jupyter._optional import require
    >>> require("json", "stats", "an example").__name__
    'json'
    >>> require("no_such_module_here", "stats", "an example")
    Traceback (most recent call last):
    ...
    ImportError: an example needs no_such_module_here: pip install "cjm_jupyter[stats]"
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        package = _DISTRIBUTIONS.get(top, top)
        raise ImportError(f"{purpose} needs {package}: {install_hint(extra)}") from exc
