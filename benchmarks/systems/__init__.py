"""The retrieval systems the quality benchmark puts side by side, one module each.

Every system answers the same thing: for each question of a LoCoMo conversation, a ranked list
(best first, at most `k`) of retrieved items, each item the set of turn ids (`dia_id`s) it stands
for — one turn for a raw memory, every source turn for a consolidated one. Scoring lives in
`benchmarks.quality`; the dense systems share one `CachingEmbedder` (one model, one encoding per
distinct text).
"""

from __future__ import annotations

__all__ = ["Ranked"]

# per question: ranked retrieved items, each a set of dia_ids
Ranked = list[list[set[str]]]
