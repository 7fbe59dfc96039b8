"""Deterministic positions for the views, computed on the server so the browser draws at once.

A start by class (each top class a disc, the discs on a circle) or, for an ego network, a
radial tree around the centre; then a force layout (Fruchterman-Reingold, repulsion through a
grid so a round costs O(n); numpy arrays). Nodes without an edge line up under the rest.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from mineralkg.views.style import top_class

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]

IDEAL = 120.0  # ideal edge length, in vis-network canvas units
SMALL_EGO = 30  # ego networks up to this size keep their radial layout as it is
GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str]],
    classes: Mapping[str, str] | None = None,
    centre: str | None = None,
    wide: Iterable[str] = (),
) -> dict[str, tuple[int, int]]:
    """Deterministic positions: a start by class (or radial around an ego's centre), then
    a force layout (Fruchterman-Reingold with hubs and `wide` nodes, such as labelled boxes,
    repelling harder; repulsion through a grid, so a round costs O(n)).
    """
    n = len(ids)
    if n == 0:
        return {}
    index = {nid: i for i, nid in enumerate(ids)}
    pairs = sorted({(min(index[a], index[b]), max(index[a], index[b])) for a, b in edges if a != b})
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        adj[a].append(b)
        adj[b].append(a)
    k = IDEAL
    if centre is not None and centre in index:
        xs, ys = _radial(index[centre], adj, k)
        if n <= SMALL_EGO:  # a radial tree is as clear as it gets
            return {nid: (round(xs[i]), round(ys[i])) for nid, i in index.items()}
    else:
        xs, ys = _clusters(ids, adj, classes or {}, k)
    root = index[centre] if centre is not None and centre in index else -1
    wide = set(wide)
    # nodes without an edge in the view skip the forces and line up under the rest
    linked = [i for i in range(n) if adj[i] or i == root]
    at = {i: j for j, i in enumerate(linked)}
    sub_x, sub_y = [xs[i] for i in linked], [ys[i] for i in linked]
    weights = [math.sqrt(len(adj[i]) + 1) * (1.8 if ids[i] in wide else 1.0) for i in linked]
    m = len(linked)
    rounds = 100 if m <= 300 else 50 if m <= 1000 else 30 if m <= 3000 else 20
    _force(sub_x, sub_y, [(at[a], at[b]) for a, b in pairs], weights, k, rounds, at.get(root, -1))
    for i, j in at.items():
        xs[i], ys[i] = sub_x[j], sub_y[j]
    _line_up([i for i in range(n) if i not in at], linked, xs, ys, k)
    return {nid: (round(xs[i]), round(ys[i])) for nid, i in index.items()}


def _line_up(
    loose: list[int], linked: list[int], xs: list[float], ys: list[float], k: float
) -> None:
    """Unconnected nodes in rows under the connected ones (or in a square if alone)."""
    if not loose:
        return
    if linked:
        left = min(xs[i] for i in linked)
        width = max(xs[i] for i in linked) - left
        top = max(ys[i] for i in linked) + 1.5 * k
    else:
        width = k * math.ceil(math.sqrt(len(loose)))
        left, top = -width / 2, -width / 2
    step = 1.5 * k
    cols = max(1, min(len(loose), int(width // step) + 1))
    for j, i in enumerate(loose):
        xs[i] = left + (j % cols) * step
        ys[i] = top + (j // cols) * 0.6 * k


def _clusters(
    ids: Sequence[str], adj: list[list[int]], classes: Mapping[str, str], k: float
) -> tuple[list[float], list[float]]:
    """Each top class a disc (hubs in the middle), the discs on a circle."""
    n = len(ids)
    members: dict[str, list[int]] = defaultdict(list)
    for i, nid in enumerate(ids):
        cls = classes.get(nid, "")
        members[top_class(cls) or cls].append(i)
    order = sorted(members, key=lambda c: (-len(members[c]), c))
    xs, ys = [0.0] * n, [0.0] * n
    ring = 0.0 if len(order) == 1 else k * (1.2 * math.sqrt(n) + 2)
    for g, cls in enumerate(order):
        angle = 2 * math.pi * g / len(order)
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        for j, i in enumerate(sorted(members[cls], key=lambda i: (-len(adj[i]), ids[i]))):
            r = 0.6 * k * math.sqrt(j + 0.5)
            xs[i] = cx + r * math.cos(j * GOLDEN)
            ys[i] = cy + r * math.sin(j * GOLDEN)
    return xs, ys


def _radial(root: int, adj: list[list[int]], k: float) -> tuple[list[float], list[float]]:
    """A radial tree of the breadth-first tree from the centre; wedges by leaf counts."""
    n = len(adj)
    depth = [-1] * n
    parent = [-1] * n
    depth[root] = 0
    queue = [root]
    children: list[list[int]] = [[] for _ in range(n)]
    for v in queue:
        for w in sorted(adj[v]):
            if depth[w] < 0:
                depth[w] = depth[v] + 1
                parent[w] = v
                children[v].append(w)
                queue.append(w)
    leaves = [1] * n
    for v in reversed(queue):
        if children[v]:
            leaves[v] = sum(leaves[c] for c in children[v])
    xs, ys = [0.0] * n, [0.0] * n
    start = [0.0] * n
    span = [0.0] * n
    span[root] = 2 * math.pi
    # each ring far enough out for its nodes to sit about one ideal length apart
    per_ring = Counter(d for d in depth if d > 0)
    radius = [0.0]
    for d in range(1, max(depth) + 1):
        radius.append(max(radius[-1] + 2.5 * k, per_ring[d] * 1.1 * k / (2 * math.pi)))
    for v in queue:
        offset = start[v]
        for c in children[v]:
            start[c] = offset
            span[c] = span[v] * leaves[c] / leaves[v]
            offset += span[c]
            angle = start[c] + span[c] / 2
            r = radius[depth[c]]
            xs[c], ys[c] = r * math.cos(angle), r * math.sin(angle)
    stray = [i for i in range(n) if depth[i] < 0]
    for j, i in enumerate(stray):  # not reachable from the centre (filters)
        angle = 2 * math.pi * j / max(1, len(stray))
        r = radius[-1] + 2.0 * k
        xs[i], ys[i] = r * math.cos(angle), r * math.sin(angle)
    return xs, ys


def _force(
    xs: list[float],
    ys: list[float],
    pairs: Sequence[tuple[int, int]],
    weights: Sequence[float],
    k: float,
    rounds: int,
    pinned: int,
) -> None:
    """Fruchterman-Reingold rounds on arrays: each round's repulsion only between nodes in the
    same or neighbouring grid cells (O(n) pairs), summed per node with `bincount`."""
    n = len(xs)
    if n < 2:
        return
    x, y = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)
    w = np.array(weights, dtype=np.float64)
    ea = np.array([a for a, _ in pairs], dtype=np.intp)
    eb = np.array([b for _, b in pairs], dtype=np.intp)
    cell = 3 * k  # repulsion reaches three ideal lengths: the grid's cells are that wide
    k2 = k * k
    gravity = 0.02
    temp = k * 2.0
    cool = temp / (rounds + 1)
    still = np.zeros(n, dtype=bool)
    if 0 <= pinned < n:
        still[pinned] = True
    for _ in range(rounds):
        a, b = _near_pairs(x, y, cell)
        ddx, ddy = x[a] - x[b], y[a] - y[b]
        d2 = ddx * ddx + ddy * ddy
        near = d2 < cell * cell
        a, b, ddx, ddy, d2 = a[near], b[near], ddx[near], ddy[near], d2[near]
        same = d2 < 0.01  # on top of each other: a fixed nudge apart, different per pair
        if same.any():
            ddx[same] = 0.1 * ((a[same] - b[same]) % 7 - 3) + 0.05
            ddy[same], d2[same] = 0.1, 0.02
        f = k2 * w[a] * w[b] / d2
        dx, dy = np.zeros(n), np.zeros(n)  # (bincount of no pairs at all gives integers)
        dx += np.bincount(a, ddx * f, n) - np.bincount(b, ddx * f, n)
        dy += np.bincount(a, ddy * f, n) - np.bincount(b, ddy * f, n)
        ddx, ddy = x[ea] - x[eb], y[ea] - y[eb]
        f = np.sqrt(ddx * ddx + ddy * ddy) / k
        dx += np.bincount(eb, ddx * f, n) - np.bincount(ea, ddx * f, n)
        dy += np.bincount(eb, ddy * f, n) - np.bincount(ea, ddy * f, n)
        gx, gy = dx - gravity * x, dy - gravity * y
        d = np.sqrt(gx * gx + gy * gy)
        scale = np.minimum(1.0, temp / np.maximum(d, 1e-12))  # no step longer than temp
        scale[still] = 0.0
        x += gx * scale
        y += gy * scale
        temp -= cool
    xs[:], ys[:] = x.tolist(), y.tolist()


def _near_pairs(x: Floats, y: Floats, cell: float) -> tuple[Ints, Ints]:
    """Every pair of nodes in the same grid cell or in neighbouring ones, each pair once."""
    n = len(x)
    cx = np.floor(x / cell).astype(np.int64)
    cy = np.floor(y / cell).astype(np.int64)
    cx -= cx.min() - 1
    cy -= cy.min() - 1
    width = int(cy.max()) + 2  # a cell's row number, with room for the neighbours' offsets
    key = cx * width + cy
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(n)
    # this cell and the neighbours after it: (+1, 0), (+1, +1), (0, +1), (-1, +1)
    offsets = np.array([0, width, width + 1, 1, 1 - width])
    target = (key[None, :] + offsets[:, None]).ravel()
    lo = np.searchsorted(sorted_key, target, "left")
    hi = np.searchsorted(sorted_key, target, "right")
    lo[:n] = np.maximum(lo[:n], rank + 1)  # within a cell: only the nodes after this one
    a = np.tile(np.arange(n), len(offsets))
    counts = np.maximum(hi - lo, 0)
    first = np.cumsum(counts) - counts
    step = np.arange(int(counts.sum())) - np.repeat(first, counts)
    return np.repeat(a, counts), order[np.repeat(lo, counts) + step]
