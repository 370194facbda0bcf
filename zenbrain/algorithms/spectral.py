"""Spectral health of the entity graph: the Fiedler value (SPEC §4.1.6) [P; D node cap].

Defines `SpectralParams` and pure functions: `fiedler` (lambda_2, the second-smallest eigenvalue
of the Laplacian ``L = D - A`` of the undirected graph whose parallel and opposite edges have their
weights summed; 0 for a disconnected graph, as networkx's `algebraic_connectivity` returns), using
numpy's `eigvalsh` instead of networkx; graphs over 2 000 nodes keep the 2 000 of highest degree
[D]. Also `is_fragmented` (lambda_2 < 0.01), `consolidation_successful` and `sharp_drop` (> 20%).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from zenbrain.algorithms._validate import finite, integer, non_negative, unit

__all__ = [
    "SPECTRAL_DEFAULT",
    "SpectralParams",
    "consolidation_successful",
    "fiedler",
    "is_fragmented",
    "sharp_drop",
]


@dataclass(frozen=True)
class SpectralParams:
    """Thresholds of the spectral check (SPEC §4.1.6).

    Attributes:
        fragmented_below: lambda_2 below this marks the graph fragmented [P: 0.01].
        max_nodes: larger graphs use their highest-degree nodes [D: 2000].
        drop_warning: a relative drop above this warns in the SleepReport [D: 0.2].
    """

    fragmented_below: float = 0.01
    max_nodes: int = 2000
    drop_warning: float = 0.2

    def __post_init__(self) -> None:
        non_negative("fragmented_below", self.fragmented_below)
        integer("max_nodes", self.max_nodes, 2)
        unit("drop_warning", self.drop_warning)


SPECTRAL_DEFAULT = SpectralParams()


def _connected(adj: np.ndarray) -> bool:
    n = adj.shape[0]
    seen = np.zeros(n, dtype=bool)
    stack = [0]
    seen[0] = True
    while stack:
        i = stack.pop()
        for j in np.nonzero(adj[i] > 0.0)[0]:
            if not seen[j]:
                seen[j] = True
                stack.append(int(j))
    return bool(seen.all())


def fiedler(
    weighted_edges: Iterable[tuple[str, str, float]],
    nodes: Iterable[str] | None = None,
    *,
    max_nodes: int = 2000,
) -> float:
    """Algebraic connectivity lambda_2 of the undirected, weight-summed graph.

    Args:
        weighted_edges: (source, target, weight >= 0) triples; direction is ignored and repeated
            pairs add up. Self-loops do not change L and are ignored.
        nodes: extra nodes (isolated ones make the graph disconnected, so lambda_2 = 0).
        max_nodes: keep only this many nodes of highest degree (ties broken by name).

    Returns:
        lambda_2 >= 0; 0 for fewer than two nodes or a disconnected graph.
    """
    cap = integer("max_nodes", max_nodes, 2)
    summed: dict[tuple[str, str], float] = {}
    names: set[str] = set(nodes or ())
    for u, v, w in weighted_edges:
        weight = non_negative(f"weight of {u!r}-{v!r}", w)
        names.update((u, v))
        if u == v:
            continue
        key = (u, v) if u <= v else (v, u)
        summed[key] = summed.get(key, 0.0) + weight
    if len(names) > cap:
        degree = dict.fromkeys(names, 0)
        for u, v in summed:
            degree[u] += 1
            degree[v] += 1
        names = set(sorted(names, key=lambda n: (-degree[n], n))[:cap])
    if len(names) < 2:
        return 0.0
    index = {n: i for i, n in enumerate(sorted(names))}
    adj = np.zeros((len(index), len(index)))
    for (u, v), w in summed.items():
        if u in index and v in index:
            adj[index[u], index[v]] = adj[index[v], index[u]] = w
    if not _connected(adj):
        return 0.0
    laplacian = np.diag(adj.sum(axis=1)) - adj
    eig = np.linalg.eigvalsh(laplacian)
    return max(0.0, float(eig[1]))


def is_fragmented(lambda2: float, *, params: SpectralParams = SPECTRAL_DEFAULT) -> bool:
    """True when lambda_2 < 0.01."""
    return finite("lambda2", lambda2) < params.fragmented_below


def consolidation_successful(*, before: float, after: float) -> bool:
    """True when sleep did not lower the algebraic connectivity."""
    return finite("after", after) >= finite("before", before)


def sharp_drop(*, before: float, after: float, params: SpectralParams = SPECTRAL_DEFAULT) -> bool:
    """True when lambda_2 fell by more than 20% of its earlier value."""
    b, a = finite("before", before), finite("after", after)
    return b > 0.0 and (b - a) / b > params.drop_warning
