"""Where deskbot keeps things, and the admin's ``settings.yaml``.

- ``DESKBOT_HOME``: state (``runs.db``, ``runs/<run_id>/``, ``outbox/``); default ``./var``.
- ``DESKBOT_ARTIFACTS``: where each run's folder (logs, downloads, evidence) goes; a folder all
  machines share when workers run on several; default ``DESKBOT_HOME/runs``.
- ``DESKBOT_SETTINGS``: the settings file; default ``config/settings.yaml`` in the working
  folder, else the one shipped with deskbot.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bots.errors import RecipeError
from bots.yamlsource import load_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: where an installed deskbot (a wheel) keeps the config/ and recipes/ it ships; see setup.py
INSTALLED_DEFAULTS = Path(__file__).resolve().parent / "_defaults"


def shipped(*parts: str) -> Path:
    """A default deskbot ships (``shipped("config", "settings.yaml")``, ``shipped("recipes")``):
    from the checkout when running from one, else from the installed package."""
    checkout = PROJECT_ROOT.joinpath(*parts)
    if checkout.exists() or not INSTALLED_DEFAULTS.is_dir():
        return checkout
    return INSTALLED_DEFAULTS.joinpath(*parts)


def home() -> Path:
    path = Path(os.environ.get("DESKBOT_HOME") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def artifacts_dir(home_dir: Path | None = None) -> Path:
    """The folder holding ``<run_id>/`` folders: ``DESKBOT_ARTIFACTS``, else ``DESKBOT_HOME/runs``."""
    shared = os.environ.get("DESKBOT_ARTIFACTS")
    return Path(shared).resolve() if shared else Path(home_dir or home()) / "runs"


def settings_path() -> Path:
    if os.environ.get("DESKBOT_SETTINGS"):
        return Path(os.environ["DESKBOT_SETTINGS"])
    local = Path("config/settings.yaml")
    return local if local.is_file() else shipped("config", "settings.yaml")


def load_settings(path: Path | None = None) -> dict[str, Any]:
    path = path or settings_path()
    if not path.is_file():
        if os.environ.get("DESKBOT_SETTINGS"):
            raise RecipeError(f"{path}: settings file not found (DESKBOT_SETTINGS)")
        return {}
    data = load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RecipeError(f"{path}: settings must be a mapping")
    return data
