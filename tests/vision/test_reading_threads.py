"""Files read in parallel threads (the watch folder, `deskbot ocr`, the benchmarks) never stop
on an import: a library that a reading function imports for the first time in two threads at
once can raise CPython's ``_DeadlockError`` (rapidfuzz did, failing a whole batch), so the
``vision`` package imports every such library before any thread starts."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

VISION = Path(__file__).resolve().parents[2] / "vision"


def _imported_inside_functions() -> dict[str, str]:
    """Third-party modules that vision's functions import when they first run, each with
    where, e.g. {'rapidfuzz.distance': 'vision/reread.py:274'}."""
    found: dict[str, str] = {}
    for path in sorted(VISION.rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    named = [f"{node.module}.{alias.name}" for alias in node.names]
                    modules = [node.module] + [name for name in named if _is_module(name)]
                else:
                    continue
                for module in modules:
                    if module.split(".")[0] not in sys.stdlib_module_names | {"vision"}:
                        found.setdefault(module, f"{path.relative_to(VISION.parent)}:{node.lineno}")
    return found


def _is_module(name: str) -> bool:
    """``from package import name``: is the name a module of its own, or a name in one?"""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def test_every_library_a_reading_thread_needs_is_loaded_with_vision():
    needed = _imported_inside_functions()
    assert "rapidfuzz.distance" in needed and "cv2" in needed  # the scan really found them
    probe = "import json, sys, vision; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                                           text=True, cwd=VISION.parent).stdout))
    missing = {module: where for module, where in needed.items() if module not in loaded}
    assert not missing, f"import these in vision/__init__.py, before reading threads start: {missing}"
