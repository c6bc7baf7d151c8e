"""The package's wings import downwards only, and no module imports itself back through another: the layer order
below is the one docs/architecture.md draws."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "iscm_kg"
BASE = {"iscm_kg", "iscm_kg.errors", "iscm_kg.namespaces", "iscm_kg.resources", "iscm_kg.formats",
        "iscm_kg.output", "iscm_kg.binding", "iscm_kg.cache"}
# Lowest first: a module may import from its own layer or any layer before it.
LAYERS = ("base", "engines", "graph", "stores", "query", "validate", "publish", "cli")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> int:
    if module in BASE:
        return 0
    wing = module.split(".")[1]
    return LAYERS.index(wing)


def imports_of(path: Path) -> set[str]:
    """Every iscm_kg module this file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("iscm_kg"):
            for alias in node.names:  # 'from iscm_kg import graph' imports the module iscm_kg.graph
                candidate = f"{node.module}.{alias.name}"
                known = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").is_file() or (
                    PACKAGE.parent / candidate.replace(".", "/") / "__init__.py").is_file()
                found.add(candidate if known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("iscm_kg"))
    return found


MODULES = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_import_points_down_or_sideways() -> None:
    upward = [f"{m} (layer {LAYERS[layer(m)]}) imports {i} (layer {LAYERS[layer(i)]})"
              for m, imported in MODULES.items() for i in imported
              if m != "iscm_kg" and i in MODULES and layer(i) > layer(m)]
    assert not upward, "\n".join(upward)


def test_no_import_circle() -> None:
    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [i for i in MODULES[start] if i in MODULES]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                # The top package is a leaf: modules take only __version__ from it, and its library calls
                # (iscm_kg.tables) import the wings they use inside the function, when called.
                if current != "iscm_kg":
                    todo.extend(i for i in MODULES[current] if i in MODULES)
        return seen

    # A package's __init__ re-exporting its own modules is not a circle of design.
    circles = [m for m in MODULES if m in {r for r in reach(m) if not m.startswith(r + ".") and r != "iscm_kg"}]
    assert not circles, circles
