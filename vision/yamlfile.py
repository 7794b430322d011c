"""Reading the YAML files an admin edits by hand: label lexicons, invoice templates, learned
templates, vendor masters.

PyYAML's ``safe_load`` lets the second of two equal keys silently replace the first. In a
lexicon that is a trap: an admin who adds ``total:`` again under ``labels:`` to add one label
would drop every total label the file had, and the reading would quietly get worse. Here a
repeated key is an error naming both lines.

YAML 1.1 also reads ``no``, ``off``, ``yes`` and ``on`` as booleans, so a Norwegian lexicon's
``code: no`` or a detect word ``on`` would turn into ``False``/``True``. Only ``true`` and
``false`` are booleans here (as in YAML 1.2).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from vision.errors import VisionError


class _StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            first_line: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    seen = first_line.get(key)
                except TypeError:
                    continue  # an unhashable key: SafeLoader names it below
                line = key_node.start_mark.line + 1
                if seen is not None:
                    raise _DuplicateKey(key, seen, line)
                first_line[key] = line
        return super().construct_mapping(node, deep)


class _DuplicateKey(Exception):
    def __init__(self, key, first: int, again: int):
        super().__init__(key, first, again)
        self.key, self.first, self.again = key, first, again


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool",
                                    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_mapping)


def parse_admin_yaml(text: str, path: str | Path, what: str) -> Any:
    """Parse ``text`` (the content of ``path``); a syntax error or a repeated key raises
    ``VisionError`` naming the file, the line and ``what`` the file is."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as dup:
        raise VisionError(f"{path}:{dup.again}: {what}: the key {dup.key!r} is given twice (first on line "
                          f"{dup.first}); merge the two into one") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise VisionError(f"{where}: cannot read {what}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise VisionError(f"{path}: cannot read {what}: not valid YAML: {exc}") from None


def load_admin_yaml(path: str | Path, what: str) -> Any:
    """Read and parse the YAML file ``path`` (see ``parse_admin_yaml``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise VisionError(f"{path}: cannot read {what}: {exc}") from None
    return parse_admin_yaml(text, path, what)
