"""Spreading activation over the knowledge graph (SPEC §4.3.3) [D; Collins & Loftus, ACT-R].

Defines `SpreadingParams` and the pure function `spread`: starting from seed activations, each hop
passes ``A_i*(w_ij/sum_k w_ik)*delta`` to every out-neighbour j (the division by the out-weight sum
is ACT-R's fan effect), with delta = 0.5 per hop, at most 2 hops, and only activation of at least
F = 0.1 passing on. A wave is the activation a node received in the previous hop, so activation is
never passed on twice. Choosing seeds, filtering current edges and scoring memories are the graph
route's job; the adjacency given here is already filtered and directed as the caller wants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from zenbrain.algorithms._validate import finite, integer, non_negative, unit

__all__ = ["SPREADING_DEFAULT", "SpreadingParams", "memory_score", "spread"]


@dataclass(frozen=True)
class SpreadingParams:
    """Defaults of spreading activation (SPEC §4.3.3) [D].

    Attributes:
        hops: the most hops activation travels [2].
        decay: delta, the share kept per hop [0.5].
        threshold: F, the least activation that fires [0.1].
    """

    hops: int = 2
    decay: float = 0.5
    threshold: float = 0.1

    def __post_init__(self) -> None:
        integer("hops", self.hops)
        unit("decay", self.decay)
        non_negative("threshold", self.threshold)


SPREADING_DEFAULT = SpreadingParams()


def spread(
    graph_adjacency: Mapping[str, Mapping[str, float]],
    seeds: Mapping[str, float],
    *,
    hops: int = 2,
    decay: float = 0.5,
    threshold: float = 0.1,
) -> dict[str, float]:
    """Activation of every reached node, seeds included.

    Args:
        graph_adjacency: node -> {neighbour: weight}; weights <= 0 and self-loops are ignored.
        seeds: node -> initial activation (>= 0).
        hops: the most hops (0 returns the seeds).
        decay: delta, the share passed on per hop.
        threshold: F; a wave below it does not fire.

    Returns:
        node -> total activation A (seed plus everything received).
    """
    n_hops = integer("hops", hops)
    d = unit("decay", decay)
    f = non_negative("threshold", threshold)
    activation = {node: non_negative(f"seeds[{node!r}]", a) for node, a in seeds.items()}
    wave = dict(activation)
    for _ in range(n_hops):
        received: dict[str, float] = {}
        for node, a in wave.items():
            if a < f or a <= 0.0:
                continue
            out = {
                j: finite(f"weight {node!r}->{j!r}", w)
                for j, w in graph_adjacency.get(node, {}).items()
                if j != node
            }
            out = {j: w for j, w in out.items() if w > 0.0}
            fan = sum(out.values())
            for j, w in out.items():
                received[j] = received.get(j, 0.0) + a * (w / fan) * d
        if not received:
            break
        for j, v in received.items():
            activation[j] = activation.get(j, 0.0) + v
        wave = received
    return activation


def memory_score(activation: Mapping[str, float], entities: list[str] | set[str]) -> float:
    """A memory's graph score: the sum of activation over its entities."""
    return sum(activation.get(e, 0.0) for e in entities)
