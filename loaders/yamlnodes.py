"""YAML parsed by libyaml (PyYAML's C parser) into plain values that keep their lines.

ruamel's round-trip loader gave the lines but took ~2 ms a record (89 s for 60,000 records);
libyaml builds the node tree in C, and plain scalars are typed here by ruamel's YAML 1.2
resolver, as before: `NO` and `yes` stay text, dates stay text (so that a bad one is
reported with its line), `0x1f` is 31. A duplicate key is an error, as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml
from ruamel.yaml.resolver import VersionedResolver

_TAG = "tag:yaml.org,2002:"
# ruamel's YAML 1.2 implicit resolvers: first character -> [(tag, regexp)], read once (asking
# the resolver itself costs ~15 us a scalar)
_IMPLICIT = {
    first: [(str(tag), regexp) for tag, regexp in rules]
    for first, rules in VersionedResolver(version=(1, 2)).versioned_resolver.items()
}


@lru_cache(maxsize=1 << 16)
def _plain_tag(value: str) -> str:
    """The tag ruamel gives a plain scalar (ruamel.yaml.resolver.VersionedResolver.resolve)."""
    for tag, regexp in _IMPLICIT.get(value[:1], []) + _IMPLICIT.get(None, []):
        if regexp.match(value):
            return tag
    return _TAG + "str"


class _Loader(yaml.CBaseLoader):
    """libyaml's parser and composer; a plain scalar is typed by ruamel's YAML 1.2 rules."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _plain_tag(value)
        return str(super().resolve(kind, value, implicit))


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        super().__init__(f'found duplicate key "{key}" (first at line {first})')
        self.line = line


@dataclass
class Mapping:
    """A mapping's plain values and the line of each key (1-based)."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Sequence:
    line: int
    items: list[Any] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (raises yaml.YAMLError when it is malformed)."""
    return yaml.compose(text, Loader=_Loader)


def _int(text: str) -> int:
    text = text.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if digits.lower().startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    lower = text.replace("_", "").lower()
    if lower.lstrip("+-") == ".inf":
        return -math.inf if lower.startswith("-") else math.inf
    if lower == ".nan":
        return math.nan
    return float(lower)


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar as the value ruamel's loader gave it (dates and timestamps as text)."""
    tag = node.tag
    value: str = node.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return value.lower() == "true"
    if tag == _TAG + "int":
        return _int(value)
    if tag == _TAG + "float":
        return _float(value)
    return value


def plain(node: yaml.Node) -> Any:
    """A node as plain Python values (mappings keep the lines of their keys)."""
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(node.start_mark.line + 1)
        for item in node.value:
            seq.items.append(plain(item))
            seq.lines.append(item.start_mark.line + 1)
        return seq
    mapping = Mapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = str(plain(key_node))
        line = key_node.start_mark.line + 1
        if key in mapping.lines:
            raise DuplicateKey(key, line, mapping.lines[key])
        mapping.values[key] = plain(value_node)
        mapping.lines[key] = line
    return mapping


def unwrap(value: Any) -> Any:
    """Mappings and sequences as dicts and lists."""
    if isinstance(value, Mapping):
        return {k: unwrap(v) for k, v in value.values.items()}
    if isinstance(value, Sequence):
        return [unwrap(v) for v in value.items]
    return value
