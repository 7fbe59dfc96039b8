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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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
        return _ENCODERS[type(value)](value)
    except KeyError:
        raise BulkError(f"no bulk encoding for {type(value).__name__} value {value!r}") from None


def _header(name: str, keys: Sequence[str]) -> bytes:
    # keys come from the ontology and the loader, never from user input; NUL ends each name
    parts = [name.encode(), b"\x00", _COUNT.pack(len(keys))]
    for key in keys:
        parts += [key.encode(), b"\x00"]
    return b"".join(parts)


# The hot loop of a bulk load is encoding records, and most values are strings, absent keys
# (None) or short lists of strings. Such a record is built as one str by a %-format made
# once per shape (the types of its values) and UTF-8 encoded once: the type bytes, lengths
# below 128 and NUL terminators are ASCII, so the bytes equal those of encoding each value
# (tests/test_falkordb_bulk.py checks it), in about half the time. "%.0s" consumes a None
# and prints nothing.
_PIECES = {str: "\x03%s\x00", type(None): "%.0s\x00", list: "%s"}
_LIST_HEADS = ["\x05" + chr(n) + "\x00" * 7 for n in range(128)]  # "=Bq" for n < 128
_shapes: dict[tuple[type, ...], tuple[str, tuple[int, ...], int] | None] = {}


def _shape(kinds: tuple[type, ...]) -> tuple[str, tuple[int, ...], int] | None:
    """The format, the positions of lists and the format's own NUL count; None: no fast path."""
    pieces = [_PIECES.get(kind) for kind in kinds]
    if None in pieces:
        return None
    fmt = "".join(pieces)  # type: ignore[arg-type]
    lists = tuple(i for i, kind in enumerate(kinds) if kind is list)
    return fmt, lists, fmt.count("\x00")


def record(values: Sequence[Any]) -> bytes:
    """One entity's values, in its block's key order; a None is sent as NULL, which FalkorDB
    stores as no property at all."""
    kinds = tuple(map(type, values))
    try:
        shape = _shapes[kinds]
    except KeyError:
        shape = _shapes[kinds] = _shape(kinds)
    if shape is None:
        return b"".join(map(encode_value, values))
    fmt, lists, nuls = shape
    parts = values
    if lists:
        parts = list(values)
        for i in lists:
            items = parts[i]
            n = len(items)
            try:
                body = "\x03" + "\x00\x03".join(items) + "\x00" if n else ""
            except TypeError:  # not all strings
                n = 128
            if n >= 128:
                return b"".join(map(encode_value, values))
            parts[i] = _LIST_HEADS[n] + body
            nuls += 7 + (n == 0) + n
    text = fmt % tuple(parts)
    if text.count("\x00") != nuls:  # a value holds a NUL: the byte format cannot carry it
        return b"".join(map(encode_value, values))  # raises, naming it
    return text.encode()


@dataclass(frozen=True)
class Block:
    """One label's nodes or one type's edges, encoded: part of a GRAPH.BULK call."""

    edges: bool
    count: int
    data: bytes


def block(name: str, keys: Sequence[str], records: Sequence[bytes], *, edges: bool) -> Block:
    """Records already encoded (`record`; an edge's prefixed by `edge_ends`) of one label set
    (`A:B:C`) or relationship type, whose values follow `keys`."""
    return Block(edges, len(records), _header(name, keys) + b"".join(records))


def edge_ends(start: int, end: int) -> bytes:
    """What precedes an edge's values: the numbers of its endpoints. FalkorDB numbers nodes
    in the order they are sent, blocks and calls included: that number is how edges name them."""
    return _EDGE.pack(start, end)


def calls(
    blocks: Iterable[Block], max_bytes: int = 8_000_000, *, begun: bool = False
) -> Iterator[list[Any]]:
    """GRAPH.BULK argument lists (after the graph name) holding the blocks in their order,
    each call up to about `max_bytes`; the first creates the graph (BEGIN), even when empty,
    unless the graph was `begun` by earlier calls.

    Within a call FalkorDB inserts the node blocks before the edge blocks, so an edge may name
    a node of its own call or of an earlier one; node numbers follow the node blocks' order."""
    nodes: list[Block] = []
    edges: list[Block] = []
    size = 0

    def take() -> list[Any]:
        nonlocal nodes, edges, size, begun
        args: list[Any] = [] if begun else ["BEGIN"]
        args += [sum(b.count for b in nodes), sum(b.count for b in edges), len(nodes)]
        args += [len(edges), *(b.data for b in nodes), *(b.data for b in edges)]
        nodes, edges, size, begun = [], [], 0, True
        return args

    for block in blocks:
        (edges if block.edges else nodes).append(block)
        size += len(block.data)
        if size >= max_bytes:
            yield take()
    if nodes or edges or not begun:
        yield take()


def split_nodes(blocks: Iterable[Block]) -> tuple[Iterator[Block], Iterator[Block]]:
    """The node blocks up to the first edge block, and the rest: consume them in that order."""
    it = iter(blocks)
    first_edge: list[Block] = []

    def nodes() -> Iterator[Block]:
        for block in it:
            if block.edges:
                first_edge.append(block)
                return
            yield block

    def rest() -> Iterator[Block]:
        yield from first_edge
        yield from it

    return nodes(), rest()
