"""Secrets: declared in the recipe, read from the environment or ``.env``, masked everywhere.

``Redactor`` replaces every secret value (and its URL-encoded and JSON-escaped forms) with
``***`` in any text or structure before it reaches a log line, the run store, an error
message, ``--json`` output, a report or an alert.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote, quote_plus

from dotenv import dotenv_values

from bots.errors import FatalError

MASK = "***"


def resolve_secrets(names: Iterable[str], search_dirs: Iterable[Path] = ()) -> dict[str, str]:
    """Values of the declared secrets: environment first, then ``.env`` in the given folders."""
    names = list(names)
    found: dict[str, str] = {}
    env_files: dict[str, str | None] = {}
    for folder in search_dirs:
        candidate = Path(folder) / ".env"
        if candidate.is_file():
            for key, value in dotenv_values(candidate).items():
                env_files.setdefault(key, value)
    missing = []
    for name in names:
        value = os.environ.get(name, env_files.get(name))
        if value is None or value == "":
            missing.append(name)
        else:
            found[name] = value
    if missing:
        raise FatalError(f"secret(s) not set: {', '.join(missing)}; set them in the environment or in a .env file")
    return found


class Redactor:
    """Masks known secret values in text and nested data."""

    def __init__(self, values: Iterable[str] = ()):
        self._needles: list[str] = []
        for value in values:
            self.add(value)

    def add(self, value: str) -> None:
        if not value:
            return
        forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
        self._needles = sorted(set(self._needles) | {f for f in forms if f}, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._needles)

    def text(self, text: str) -> str:
        if not self._needles or not isinstance(text, str):
            return text
        for needle in self._needles:
            if needle in text:
                text = text.replace(needle, MASK)
        return text

    def data(self, value: Any) -> Any:
        if not self._needles:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.data(k): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value


class RedactingFilter(logging.Filter):
    """Logging filter that masks secrets in the final message of every record."""

    def __init__(self, redactor: Redactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if self.redactor:
            record.msg = self.redactor.text(record.getMessage())
            record.args = None
        return True
