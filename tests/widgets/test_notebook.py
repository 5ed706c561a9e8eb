"""The example notebook, executed headless: widget state saved, a static map for plain viewers."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

from cjm_jupyter.widgets._fallback import FALLBACK_MARK

from ..support.paths import EXAMPLES


@pytest.mark.kernel
def test_executed_notebook_keeps_widget_state_and_a_static_map(tmp_path: Path) -> None:
    example = EXAMPLES / "editor.ipynb"
    nb = nbformat.read(example, as_version=4)
    nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    esms = [m["state"].get("_esm", "") for m in state.values()]
    assert sum("cjm-host" in e for e in esms) == 2, "both editors' ESM is saved with the notebook"
    shown = [o["data"] for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(shown) == 2
    # each editor writes its static summary as the output above it, once (not also in the widget's)
    fallbacks = [o for o in outputs if FALLBACK_MARK in o.get("metadata", {})]
    assert [o["metadata"][FALLBACK_MARK]["model_id"] for o in fallbacks] == [
        d["application/vnd.jupyter.widget-view+json"]["model_id"] for d in shown
    ]
    assert all("cjm-summary" in o["data"]["text/html"] for o in fallbacks)
    assert not any("text/html" in d for d in shown)
    assert "stages: ['Trigger'" in "".join(o.get("text", "") for o in outputs)
