"""The module graph of src/analysis, read from the source with ast: no import cycle
(imports under TYPE_CHECKING and inside functions count: they are design dependencies),
the figures model below everything that shows it, and no module loaded by name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "analysis"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its source)."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    kept = base[: len(base) - node.level + 1]
                    prefix = ".".join(kept + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                found = resolve(target)
                if found and found != module and found.startswith(PACKAGE):
                    edges[module].add(found)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_planted_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(edges) == [["a", "b", "c"]]


def test_module_graph_has_no_import_cycle():
    edges = _graph()
    assert len(edges) > 40  # the walk saw the package
    assert "analysis.figures" in edges["analysis.charts"]  # and its imports
    assert _cycles(edges) == []


# What shows the figures, and the driver: the figures model and what it reads import none.
SHOWING = {"analysis.charts", "analysis.narrative", "analysis.style", "analysis.briefing",
           "analysis.exports", "analysis.exports.slides", "analysis.exports.workbook",
           "analysis.exports.html", "analysis.cli"}  # fmt: skip


@pytest.mark.parametrize(
    "module", ["analysis.figures", "analysis.coverage", "analysis.reporting", "analysis.ingest"]
)
def test_figures_and_what_it_reads_import_nothing_that_shows_them(module):
    assert _graph()[module] & SHOWING == set()


@pytest.mark.parametrize(
    "module",
    [
        "analysis.charts",
        "analysis.narrative",
        "analysis.exports.slides",
        "analysis.exports.workbook",
    ],
)
def test_charts_and_exports_do_not_import_the_driver(module):
    assert "analysis.briefing" not in _graph()[module]


def test_no_module_is_loaded_by_name():
    for path in (SRC / PACKAGE).rglob("*.py"):
        text = path.read_text("utf-8")
        assert "import_module(" not in text, path
        assert "def __getattr__(name" not in text, path  # no module-level attribute tricks
