"""Re-ranking factors of recall (SPEC §5.2 step 6) and the sentences that explain them.

    score = rrf_n × L[qtype][layer] × (0.5 + 0.5·avail) × (0.75 + 0.25·prio) × (0.6 + 0.4·c)
            × ctx_boost × T × stale

`avail` is the availability at `at` (TripleCopy for episodes, FSRS R for the FSRS layers, 1 for
core), `prio` the PriorityMap composite stored at encoding (the neuromodulator state is neutral
between writes, so recomputing it would give the same number), `c` the Beta confidence,
`ctx_boost` the encoding-specificity boost 1 + 0.3·sim between the memory's context and the
query's (time-of-day bucket and weekday of `at`, task type of the query text), T the temporal
window factor and stale 0.5 for a memory whose functional slot a later memory closed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from zenbrain.algorithms import confidence as confidence_alg
from zenbrain.algorithms import context as context_alg
from zenbrain.algorithms import fusion
from zenbrain.errors import InvalidInputError
from zenbrain.extract import tasktype
from zenbrain.extract.timeexpr import TimeWindow
from zenbrain.extract.vocative import without_addressed_names
from zenbrain.layers.dynamics import Availability, availability
from zenbrain.models import Layer, Memory
from zenbrain.recall.recipes import RecallRecipe

__all__ = ["Factors", "LAYER_WEIGHTS", "factor_reasons", "factors", "query_context", "query_names"]

_NAME_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
_ROLES = frozenset({"user", "assistant", "system", "tool", "ai", "human"})

# SPEC §5.2 layer priors [D].
LAYER_WEIGHTS: dict[str, dict[Layer, float]] = {
    "temporal": dict(zip(Layer, (0.5, 1.0, 1.3, 0.8, 0.3, 0.8, 0.6), strict=True)),
    "procedural": dict(zip(Layer, (0.5, 0.6, 0.7, 0.8, 1.4, 0.8, 0.7), strict=True)),
    "factual": dict(zip(Layer, (0.6, 0.7, 0.9, 1.3, 0.5, 1.2, 1.0), strict=True)),
    "general": dict(zip(Layer, (0.8, 0.9, 1.0, 1.0, 0.8, 1.1, 0.9), strict=True)),
}


@dataclass(frozen=True)
class Factors:
    layer: float
    avail: Availability
    prio: float
    conf: float
    ctx: float
    time: float
    stale: float
    speaker: float = 1.0
    address: float = 1.0

    def product(self, recipe: RecallRecipe) -> float:
        return self.relevance(recipe) * self.dynamics(recipe)

    def relevance(self, recipe: RecallRecipe) -> float:
        """The query-dependent factors: layer prior, time window, staleness, speaker, a mere
        address of the query's name, context."""
        out = self.layer * self.time * self.stale * self.speaker * self.address
        if recipe.dynamics_band is not None and recipe.use_context:
            out *= self.ctx
        return out

    def dynamics(self, recipe: RecallRecipe) -> float:
        """What the memory's life did to it: availability, priority, confidence."""
        if recipe.dynamics_band is not None:
            terms = {}
            if recipe.use_availability:
                terms["availability"] = self.avail.value
            if recipe.use_priority:
                terms["priority"] = self.prio
            if recipe.use_confidence:
                terms["confidence"] = self.conf
            return fusion.bounded_dynamics(terms, recipe.dynamics_weights,
                                           band=recipe.dynamics_band)
        out = 1.0
        if recipe.use_availability:
            w = recipe.availability_weight
            out *= (1.0 - w) + w * self.avail.value
        if recipe.use_priority:
            out *= 0.75 + 0.25 * self.prio
        if recipe.use_confidence:
            out *= 0.6 + 0.4 * self.conf
        if recipe.use_context:
            out *= self.ctx
        return out


def query_context(query: str, at: datetime) -> context_alg.Context:
    return context_alg.context_of(at, tasktype.classify_task(query))


def _memory_context(mem: Memory) -> context_alg.Context | None:
    ctx = mem.context or {}
    try:
        hour = int(ctx.get("time_of_day", mem.created_at.hour))
        return context_alg.Context(
            time_bucket=context_alg.time_bucket(hour),
            weekday=int(ctx.get("weekday", mem.created_at.weekday())),
            task_type=str(ctx.get("task_type") or "other"),  # type: ignore[arg-type]
        )
    except (InvalidInputError, TypeError, ValueError):
        return None  # an imported row with an odd context simply gets no boost


