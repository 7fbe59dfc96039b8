"""FalkorDB's bulk-insert format (`GRAPH.BULK`): a new graph built from rows, not from Cypher.

`GRAPH.BULK` creates a graph that does not exist yet from binary blocks: one block per label
(or relationship type) with its property names, then one record per entity. It skips parsing,
planning and index look-ups, which is where UNWIND ... MERGE spends its time, so the embedded
store loads into a fresh staging graph this way and swaps it in (graph/embedded.py). The
encoding follows FalkorDB's own bulk loader (the `falkordb-bulk-loader` package); node ids are
the order in which nodes are sent, counted across calls, which is how edges name endpoints.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

_NULL = b"\x00"
_TRUE = struct.pack("=B?", 1, True)
_FALSE = struct.pack("=B?", 1, False)
_DOUBLE = struct.Struct("=Bd")
_LONG = struct.Struct("=Bq")
_ARRAY = struct.Struct("=Bq")
_EDGE = struct.Struct("=QQ")
_COUNT = struct.Struct("=I")


class BulkError(ValueError):
    """A value the bulk format cannot carry (the message names it)."""


def _string(value: str) -> bytes:
    if "\x00" in value:
        raise BulkError(f"a string holds a NUL character: {value[:60]!r}")
    return b"\x03" + value.encode() + b"\x00"


def _array(value: list[Any] | tuple[Any, ...]) -> bytes:
    return _ARRAY.pack(5, len(value)) + b"".join([_ENCODERS[type(v)](v) for v in value])


# by exact type: bool is not taken for int, and a type with no encoding is a KeyError
_ENCODERS: dict[type, Any] = {
    str: _string,
    type(None): lambda _: _NULL,
    bool: lambda v: _TRUE if v else _FALSE,
    int: lambda v: _LONG.pack(4, v),
    float: lambda v: _DOUBLE.pack(2, v),
    list: _array,
    tuple: _array,
}


def encode_value(value: Any) -> bytes:
    """One property value: a type byte, then the value (strings NUL-terminated)."""
    try:
        return _ENCODERS[type(value)](value)  # type: ignore[no-any-return]
    except KeyError:
        raise BulkError(f"no bulk encoding for {type(value).__name__} value {value!r}") from None


def _header(name: str, keys: Sequence[str]) -> bytes:
    # keys come from the ontology and the loader, never from user input; NUL ends each name
    parts = [name.encode(), b"\x00", _COUNT.pack(len(keys))]
    for key in keys:
        parts += [key.encode(), b"\x00"]
    return b"".join(parts)


def _record(props: Mapping[str, Any], keys: Sequence[str]) -> bytes:
    """One entity's values in the block's key order; an absent key is sent as NULL, which
    FalkorDB stores as no property at all.

    The hot loop of a bulk load: strings and lists of strings, most of the values, are
    encoded inline, and their NUL check is one scan of all of them, which took the time of a
    record from about 6 to 4 microseconds."""
    out: list[bytes] = []
    texts: list[str] = []
    for value in map(props.get, keys):
        kind = type(value)
        if kind is str:
            texts.append(value)
            out.append(b"\x03" + value.encode() + b"\x00")
        elif kind is list:
            try:
                encoded = [b"\x03" + v.encode() + b"\x00" for v in value]
            except AttributeError:  # not all strings
                out.append(encode_value(value))
                continue
            texts.extend(value)
            out.append(_ARRAY.pack(5, len(value)) + b"".join(encoded))
        else:
            out.append(encode_value(value))
    if "\x00" in "".join(texts):
        bad = next(t for t in texts if "\x00" in t)
        raise BulkError(f"a string holds a NUL character: {bad[:60]!r}")
    return b"".join(out)


@dataclass
class BulkBuffer:
    """Accumulates blocks up to `max_bytes`, then hands out one GRAPH.BULK call's arguments.

    Node ids are assigned here (`node_ids`): edges refer to their endpoints by them.
    """

    max_bytes: int = 8_000_000
    node_ids: dict[str, int] = field(default_factory=dict)
    _blocks_nodes: list[bytes] = field(default_factory=list)
    _blocks_edges: list[bytes] = field(default_factory=list)
    _nodes: int = 0
    _edges: int = 0
    _bytes: int = 0
    _begun: bool = False

    def add_nodes(
        self, labels: str, rows: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> Iterator[list[Any]]:
        """Nodes of one label set (`A:B:C`), as (id, properties); yields calls that are full."""
        yield from self._add(labels, rows, edges=False)

    def add_edges(
        self, rtype: str, rows: Sequence[tuple[str, str, Mapping[str, Any]]]
    ) -> Iterator[list[Any]]:
        """Edges of one type as (from id, to id, properties); endpoints must have been added."""
        yield from self._add(rtype, rows, edges=True)

    def _add(self, name: str, rows: Sequence[Any], *, edges: bool) -> Iterator[list[Any]]:
        props_of = (lambda r: r[2]) if edges else (lambda r: r[1])
        keys = sorted({k for r in rows for k in props_of(r)})
        header = _header(name, keys)
        block = [header]
        size = len(header)
        count = 0
        for row in rows:
            if edges:
                try:
                    ends = _EDGE.pack(self.node_ids[row[0]], self.node_ids[row[1]])
                except KeyError as exc:
                    raise BulkError(f"{name} edge to unknown node {exc.args[0]!r}") from None
                record = ends + _record(row[2], keys)
            else:
                if row[0] in self.node_ids:
                    raise BulkError(f"node {row[0]!r} sent twice")
                self.node_ids[row[0]] = len(self.node_ids)
                record = _record(row[1], keys)
            block.append(record)
            size += len(record)
            count += 1
            if self._bytes + size >= self.max_bytes:
                self._close_block(block, count, edges)
                yield self.take()
                block, size, count = [header], len(header), 0
        if count:
            self._close_block(block, count, edges)

    def _close_block(self, block: list[bytes], count: int, edges: bool) -> None:
        data = b"".join(block)
        (self._blocks_edges if edges else self._blocks_nodes).append(data)
        self._bytes += len(data)
        if edges:
            self._edges += count
        else:
            self._nodes += count

    def take(self) -> list[Any]:
        """The arguments of the next GRAPH.BULK call (after the graph name); empties the buffer."""
        args: list[Any] = ["BEGIN"] if not self._begun else []
        self._begun = True
        args += [self._nodes, self._edges, len(self._blocks_nodes), len(self._blocks_edges)]
        args += self._blocks_nodes + self._blocks_edges
        self._blocks_nodes, self._blocks_edges = [], []
        self._nodes = self._edges = self._bytes = 0
        return args

    @property
    def pending(self) -> bool:
        return bool(self._blocks_nodes or self._blocks_edges)


def calls(
    nodes: Iterable[tuple[str, Sequence[tuple[str, Mapping[str, Any]]]]],
    edges: Iterable[tuple[str, Sequence[tuple[str, str, Mapping[str, Any]]]]],
    max_bytes: int = 8_000_000,
) -> Iterator[list[Any]]:
    """GRAPH.BULK argument lists for node groups (labels, rows) then edge groups (type, rows)."""
    buffer = BulkBuffer(max_bytes)
    for labels, rows in nodes:
        yield from buffer.add_nodes(labels, rows)
    for rtype, rows in edges:
        yield from buffer.add_edges(rtype, rows)
    if buffer.pending or not buffer._begun:
        yield buffer.take()
