"""Safe YAML loading that remembers where every key and item came from.

``load_yaml(text, file)`` returns plain dicts and lists (subclasses ``PosDict`` and
``PosList``) that also carry 1-based ``(line, column)`` positions, so that any problem found
later (a bad parameter, an unknown step id) can be reported as ``PATH:LINE:COL: message``.
Duplicate keys are rejected, which PyYAML otherwise silently lets the last one win.

Hostile YAML is refused while it is read, naming the line, before anything walks the data:

- an alias bomb ("billion laughs": anchors whose aliases nest, each multiplying the one
  before) -- aliases may repeat at most ``MAX_ALIAS_EXPANSION`` values in all; PyYAML shares
  the aliased objects, but every later walk (checks, rendering, history) would visit each copy;
- an alias used inside its own anchor (a recipe that contains itself);
- nesting deeper than ``MAX_DEPTH`` (PyYAML would die of a RecursionError).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from bots.errors import Problem, RecipeError

#: values that aliases may repeat in one document; a real recipe reuses a few small anchors
MAX_ALIAS_EXPANSION = 10_000
#: mappings and lists inside each other; real recipes nest a handful of levels
MAX_DEPTH = 100


class PosDict(dict):
    """A mapping that knows the position of itself, of each key and of each value."""

    start: tuple[int, int] = (1, 1)
    key_pos: dict
    value_pos: dict

    def pos_of(self, key: Any) -> tuple[int, int]:
        return self.key_pos.get(key, self.start)

    def value_pos_of(self, key: Any) -> tuple[int, int]:
        return self.value_pos.get(key, self.pos_of(key))


class PosList(list):
    start: tuple[int, int] = (1, 1)
    item_pos: list

    def pos_of(self, index: int) -> tuple[int, int]:
        if 0 <= index < len(self.item_pos):
            return self.item_pos[index]
        return self.start


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds PosDict/PosList and records duplicate keys as problems."""

    def __init__(self, stream, file: str):
        super().__init__(stream)
        self.file = file
        self.problems: list[Problem] = []
        self._expanded = 0
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, int] = {}

    def _refuse(self, mark: yaml.Mark, message: str) -> None:
        raise RecipeError([Problem(self.file, mark.line + 1, mark.column + 1, "", message)])

    def _size(self, node: yaml.Node) -> int:
        """Values in ``node`` counting every repetition (memoized: aliases share nodes)."""
        known = self._sizes.get(id(node))
        if known is None:
            if isinstance(node, yaml.SequenceNode):
                known = 1 + sum(self._size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                known = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            else:
                known = 1
            self._sizes[id(node)] = known
        return known

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                if event.anchor in self._open_anchors:
                    self._refuse(event.start_mark, f"alias *{event.anchor} is used inside its own anchor"
                                                   f" &{event.anchor}; a value cannot contain itself")
                self._expanded += self._size(target)
                if self._expanded > MAX_ALIAS_EXPANSION:
                    self._refuse(event.start_mark,
                                 f"alias *{event.anchor} makes the aliases repeat more than"
                                 f" {MAX_ALIAS_EXPANSION} values (an alias bomb?); refused. Reuse small"
                                 f" anchors, or write the values out")
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self._refuse(self.peek_event().start_mark,
                             f"nested more than {MAX_DEPTH} levels deep; refused as hostile")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_sequence_node(self, anchor):
        return self._composing(anchor, super().compose_sequence_node)

    def compose_mapping_node(self, anchor):
        return self._composing(anchor, super().compose_mapping_node)

    def _composing(self, anchor, compose):
        if anchor is not None:
            self._open_anchors.add(anchor)
        try:
            return compose(anchor)
        finally:
            self._open_anchors.discard(anchor)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        self.flatten_mapping(node)
        result = PosDict()
        result.start = _mark(node)
        result.key_pos, result.value_pos = {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                line, col = _mark(key_node)
                self.problems.append(Problem(self.file, line, col, "", "a mapping key must be a plain value"))
                continue
            if key in result:
                line, col = _mark(key_node)
                first = result.key_pos[key][0]
                self.problems.append(Problem(self.file, line, col, "",
                                             f"duplicate key {key!r} (first given on line {first}); remove one"))
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _mark(key_node)
            result.value_pos[key] = _mark(value_node)
        return result

    def construct_sequence(self, node, deep=False):
        result = PosList(self.construct_object(child, deep=True) for child in node.value)
        result.start = _mark(node)
        result.item_pos = [_mark(child) for child in node.value]
        return result


# YAML 1.2 booleans: only true/false. YAML 1.1 would read the recipe key `on:` (and a value
# such as `no` or `off`, e.g. a country code NO) as a boolean.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml(text: str, file: str = "<string>") -> Any:
    """Parse YAML safely; raise RecipeError with positions on syntax errors or duplicate keys."""
    data, problems = load_yaml_collect(text, file)
    if problems:
        raise RecipeError(problems)
    return data


def load_yaml_collect(text: str, file: str = "<string>") -> tuple[Any, list[Problem]]:
    """Like load_yaml, but duplicate keys come back as problems beside the data (first one kept)."""
    loader = _Loader(text, file)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RecipeError([Problem(file, line, col, "", f"YAML syntax: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise RecipeError([Problem(file, 1, 1, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    return data, loader.problems
