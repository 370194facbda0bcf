"""Write routing: which layer a new memory enters, and why (SPEC §3, "Layer routing on write").

Rules, first match wins:
1. text shaped like a procedure (how-to, numbered steps) → procedural;
2. assistant turns → short_term, unless they make a commitment → episodic `plan`;
3. stable statements about the user ("my name is…", "I always/never…") → semantic, flagged as core
   candidates: they are facts from the start, and sleep promotes them to core once confirmed
   (the issue asks for this; SPEC routes them through episodic, which would hide "my name is" from
   factual queries until the first sleep);
4. everything else → episodic (with kind `event` when it carries a date or past tense).
"""

from __future__ import annotations

from dataclasses import dataclass

from zenbrain.extract import kinds as kinds_mod
from zenbrain.models import Kind, Layer

__all__ = ["RoutingDecision", "route"]


@dataclass(frozen=True)
class RoutingDecision:
    layer: Layer
    kind: Kind
    reason: str
    core_candidate: bool = False


def route(text: str, *, speaker: str | None = None, kind: str | None = None) -> RoutingDecision:
    """Choose the layer and kind for `text` written without an explicit `layer=`."""
    chosen = Kind(kind) if kind else Kind(kinds_mod.classify_kind(text, speaker=speaker))
    if chosen is Kind.PROCEDURE or kinds_mod.is_procedure(text):
        return RoutingDecision(Layer.PROCEDURAL, Kind.PROCEDURE, "shaped like a procedure")
    if speaker == "assistant":
        if kinds_mod.is_commitment(text):
            return RoutingDecision(Layer.EPISODIC, Kind.PLAN, "assistant commitment")
        return RoutingDecision(Layer.SHORT_TERM, Kind.MESSAGE, "assistant turn")
    if kinds_mod.is_core_candidate(text):
        profile_kind = chosen if chosen in (Kind.PREFERENCE, Kind.PROFILE) else Kind.PROFILE
        return RoutingDecision(
            Layer.SEMANTIC, profile_kind, "stable statement about the user (core candidate)",
            core_candidate=True,
        )
    if chosen is Kind.EVENT:
        return RoutingDecision(Layer.EPISODIC, Kind.EVENT, "dated or past event")
    return RoutingDecision(Layer.EPISODIC, chosen, "new experience enters episodic")
