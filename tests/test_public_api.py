"""The public names: ``__all__`` of every public module, plot sizes and names, deprecated plot names.

The convention (``docs/guide/development.md``, "Conventions"): each public
module lists its public names in ``__all__`` (the API reference is generated
from them); a plot is never named like an analytics or personas function; every
public plot function takes keyword-only ``width=None, height=None``; a renamed
public name keeps working for one release with a ``CJMDeprecationWarning``
that names the new one.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from types import ModuleType
from typing import Any

import pytest

from cjm_jupyter.errors import CJMDeprecationWarning

from .support.paths import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
cjm_docs = importlib.import_module("cjm_docs")

#: The public modules the convention names (C5); the API reference documents the same.
PUBLIC = (
    "cjm_jupyter",
    "cjm_jupyter.model",
    "cjm_jupyter.io",
    "cjm_jupyter.plots",
    "cjm_jupyter.analytics",
    "cjm_jupyter.personas",
    "cjm_jupyter.sharing",
    "cjm_jupyter.widgets",
    "cjm_jupyter.templates",
)

#: Names the package root serves lazily: they must be in its ``__all__`` (C5).
ROOT_LAZY = ("analytics", "personas", "plots", "sharing", "widgets", "save_html", "export_png", "export_svg")

#: Public functions and classes of the modules a package's ``__init__`` imports its API from
#: that are deliberately not in the package's ``__all__``: module -> {name: reason}.
SHARED = "a helper shared with other modules of the package; reached by its module path, not the API"
EXEMPT: dict[str, dict[str, str]] = {
    "cjm_jupyter.model.fields": {
        name: "the row methods' keyword helpers (which columns, which were given), used by the model"
        for name in ("editable_columns", "given_cells")
    },
    "cjm_jupyter.model.journey": {
        "MeasureOptions": "the typed keywords of Journey.measure (Unpack[...]), documented there",
    },
    "cjm_jupyter.sharing.exporter": {
        "CJMHTMLExporter": "nbconvert's exporter class, used by name: jupyter nbconvert --to cjm_html",
    },
    "cjm_jupyter.sharing.reporting": {
        "ReportFiles": "the named tuple report() returns, documented in report's Returns",
    },
    "cjm_jupyter.plots.compare": {"journey_deltas": SHARED},
    "cjm_jupyter.plots.emotion": {
        name: SHARED
        for name in (
            "keyed_curve",
            "segment_note",
            "add_note",
            "curve_styles",
            "curve_points",
            "place",
            "stage_means",
            "decorate",
            "draw_curves",
            "curve_figure",
        )
    },
    "cjm_jupyter.plots.flow": {"sankey_layout": SHARED, "duration_text": SHARED},
    "cjm_jupyter.plots.funnel_chart": {
        "funnel_steps": "the frame funnel_chart draws; tests and docs read it"
    },
    "cjm_jupyter.plots.graph": {"graph_layout": SHARED},
    "cjm_jupyter.plots.heatmap": {"heatmap_cells": SHARED},
    "cjm_jupyter.plots.notebook": {"script_safe": "the escaping the show hook installs, tested on its own"},
    "cjm_jupyter.plots.priority": {
        "priority_table": "the frame priority_matrix draws, shared with the editor"
    },
    "cjm_jupyter.plots.theme": {
        name: "a colour rule used as plots.theme.<name> (the theme module is the colours' namespace)"
        for name in (
            "emotion_color",
            "category_colors",
            "persona_colors",
            "persona_segments",
            "journey_segments",
            "segment_colors",
            "value_colors",
        )
    },
    "cjm_jupyter.analytics.compare": {
        name: SHARED for name in ("conversion_rows", "satisfaction_rows", "time_rows")
    },
    "cjm_jupyter.analytics.eventlog": {
        name: SHARED
        for name in (
            "EventColumns",
            "LogColumns",
            "check_columns_of",
            "journey_of",
            "for_call",
            "opened",
            "events_sql",
        )
    },
    "cjm_jupyter.analytics.measure": {"quarter_of": SHARED},
    "cjm_jupyter.analytics.metrics": {
        name: "the typed keywords of the metric functions (Unpack[...]), documented there"
        for name in ("LogOptions", "FunnelOptions", "TransitionOptions", "VariantOptions")
    },
    "cjm_jupyter.analytics.outcomes": {"GoalPlace": SHARED, "goal_place": SHARED},
    "cjm_jupyter.analytics.satisfaction": {"to_emotion": SHARED, "read_surveys": SHARED},
    "cjm_jupyter.personas.behaviour": {"behaviour_table": SHARED},
    "cjm_jupyter.personas.sample": {
        "Archetype": "the sample customers' generator rows, internal to make_customers"
    },
}

#: Names in ``plots.__all__`` that are not plot functions (exporters, theme, notebook set-up, constants).
NOT_PLOTS = frozenset(
    {"LANES", "ExportUnavailableError", "PersonaCards", "export_png", "export_svg", "save_html",
     "get_theme", "set_theme", "use_theme", "setup_notebook"}
)  # fmt: skip

#: Old plot name -> new name (C4): served for one release, never in ``__all__``.
RENAMED_PLOTS = {"funnel": "funnel_chart"}


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def _own(obj: Any, package: str) -> bool:
    """Is ``obj`` a function or class defined in ``package`` (its files)?"""
    module = getattr(obj, "__module__", None) or ""
    return (inspect.isfunction(obj) or inspect.isclass(obj)) and (
        module == package or module.startswith(package + ".")
    )


def test_the_docs_document_the_public_modules_of_the_convention() -> None:
    assert set(cjm_docs.PUBLIC_MODULES) == set(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_name_in_all_resolves_once(name: str) -> None:
    module = _module(name)
    names = module.__all__
    assert len(names) == len(set(names)), f"{name}.__all__ lists a name twice"
    for attr in names:
        assert getattr(module, attr) is not None, f"{name}.{attr}"


def test_the_package_lists_its_lazy_subpackages_and_exporters() -> None:
    import cjm_jupyter

    assert set(ROOT_LAZY) <= set(cjm_jupyter.__all__)
    assert cjm_jupyter.export_png is _module("cjm_jupyter.plots").export_png
    assert cjm_jupyter.analytics is _module("cjm_jupyter.analytics")


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_function_or_class_the_package_binds_is_listed(name: str) -> None:
    module = _module(name)
    unlisted = [
        attr
        for attr, obj in vars(module).items()
        if not attr.startswith("_") and _own(obj, name) and attr not in module.__all__
    ]
    assert unlisted == [], f"{name} binds public names missing from __all__: {unlisted}"


@pytest.mark.parametrize("name", [n for n in PUBLIC if n != "cjm_jupyter"])
def test_the_modules_a_package_exports_from_list_or_exempt_every_public_name(name: str) -> None:
    """A public function or class next to the API (same module) is listed, or exempt with a reason."""
    package = _module(name)
    homes = {name} | {
        obj.__module__ for obj in (getattr(package, attr) for attr in package.__all__) if _own(obj, name)
    }
    missing = []
    for home in sorted(homes):
        for attr, obj in vars(_module(home)).items():
            if attr.startswith("_") or not _own(obj, home) or obj.__module__ != home:
                continue
            if attr not in package.__all__ and attr not in EXEMPT.get(home, {}):
                missing.append(f"{home}.{attr}")
    assert missing == [], (
        f"public but not in {name}.__all__ (list it, rename it with '_', or exempt it in EXEMPT): {missing}"
    )


def test_exemptions_name_existing_public_names_that_are_not_listed() -> None:
    for home, names in EXEMPT.items():
        module = _module(home)
        package = _module(home.rsplit(".", 1)[0])
        for attr, reason in names.items():
            assert hasattr(module, attr), f"{home}.{attr} is exempt but does not exist"
            assert attr not in package.__all__, f"{home}.{attr} is listed now: drop its exemption"
            assert reason


def test_plot_names_differ_from_analytics_and_personas_names() -> None:
    plots = set(_module("cjm_jupyter.plots").__all__)
    for other in ("cjm_jupyter.analytics", "cjm_jupyter.personas"):
        assert plots.isdisjoint(_module(other).__all__), plots & set(_module(other).__all__)


def _plot_functions() -> list[str]:
    plots = _module("cjm_jupyter.plots")
    return [name for name in plots.__all__ if name not in NOT_PLOTS]


def test_every_name_of_the_plots_is_a_plot_or_known_not_to_be() -> None:
    plots = _module("cjm_jupyter.plots")
    assert set(plots.__all__) >= NOT_PLOTS
    for name in _plot_functions():
        assert inspect.isfunction(getattr(plots, name)), name


@pytest.mark.parametrize("name", _plot_functions())
def test_every_plot_takes_keyword_only_width_and_height_defaulting_to_none(name: str) -> None:
    signature = inspect.signature(getattr(_module("cjm_jupyter.plots"), name))
    for size in ("width", "height"):
        param = signature.parameters.get(size)
        assert param is not None, f"plots.{name} has no {size}"
        assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"plots.{name}({size}=...) is not keyword-only"
        assert param.default is None, f"plots.{name}({size}={param.default!r}): the default must be None"
        assert param.annotation in ("int | None", int | None), (name, size, param.annotation)


def test_journey_plot_takes_width_and_height_like_the_plots() -> None:
    from cjm_jupyter import Journey

    signature = inspect.signature(Journey.plot)
    for size in ("width", "height"):
        assert signature.parameters[size].kind is inspect.Parameter.KEYWORD_ONLY
        assert signature.parameters[size].default is None


@pytest.mark.parametrize(("old", "new"), sorted(RENAMED_PLOTS.items()))
def test_a_renamed_plot_warns_with_its_new_name_and_is_the_same_function(old: str, new: str) -> None:
    plots = _module("cjm_jupyter.plots")
    assert old not in plots.__all__
    assert old not in dir(plots)
    with pytest.warns(CJMDeprecationWarning, match=rf"plots\.{new}\b"):
        got = getattr(plots, old)
    assert got is getattr(plots, new)
    with pytest.warns(CJMDeprecationWarning, match=rf"plots\.{new}\b"):
        exec(f"from cjm_jupyter.plots import {old} as imported", namespace := {})
    assert namespace["imported"] is getattr(plots, new)


def test_a_renamed_plot_draws_the_same_picture() -> None:
    import pandas as pd

    plots = _module("cjm_jupyter.plots")
    steps = pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})
    with pytest.warns(CJMDeprecationWarning, match="funnel_chart"):
        old = plots.funnel(steps)
    new = plots.funnel_chart(steps)
    bars = [fig.select_one({"name": "bars"}).data_source.data for fig in (old, new)]
    assert bars[0]["customers"].tolist() == bars[1]["customers"].tolist() == [1000, 300, 120]
    assert old.height == new.height


def test_an_unknown_plot_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'funnels'"):
        _module("cjm_jupyter.plots").funnels  # noqa: B018
