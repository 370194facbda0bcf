"""The import rule of STYLE.md §3, checked on the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).parents[1] / "zenbrain"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("zenbrain")}


def _modules(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py")) if (PKG / sub).is_dir() else [PKG / f"{sub}.py"]


def test_errors_and_clock_import_nothing_from_zenbrain():
    for name in ("errors", "clock"):
        assert _imports(PKG / f"{name}.py") == set()


def test_algorithms_and_extract_are_pure():
    for sub in ("algorithms", "extract"):
        for path in _modules(sub):
            bad = {m for m in _imports(path)
                   if m != "zenbrain.errors" and not m.startswith(f"zenbrain.{sub}")}
            assert not bad, f"{path.name} imports {bad}"


def test_store_never_imports_upper_layers():
    upper = ("zenbrain.layers", "zenbrain.recall", "zenbrain.consolidation", "zenbrain.brain",
             "zenbrain.agents", "zenbrain.cli")
    for path in _modules("store"):
        bad = {m for m in _imports(path) if m.startswith(upper)}
        assert not bad, f"{path.name} imports {bad}"


def test_no_top_level_packages_that_clash():
    root = PKG.parent
    for name in ("layers", "agents", "consolidation"):
        assert not (root / name / "__init__.py").exists()


def test_nothing_below_brain_reads_the_wall_clock():
    for path in PKG.rglob("*.py"):
        if path.name in ("clock.py", "ids.py"):
            continue
        text = path.read_text()
        assert "datetime.now(" not in text and "utcnow(" not in text, path


def test_context_packing_is_pure_and_below_brain():
    """`zenbrain.context` sits beside recall: it never imports the facade, the agents, the
    shells or another process package; its packing rules import no storage at all."""
    upper = ("zenbrain.brain", "zenbrain.agents", "zenbrain.cli", "zenbrain.mcp",
             "zenbrain.recall", "zenbrain.consolidation", "zenbrain.layers")
    for path in _modules("context"):
        found = _imports(path)
        bad = {m for m in found if m.startswith(upper)}
        if path.name != "build.py":
            bad |= {m for m in found if m.startswith("zenbrain.store")}
        assert not bad, f"{path.name} imports {bad}"
