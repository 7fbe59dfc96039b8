"""The worker side of an embedded load: a batch of rows in, a GRAPH.BULK block out.

A load of 20,000 rows or more maps `encode` over its slices in worker processes
(mineralkg/loaders/parallel.py: fresh interpreters, results in order, a few at a time), one
per CPU but one on machines with four CPUs or more; below that, or with fewer CPUs, the rows
are built in the loading process. This module imports nothing heavy (the bulk format and the
row builders).
"""

from __future__ import annotations

from mineralkg.graph import falkordb_bulk
from mineralkg.loaders import stored
from mineralkg.loaders.parallel import WorkerError, cpus, default_workers, ordered_map
from mineralkg.loaders.rows import EdgeSlice, SliceInput, node_values, relation_values, values_hash

__all__ = ["PARALLEL_MIN_ROWS", "WorkerError", "cpus", "default_workers", "encode", "ordered_map"]

# below this many rows a load builds its blocks in-process: starting workers costs more than
# they save
PARALLEL_MIN_ROWS = 20_000


BOOKKEEPING = (stored.LOAD, stored.HASH)  # after a row's own values in a bulk block


def encode(job: SliceInput) -> tuple[falkordb_bulk.Block, list[str]]:
    """A slice's rows built and encoded as one block, with their hashes (what a reload
    compares)."""
    record = falkordb_bulk.record
    shape, stamp = job.shape, job.stamp
    records = []
    hashes = []
    if isinstance(job, EdgeSlice):
        ends = falkordb_bulk.edge_ends
        rtype = job.type
        for start, end, rel in zip(job.starts, job.ends, job.relations, strict=True):
            values = relation_values(shape, rtype, rel)
            hashes.append(digest := values_hash(values))
            values += (stamp, digest)
            records.append(ends(start, end) + record(values))
        name, edges = rtype, True
    else:
        for node in job.nodes:
            values = node_values(shape, node)
            hashes.append(digest := values_hash(values))
            values += (stamp, digest)
            records.append(record(values))
        name, edges = job.labels, False
    return falkordb_bulk.block(name, shape.keys + BOOKKEEPING, records, edges=edges), hashes
