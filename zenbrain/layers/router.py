"""Write routing: which layer a new memory enters, and why (SPEC §3, "Layer routing on write").

Rules, first match wins:
1. text shaped like a procedure (how-to, numbered steps) → procedural;
2. assistant turns → short_term, unless they make a commitment → episodic `plan`;
3. durable first-person facts (`extract.facts`: home, job, identity, health and diet, family,
   pets, standing preferences and habits, in any of their phrasings) → semantic with their
   slots, whatever the kind rules said ("I moved to Lisbon" is past tense but states where the
   user lives now); those that are also stable statements ("my name is…", "I always/never…",
   "I'm allergic to…") are flagged as core candidates: sleep promotes them to core once
   confirmed (SPEC routes them through episodic, which would hide "my name is" from factual
   queries until the first sleep, and let a lasting fact decay like a passing episode);
4. other stable statements about the user → semantic, flagged as core candidates;
5. everything else → episodic (with kind `event` when it carries a date or past tense).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zenbrain.extract import facts as facts_mod
from zenbrain.extract import kinds as kinds_mod
from zenbrain.models import Kind, Layer

__all__ = ["RoutingDecision", "route"]


@dataclass(frozen=True)
class RoutingDecision:
    layer: Layer
    kind: Kind
    reason: str
    core_candidate: bool = False
    facts: tuple[facts_mod.Fact, ...] = ()  # durable first-person facts (slots) the text states


_MENTION_SLOTS = frozenset({"sibling", "parent", "child"})
# ...unless the sentence is about the relation itself: "I have a dog named Nala", "Elif is my
# younger brother", "we adopted a cat", "my son's name is Finn".
_STATES_RELATION = re.compile(
    r"\b(?:i|we)(?:'ve| have| has)?\s+(?:have|has|got|adopted|rescued|own|welcomed)\b"
    r"|\b(?:is|are)\s+(?:my|our)\b|\b(?:named|called)\b|\bname\s+is\b", re.IGNORECASE)


def _mention_only(slot: str) -> bool:
    return slot in _MENTION_SLOTS or slot.startswith("pet:")


def route(text: str, *, speaker: str | None = None, kind: str | None = None) -> RoutingDecision:
    """Choose the layer and kind for `text` written without an explicit `layer=`."""
    chosen = Kind(kind) if kind else Kind(kinds_mod.classify_kind(text, speaker=speaker))
    if chosen is Kind.PROCEDURE or kinds_mod.is_procedure(text):
        return RoutingDecision(Layer.PROCEDURAL, Kind.PROCEDURE, "shaped like a procedure")
    if speaker == "assistant":
        if kinds_mod.is_commitment(text):
            return RoutingDecision(Layer.EPISODIC, Kind.PLAN, "assistant commitment")
        return RoutingDecision(Layer.SHORT_TERM, Kind.MESSAGE, "assistant turn")
    durable = facts_mod.extract(text, speaker=speaker)
    # A relative or pet named in passing ("My cat Luna loves tuna", "my sister Ana had a baby") is
    # an experience that mentions them: it stays an episode (SPEC §7.1 consolidates exactly such
    # episodes) while the mention still becomes a slot triple in the graph. An attribute of the
    # user (home, job, diet, allergy, partner, car, ...) is knowledge: semantic.
    if any(not _mention_only(f.slot) for f in durable) or (durable and _STATES_RELATION.search(text)):
        fact_kind = chosen if chosen in (Kind.PREFERENCE, Kind.PROFILE, Kind.FACT) else Kind.FACT
        slots = ", ".join(dict.fromkeys(f.slot for f in durable))
        return RoutingDecision(
            Layer.SEMANTIC, fact_kind, f"durable first-person fact ({slots})",
            core_candidate=kinds_mod.is_core_candidate(text), facts=durable,
        )
    if kinds_mod.is_core_candidate(text):
        profile_kind = chosen if chosen in (Kind.PREFERENCE, Kind.PROFILE) else Kind.PROFILE
        return RoutingDecision(
            Layer.SEMANTIC, profile_kind, "stable statement about the user (core candidate)",
            core_candidate=True,
        )
    if chosen is Kind.EVENT:
        return RoutingDecision(Layer.EPISODIC, Kind.EVENT, "dated or past event")
    return RoutingDecision(Layer.EPISODIC, chosen, "new experience enters episodic")
