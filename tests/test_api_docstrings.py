"""Every public function, class and method has a complete numpy docstring.

Public means: listed in ``__all__`` of a public module (the API reference's list,
``docs/_ext/cjm_docs.py``), and the public methods of those classes. Complete means
the numpy sections a reader looks for: ``Parameters`` (when it takes any),
``Returns`` (when it returns something), ``Raises`` (when its body raises) and
``Examples`` with a doctest; the doctests themselves run with the test command
(``--doctest-modules`` on the package).
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .support.paths import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
cjm_docs = importlib.import_module("cjm_docs")

_SECTION = re.compile(r"^\s*(Parameters|Returns|Yields|Raises|Examples)\s*\n\s*-{3,}", re.M)
_RAISES = re.compile(r"^\s+raise \w", re.M)


def missing_sections(fn: Callable[..., Any], *, is_class: bool = False) -> list[str]:
    """The numpy sections ``fn``'s docstring lacks (see the module docstring for the rule)."""
    doc = inspect.getdoc(fn) or ""
    found = set(_SECTION.findall(doc))
    target = fn.__init__ if is_class else fn  # type: ignore[misc]
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        signature = None
    missing = []
    params = [p for p in signature.parameters.values() if p.name not in ("self", "cls")] if signature else []
    if params and "Parameters" not in found:
        missing.append("Parameters")
    returns = signature.return_annotation if signature else None
    gives = returns not in (None, "None", inspect.Signature.empty)
    if not is_class and gives and not {"Returns", "Yields"} & found:
        missing.append("Returns")
    try:
        source = inspect.getsource(target)
    except (TypeError, OSError):
        source = ""
    if _RAISES.search(source) and "Raises" not in found:
        missing.append("Raises")
    if "Examples" not in found or ">>>" not in doc:
        missing.append("Examples")
    return missing


def public_callables() -> Iterator[tuple[str, Callable[..., Any], bool]]:
    """(qualified name, object, is it a class) for every public function, class and method, once."""
    homes = cjm_docs._homes()
    seen: set[int] = set()
    for module_name in cjm_docs.HOME_ORDER:
        module = importlib.import_module(module_name)
        for name in cjm_docs._public_names(module_name):
            obj = getattr(module, name)
            if id(obj) in seen or homes.get(id(obj)) != module_name:
                continue
            if not getattr(obj, "__module__", "").startswith("cjm_jupyter") or not callable(obj):
                continue
            seen.add(id(obj))
            if not inspect.isclass(obj):
                yield f"{module_name}.{name}", obj, False
                continue
            yield f"{module_name}.{name}", obj, True
            # its own methods and those it inherits from the package's classes (Journey's editing
            # API lives on JourneyCore), the nearest definition first, as Python finds them
            done: set[str] = set()
            for cls in obj.__mro__:
                if not cls.__module__.startswith("cjm_jupyter"):
                    continue
                for attr, value in vars(cls).items():
                    if attr.startswith("_") or attr in done or isinstance(value, property):
                        continue  # properties document themselves in one line
                    done.add(attr)
                    method = getattr(value, "__func__", value)
                    if inspect.isfunction(method):
                        yield f"{module_name}.{name}.{attr}", method, False


def test_the_rule_reads_numpy_sections() -> None:
    def documented(x: int) -> int:
        """Do it.

        Parameters
        ----------
        x : int
            A number.

        Returns
        -------
        int
            The number.

        Raises
        ------
        ValueError
            When negative.

        Examples
        --------
        >>> 1
        1
        """
        if x < 0:
            raise ValueError("negative")
        return x

    def bare(x: int) -> int:
        """Do it."""
        if x < 0:
            raise ValueError("negative")
        return x

    assert missing_sections(documented) == []
    assert missing_sections(bare) == ["Parameters", "Returns", "Raises", "Examples"]


def test_every_public_callable_has_a_complete_docstring() -> None:
    gaps = {}
    for name, obj, is_class in public_callables():
        if missing := missing_sections(obj, is_class=is_class):
            gaps[name] = missing
    assert gaps == {}, f"{len(gaps)} public callables lack numpy sections: {gaps}"


@pytest.mark.parametrize("module_name", cjm_docs.PUBLIC_MODULES)
def test_public_modules_list_their_names(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert isinstance(getattr(module, "__all__", None), list | tuple), module_name
    assert all(hasattr(module, name) for name in module.__all__), module_name
