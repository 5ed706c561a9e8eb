"""Build a report notebook from a template: papermill-style parameters, optional sections.

A report template is a notebook (``report_templates/<name>.ipynb``, or any
``.ipynb`` path) with:

* one code cell tagged ``parameters`` holding the defaults; the built notebook
  gets a cell tagged ``injected-parameters`` right after it, assigning the run's
  values, as papermill does (so the executed notebook shows what it was run with);
* cells tagged ``cjm-needs-events``, ``cjm-needs-surveys`` or ``cjm-needs-segment``,
  kept only when the run has an event log, surveys or a segment column.

User text never goes into a Markdown cell (nbconvert renders Markdown's HTML
as it is); parameters are Python literals (``repr``), which no value can
break out of.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell

__all__ = [
    "TEMPLATE_DIR",
    "template_names",
    "template_path",
    "build_notebook",
    "section_of",
    "UnknownTemplateError",
]

#: the templates shipped in the package
TEMPLATE_DIR = Path(str(resources.files(__package__) / "report_templates"))
#: the kernel a built notebook names when its template names none
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
#: tag -> the parameter that must be set for the cell to stay
OPTIONAL_TAGS = {"cjm-needs-events": "events", "cjm-needs-surveys": "surveys", "cjm-needs-segment": "segment"}


class UnknownTemplateError(ValueError):
    """``template`` names no shipped report template and no ``.ipynb`` file."""


def template_names() -> list[str]:
    """Names of the shipped report templates, e.g. ``["journey"]``."""
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.ipynb"))


def template_path(template: str | os.PathLike[str]) -> Path:
    """Read the notebook of a shipped template name, or ``template`` itself when it is an ``.ipynb`` file.

    Raises
    ------
    UnknownTemplateError
        Neither a shipped name nor an existing ``.ipynb`` file.
    """
    text = os.fspath(template)
    if text in template_names():
        return TEMPLATE_DIR / f"{text}.ipynb"
    path = Path(text)
    if path.suffix.lower() == ".ipynb" and path.is_file():
        return path
    raise UnknownTemplateError(
        f"unknown report template {text!r}: use one of {', '.join(template_names())} or an .ipynb file"
    )


def _injected(parameters: dict[str, Any]) -> Any:
    lines = ["# Parameters of this run (injected by cjm report)"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def build_notebook(template: str | os.PathLike[str], parameters: dict[str, Any]) -> Any:
    """Build the report notebook (an nbformat ``NotebookNode``) for ``parameters``, not yet executed.

    Parameters
    ----------
    template : str or path
        A shipped template name (:func:`template_names`) or an ``.ipynb`` path.
    parameters : dict
        Name -> value (``str``, ``int``, ``float``, ``bool`` or ``None``).

    Raises
    ------
    UnknownTemplateError
        Unknown template, or a template without a cell tagged ``parameters``.
    """
    path = template_path(template)
    nb = nbformat.read(path, as_version=4)
    cells = []
    found = False
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if any(tag in OPTIONAL_TAGS and parameters.get(OPTIONAL_TAGS[tag]) is None for tag in tags):
            continue
        cells.append(cell)
        if "parameters" in tags and not found:
            cells.append(_injected(parameters))
            found = True
    if not found:
        raise UnknownTemplateError(f"report template {os.fspath(template)!r} has no cell tagged 'parameters'")
    nb.cells = cells
    nb.metadata.setdefault("kernelspec", dict(KERNELSPEC))
    nb.metadata["cjm_report"] = {"template": os.fspath(template), "parameters": dict(parameters)}
    return nb


def section_of(nb: Any, index: int) -> str | None:
    """Return the text of the last Markdown heading at or before cell ``index``, e.g. ``"Funnel"``."""
    for cell in reversed(nb.cells[: index + 1]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return None
