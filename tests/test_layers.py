"""The architecture as docs/design.md states it: layers imported bottom-up, no import cycles."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reader_ext"
# Bottom up, as in docs/design.md: a layer imports only layers before it.
LAYERS = [
    "text", "anchoring", "lessons", "annotations", "store", "interop", "widget", "course",
    "hub", "cli", "testing",
]  # fmt: skip
SHARED = {"errors", "files", "gcpause", "_version"}


def _imports() -> dict[str, set[str]]:
    """Module name -> the reader_ext modules it imports (at any level, TYPE_CHECKING too)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module.startswith("reader_ext"):
                    found[name].add(node.module)
            elif isinstance(node, ast.Import):
                found[name].update(a.name for a in node.names if a.name.startswith("reader_ext"))
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_layers_import_only_the_layers_below_them() -> None:
    wrong = []
    for module, imported in _imports().items():
        here = _layer(module)
        if here not in LAYERS:
            continue
        for target in imported:
            there = _layer(target)
            if there in SHARED or there == here or there == "":
                continue
            if there not in LAYERS or LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_module_imports_itself_round_a_cycle() -> None:
    graph = _imports()
    modules = set(graph)
    edges = {m: {t for t in graph[m] if t in modules and t != m} for m in modules}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert not cycles, cycles
