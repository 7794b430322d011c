"""One run of a recipe at a time on this machine, whoever starts it.

The scheduler's workers and ``deskbot run`` take the same lock file per recipe name under
``DESKBOT_HOME/locks/``; the operating system releases it when the holding process dies, so a
crash never leaves a recipe locked.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path


def recipe_lock(home: Path, recipe: str):
    """The lock a run of ``recipe`` holds; one lock file per recipe name."""
    from filelock import FileLock

    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", recipe)[:60]
    digest = hashlib.sha256(recipe.encode()).hexdigest()[:8]
    folder = Path(home) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(str(folder / f"{safe}-{digest}.lock"))


def recipe_running(home: Path, recipe: str) -> bool:
    from filelock import Timeout

    lock = recipe_lock(home, recipe)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False