def query_names(query: str) -> set[str]:
    """Lower-cased words of the query, to match speaker names against; a name in vocative
    position ("Thanks, Mel!") is left out.

    >>> sorted(query_names("Hey Mel! What did Caroline paint?"))
    ['caroline', 'did', 'hey', 'paint', 'what']
    """
    return set(_NAME_WORD.findall(without_addressed_names(query).lower()))


def factors(
    mem: Memory, *, qtype: str, at: datetime, window: TimeWindow | None,
    qctx: context_alg.Context, stale: bool, names: set[str] | None = None,
    recipe: RecallRecipe | None = None, addressed_only: bool = False,
) -> Factors:
    """The re-rank factors of one memory; `recipe` gives the speaker boost, the share of the
    layer prior and the factor of a memory that only addresses the query's name
    (`addressed_only`; none: no boost, the SPEC's whole prior, no such factor)."""
    speaker_boost = recipe.speaker_boost if recipe is not None else 1.0
    layer_prior = recipe.layer_prior if recipe is not None else 1.0
    t = 1.0
    if window is not None:
        t = 1.5 if window.start <= mem.event_time < window.end else 0.5
    mctx = _memory_context(mem)
    ctx = context_alg.boost(mctx, qctx) if mctx is not None else 1.0
    prio = float((mem.priority or {}).get("composite", 0.5))
    return Factors(
        layer=1.0 + layer_prior * (LAYER_WEIGHTS[qtype][mem.layer] - 1.0), avail=availability(mem, at),
        prio=min(1.0, max(0.0, prio)), conf=mem.confidence, ctx=ctx, time=t,
        stale=0.5 if stale else 1.0,
        speaker=speaker_boost if _speaker_named(mem, names) else 1.0,
        address=recipe.addressed_only if recipe is not None and addressed_only else 1.0,
    )


def _speaker_named(mem: Memory, names: set[str] | None) -> bool:
    # Source memory: "what did Caroline research" is about what Caroline said. Role names
    # (user, assistant) are not names a query uses.
    if not names or not mem.speaker or mem.speaker.lower() in _ROLES:
        return False
    return mem.speaker.lower() in names


def factor_reasons(mem: Memory, f: Factors, *, qtype: str, at: datetime, explain: bool,
                   recipe: RecallRecipe) -> list[str]:
    """Reasons for the non-route factors (short codes, or sentences with `explain`)."""
    if not explain:
        out = [f"layer:{mem.layer}×{f.layer}", f"R={f.avail.value:.2f}"]
        if f.time != 1.0:
            out.append(f"time×{f.time}")
        return out
    last = mem.last_recalled_at or mem.last_review_at
    days = max(0.0, (at - last).total_seconds() / 86_400)
    if mem.layer is Layer.CORE:
        avail = "core memory: always available (R = 1)"
    elif mem.decay_model == "fsrs":
        avail = (f"retrievability {f.avail.value:.2f} (S = {mem.stability:.1f} d, "
                 f"last reviewed {days:.1f} d ago)")
    else:
        avail = (f"retrievability {f.avail.value:.2f} from the {f.avail.copy} copy "
                 f"(S = {mem.stability:.1f} d, last reviewed {days:.1f} d ago)")
    lo, hi = confidence_alg.interval95(mem.conf_alpha, mem.conf_beta)
    amygdala = " (amygdala floor)" if (mem.priority or {}).get("amygdala") else ""
    out = [
        f"{mem.layer} layer weighted ×{f.layer} for a {qtype} query",
        avail,
        f"priority {f.prio:.2f}{amygdala}",
        f"confidence {f.conf:.2f} [{lo:.2f}–{hi:.2f}]",
    ]
    if recipe.use_context and f.ctx > 1.0:
        out.append(f"context match ×{f.ctx:.2f}")
    if f.speaker != 1.0:
        out.append(f"said by {mem.speaker}, who the query names (×{f.speaker})")
    if f.address != 1.0:
        out.append(f"only addresses a name the query asks about (×{f.address})")
    if f.time > 1.0:
        out.append(f"inside the asked time window (×{f.time})")
    elif f.time < 1.0:
        out.append(f"outside the asked time window (×{f.time})")
    return out
