"""Named recall recipes: which routes run, how they are fused and which factors re-rank.

A recipe is a frozen value, like graphiti's search-config recipes: callers pick `DEFAULT` or
copy it with `dataclasses.replace` to switch a part off (the benchmark's ablations do that).
`DEFAULT` follows SPEC §4.3.6 and §5.2 except where its comments say otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from zenbrain.algorithms.fusion import ROUTE_WEIGHTS

__all__ = ["ASSOCIATIVE", "DEFAULT", "SPEC_LITERAL", "VECTOR_ONLY", "RecallRecipe"]


@dataclass(frozen=True)
class RecallRecipe:
    """How one recall gathers, fuses and re-ranks candidates.

    Attributes:
        routes: routes that run, from vector, keyword, graph, profile, hopfield.
        weights: RRF weight per route (SPEC §4.3.6 [D]).
        rrf_k: the RRF constant [P: 60].
        multi_route_boost: ×boost for items found by ≥ 2 routes [P: 1.2].
        min_candidates: each route returns max(min_candidates, 5k) [SPEC §5.2: 50].
        hopfield_priority_pool: active high-priority memories added to the Hopfield pool [128].
        use_availability, use_priority, use_confidence, use_context: re-rank factors on/off.
        availability_weight: w in (1 − w) + w·avail [SPEC: 0.5].
        speaker_boost: factor for a memory whose speaker the query names [D].
        graph_min_strength: entities whose fan strength is below this do not score memories.
        contiguity: share of a fused neighbour's score that flows to a turn of the same session
            recorded right before or after it (temporal-contiguity effect) [D]; 0 turns it off.
        contiguity_minutes: how close in time (same session) counts as a neighbour.
        gist_redirect: a route hit on an episode that sleep archived into a gist serves the
            gist at that rank (`zenbrain.recall.gist_redirect`) [D]; False drops such hits.
        dynamics_band: relevance first [D]: availability, priority and confidence together
            scale a memory's relevance by a factor in [1 − band, 1]
            (`algorithms.fusion.bounded_dynamics`), so they reorder memories of similar
            relevance and never lift a weak match over one more than 1 / (1 − band) times as
            relevant. None multiplies the SPEC's unbounded factors instead (`SPEC_LITERAL`).
        dynamics_weights: the weight of each dynamics term inside the band.
        vector_when_keywords_miss: the vector route's votes count ×(1 + this × max(0, 1 − c / b))
            where c is the largest share of the query's content words one keyword hit holds and
            b is `keywords_hit_coverage` (`algorithms.fusion.vector_lift`) [D]; 0 turns it off.
        keywords_hit_coverage: the share of the query's words a keyword hit must hold for the
            keyword route to count as having found the query.
        updates_window, updates_min_similarity, updates_min_relevance: for a question about
            a lasting attribute (the profile route found its slot), among the first
            `updates_window` candidates, a newer first-person statement announcing a change takes
            over an older one of the same speaker whose claim it is at least this similar to
            (cosine) and this relevant relative to (`pipeline._updates`) [D]; 0 turns it off.
        practice_min_relevance: a result counts as a (light) retrieval practice only when its
            relevance is at least this share of the best result's and the vector route also
            found it among its first `practice_max_vector_rank`; being returned is not being used.
        addressed_only: factor on the relevance of a candidate that holds the query's words only
            as a name it addresses ("Wow, Caroline, that looks amazing!" for "What did Caroline
            research?": said *to* her, not about her; `keyword.only_addresses`) [D]; 1 is off.
        layer_prior: how much of the SPEC's layer-by-query-type prior (`rerank.LAYER_WEIGHTS`)
            applies: a weight L counts as 1 + layer_prior · (L − 1) [D]; 1 is the SPEC, 0 off.
    """

    routes: tuple[str, ...] = ("vector", "keyword", "graph", "hopfield")
    weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(dict(ROUTE_WEIGHTS)))
    rrf_k: float = 60.0
    multi_route_boost: float = 1.2
    min_candidates: int = 50
    hopfield_priority_pool: int = 128
    use_availability: bool = True
    use_priority: bool = True
    use_confidence: bool = True
    use_context: bool = True
    availability_weight: float = 0.5
    speaker_boost: float = 1.0
    graph_min_strength: float = 0.0
    contiguity: float = 0.0
    contiguity_minutes: float = 3.0
    gist_redirect: bool = True
    dynamics_band: float | None = None
    dynamics_weights: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"availability": 0.4, "priority": 0.3, "confidence": 0.3}))
    vector_when_keywords_miss: float = 0.0
    keywords_hit_coverage: float = 1.0
    updates_window: int = 0
    updates_min_similarity: float = 0.2
    updates_min_relevance: float = 0.3
    practice_min_relevance: float = 0.0
    practice_max_vector_rank: int = 1_000_000
    layer_prior: float = 1.0
    addressed_only: float = 1.0


# The SPEC's literal constants (§4.3.6, §5.2), kept for ablations and comparison.
SPEC_LITERAL = RecallRecipe()

# Tuned on LoCoMo conversations 1-2 (of the 1-5 tuning split; 6-10 are reported as held out):
# keyword evidence dominates conversational recall, the dense route helps as a tie-breaker, the
# graph and Hopfield routes as light extra votes; the multi-route boost rewarded turns that merely
# address a person by name, and the recency pull of availability and the time-of-day context
# boost cost recall on questions spread evenly over months. See docs/BENCHMARKS.md.
# Issue 13, measured on LoCoMo (all ten, cat 1-4) and the long-horizon benchmark in the same run
# (docs/BENCHMARKS.md): with sentence vectors in the vector route, its weight 0.2 → 0.4 and the
# layer-by-query-type prior off (`layer_prior=0`) raised both (LoCoMo 0.644 → 0.648, long horizon
# recall@5 0.748 → 0.806). The prior swung relevance by up to 1.9× on a guess of the query's type
# ("When is my birthday?" is "temporal", so the semantic fact counted ×0.8 and every episode ×1.3).
# The Hopfield route is off: on all ten LoCoMo conversations (cat 1-4) recall@10 was 0.6635 with it
# and 0.6648 without, while it took half the pipeline's time (p50 42.6 → 21.8 ms without the
# encoder); `ASSOCIATIVE` keeps it for callers who want pattern completion over the candidates.
# Partial and noisy cues (`benchmarks/cues.py`, 2,347 cues) confirmed it: recall@10 0.992 with
# and without it (paired +0.000 [-0.001, +0.001]; recall@1 +0.013 for +4 ms p50), so no query
# shape switches it on.
# Issue 16: a candidate that holds the query's words only as a name it addresses ("Wow, Caroline,
# that looks amazing!" for "What did Caroline research?") counts ×0.25. The keyword route already
# dropped such hits; the vector route ranked them by the name alone (similarity ~0.6). LoCoMo,
# every third question: evidence recall@10 0.655 either way, @40 0.793 → 0.811, @80 0.874 → 0.888;
# context evidence within 2,000 tokens 0.860 → 0.869 (×0.5: 0.863, ×0.1: 0.866).
DEFAULT = RecallRecipe(
    routes=("vector", "keyword", "graph", "profile"),
    weights=MappingProxyType({"vector": 0.4, "keyword": 1.0, "graph": 0.1, "profile": 2.0,
                              "hopfield": 0.05}),
    multi_route_boost=1.0,
    availability_weight=0.1,
    use_context=False,
    speaker_boost=1.5,
    graph_min_strength=0.5,
    contiguity=0.1,
    rrf_k=30.0,
    vector_when_keywords_miss=4.0,
    keywords_hit_coverage=0.5,
    updates_window=40,
    updates_min_similarity=0.25,
    updates_min_relevance=0.3,
    dynamics_band=0.1,
    practice_min_relevance=0.8,
    practice_max_vector_rank=3,
    layer_prior=0.0,
    addressed_only=0.25,
)
ASSOCIATIVE = replace(DEFAULT, routes=("vector", "keyword", "graph", "hopfield"))
VECTOR_ONLY = RecallRecipe(routes=("vector",))
