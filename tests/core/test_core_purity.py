"""gradlab/core never imports Qt, and the modules the GUI loads at start do not import torch."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "gradlab" / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph")
# imported by the GUI at start-up: must stay light (torch costs ~1 s and ~230 MB)
LIGHT_MODULES = ("config", "data", "features", "losses", "analysis", "expression", "lesson",
                 "session", "history", "autograd_graph", "graph_data")  # fmt: skip


def _imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and _is_dynamic_import(node.func):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    roots.add(arg.value.split(".")[0])
    return roots


def _is_dynamic_import(func: ast.expr) -> bool:
    """__import__("x") or importlib.import_module("x")."""
    if isinstance(func, ast.Name):
        return func.id == "__import__"
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def test_core_sources_exist():
    assert (CORE / "config.py").is_file()


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_no_qt_import_in_core(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = _imported_roots(tree) & set(FORBIDDEN)
    assert not bad, f"{path.relative_to(CORE.parent)} imports {', '.join(sorted(bad))}"


def test_the_checker_would_notice():
    tree = ast.parse("import os\nfrom PySide6.QtCore import QObject\n"
                     "def f():\n    import pyqtgraph as pg\n"
                     "qt = __import__('PyQt5')\n")  # fmt: skip
    assert _imported_roots(tree) & set(FORBIDDEN) == {"PySide6", "pyqtgraph", "PyQt5"}


def test_light_modules_import_neither_torch_nor_qt():
    present = [name for name in LIGHT_MODULES if (CORE / f"{name}.py").is_file()]
    assert {"config", "data", "analysis", "lesson"} <= set(present)
    imports = "; ".join(f"import gradlab.core.{name}" for name in present)
    check = (
        f"import sys; {imports}; "
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {(*FORBIDDEN, 'torch')!r}); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing {present} loaded: {result.stdout.strip()}"
