"""Old spellings of public calls that keep working for one release, with a warning.

The policy (``docs/guide/development.md``, "Conventions"): a renamed keyword,
a reordered call or a renamed function keeps working for one release and emits
:class:`~cjm_jupyter.errors.CJMDeprecationWarning` naming the new spelling,
attributed to the user's line (:func:`cjm_jupyter._warn.warn_user`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from ._warn import warn_user
from .errors import CJMDeprecationWarning

__all__ = ["deprecated", "moved_names", "renamed_keywords", "swap_if_journey_first"]

P = ParamSpec("P")
R = TypeVar("R")


def deprecated(message: str) -> None:
    """Emit a :class:`CJMDeprecationWarning` pointing at the user's line.

    Parameters
    ----------
    message : str
        What is deprecated and what to write instead.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     deprecated("f(x=...) is deprecated; use f(y=...)")
    >>> caught[0].category.__name__
    'CJMDeprecationWarning'
    """
    warn_user(message + " The old spelling stops working in the next release.", CJMDeprecationWarning)


def renamed_keywords(**renames: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Accept old keyword names of a function, warning once per call with the new names.

    Parameters
    ----------
    **renames : str
        Old keyword name -> new keyword name.

    Returns
    -------
    callable
        A decorator; the decorated function keeps its signature, type hints
        and docstring (``inspect.signature`` shows only the new names).

    Raises
    ------
    TypeError
        (from the decorated function) when a call gives both the old and the new name.

    Examples
    --------
    >>> @renamed_keywords(customer="customer_col")
    ... def count(events, *, customer_col="customer_id"):
    ...     return customer_col
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     count(None, customer="user")
    'user'
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    count(customer=...) is deprecated; use count(customer_col=...). ...
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        name = getattr(func, "__qualname__", getattr(func, "__name__", "function"))
        if name.endswith(".__init__"):  # a class: name the class, as the user calls it
            name = name[: -len(".__init__")]

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            old = [key for key in renames if key in kwargs]
            if old:
                for key in old:
                    new = renames[key]
                    if new in kwargs:
                        raise TypeError(
                            f"{name}() got both {key}= (the old name) and {new}=; pass only {new}="
                        )
                    kwargs[new] = kwargs.pop(key)
                said = ", ".join(f"{k}=..." for k in old)
                now = ", ".join(f"{renames[k]}=..." for k in old)
                deprecated(f"{name}({said}) is deprecated; use {name}({now}).")
            return func(*args, **kwargs)

        return wrapper

    return decorate


def swap_if_journey_first(first: Any, second: Any, *, old: str, new: str) -> tuple[Any, Any]:
    """Return ``(data, journey)`` for a call made in the old ``f(journey, data)`` order.

    When ``first`` is a :class:`~cjm_jupyter.Journey` and ``second`` is not,
    the two are swapped and a :class:`CJMDeprecationWarning` says ``old`` is
    deprecated and ``new`` is the call to write; otherwise they are returned as given.

    Parameters
    ----------
    first, second : Any
        The first two positional arguments as the user passed them.
    old, new : str
        The old and the new call, for the message (``"measure(journey, events, ...)"``).

    Returns
    -------
    tuple
        ``(data, journey)``.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey()
    >>> swap_if_journey_first("events", j, old="f(journey, events)", new="f(events, journey)")[0]
    'events'
    """
    from .model import Journey  # here: the model imports nothing from this module's users

    if isinstance(first, Journey) and not isinstance(second, Journey):
        deprecated(f"{old} is deprecated; call {new} (the data comes first).")
        return second, first
    return first, second


def moved_names(module: str, moves: dict[str, tuple[str, Callable[[], Any]]]) -> Callable[[str], Any]:
    """Build a module ``__getattr__`` that serves renamed public names with a warning.

    Parameters
    ----------
    module : str
        The module's public name (``"cjm_jupyter.plots"``), for the message.
    moves : dict
        Old name -> (new name, a function returning the object).

    Returns
    -------
    callable
        Assign it to the module's ``__getattr__``; unknown names raise AttributeError.

    Examples
    --------
    >>> getattr_ = moved_names("mod", {"old": ("new", lambda: 42)})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     getattr_("old")
    42
    """

    def __getattr__(name: str) -> Any:
        if name in moves:
            new, get = moves[name]
            deprecated(f"{module}.{name} is deprecated; use {module}.{new}.")
            return get()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
