"""The briefing notebook as a stand-alone HTML page for readers: no code, images inlined."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

# Cells with this tag are the notebook's working notes for the analyst, not the page.
HIDE_TAG = "briefing-hide"


def notebook_html(notebook: Path, path: Path, title: str | None = None) -> Path:
    """Write executed `notebook` to `path` as HTML without code cells or prompts, and
    without the cells tagged `briefing-hide`."""
    nb = nbformat.read(str(notebook), as_version=4)
    # The page opens with the briefing's own title and date (the first output), not the
    # notebook's working heading.
    nb.cells = [c for c in nb.cells if HIDE_TAG not in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            # Readers see results, not warnings or progress bars sent to stderr.
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "stderr"]
    if title:
        nb.metadata["title"] = title
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path
