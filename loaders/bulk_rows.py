"""One batch of rows as a GRAPH.BULK block: the work a bulk load hands to its workers.

A job holds plain values only (see loaders.rows: NodeInput, RelationInput), so it pickles
cheaply and a worker process needs nothing of the parent's memory, and this module imports
nothing heavy: a worker starts in a fraction of a second.
"""

from __future__ import annotations

from typing import Any

from mineralkg.graph import falkordb_bulk
from mineralkg.loaders.rows import Shape, node_values, relation_values, values_hash

# (edges?, labels "Entity:Actor:State" or relationship type, shape, load stamp, inputs): the
# inputs are NodeInputs, or (start node number, end node number, RelationInput) for edges
Job = tuple[bool, str, Shape, str, list[Any]]
BOOKKEEPING = ("_load", "_hash")  # after a row's own values in a bulk block


def encode(job: Job) -> tuple[falkordb_bulk.Block, list[str]]:
    """The job's rows built and encoded, with their hashes (what a reload compares)."""
    edges, name, shape, stamp, inputs = job
    record = falkordb_bulk.record
    records = []
    hashes = []
    if edges:
        ends = falkordb_bulk.edge_ends
        for start, end, rel in inputs:
            values = relation_values(shape, name, rel)
            hashes.append(digest := values_hash(values))
            values += (stamp, digest)
            records.append(ends(start, end) + record(values))
    else:
        for node in inputs:
            values = node_values(shape, node)
            hashes.append(digest := values_hash(values))
            values += (stamp, digest)
            records.append(record(values))
    return falkordb_bulk.block(name, shape.keys + BOOKKEEPING, records, edges=edges), hashes
