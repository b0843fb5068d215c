"""The briefing notebook as a stand-alone HTML page for readers: no code, images inlined."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

# Cells with this tag are the notebook's working notes for the analyst, not the page.
HIDE_TAG = "briefing-hide"


def notebook_html(
    notebook: Path | nbformat.NotebookNode, path: Path, title: str | None = None
) -> Path:
    """Write executed `notebook` (its file, or the notebook itself, left unchanged) to
    `path` as HTML without code cells or prompts, and without the cells tagged
    `briefing-hide`."""
    if isinstance(notebook, nbformat.NotebookNode):
        nb = copy.deepcopy(notebook)
    else:
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
    body = _with_alt_texts(body, _image_alts(nb))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


NO_ALT = "图表"  # for an image whose output carries no description


def _image_alts(nb) -> list[str]:
    """The description of each PNG output, in order (`show_chart` gives the chart's finding)."""
    alts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if "image/png" in output.get("data", {}):
                metadata = output.get("metadata", {})
                alt = metadata.get("image/png", {}).get("alt") or metadata.get("alt")
                alts.append(str(alt) if alt else NO_ALT)
    return alts


def _with_alt_texts(body: str, alts: list[str]) -> str:
    """`body` with each image's alternative text from its output.

    nbconvert's template ignores an output's "alt" and gives every image the same
    English sentence ("No description has been provided for this image").
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, features="html.parser")
    images = soup.find_all("img")
    if len(images) != len(alts):  # not one image per PNG output: no guessing which is which
        alts = [NO_ALT] * len(images)
    for image, alt in zip(images, alts, strict=True):
        image["alt"] = alt
    return str(soup)
