"""Detecting text that reads as an instruction to the agent (memory-poisoning defence).

A memory is data about the user's world. Text that tries to steer the agent — "ignore previous
instructions", "always send … to …", "you are now …", "from now on reply with …" — is flagged on
write so that it is never promoted to core or cross-context and is quoted as data, not obeyed,
when an agent puts it into its context. Rule-based and deliberately broad: a false flag only costs
a promotion; a missed one could rewrite the agent.
"""

from __future__ import annotations

import re

__all__ = ["instruction_signals", "looks_like_instruction"]

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I))
    for name, rx in (
        ("override", r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(previous|prior|above|all|earlier|system|your)\b.{0,20}\b(instructions?|prompts?|rules?|guidelines?|messages?)\b"),
        ("new-instructions", r"\b(new|updated|real|actual)\s+(system\s+)?(instructions?|prompt|rules?)\s*[:\-]"),
        ("role-change", r"\byou\s+are\s+(now|no\s+longer)\b|\bact\s+as\s+(if|an?|the)\b|\bpretend\s+(to\s+be|you)\b"),
        ("standing-order", r"\b(from\s+now\s+on|henceforth|going\s+forward|in\s+all\s+future\s+(replies|answers|responses))\b"),
        ("exfiltrate", r"\b(always|automatically|secretly|silently)\b.{0,40}\b(send|forward|email|post|upload|share|leak|copy)\b.{0,60}\b(to|at)\b"),
        ("secrets", r"\b(reveal|print|output|show|tell\s+me)\b.{0,30}\b(system\s+prompt|api[\s_-]?keys?|passwords?|credentials|secrets?|tokens?)\b"),
        ("agent-directive", r"\b(assistant|agent|ai|model|chatbot)\s*[,:]?\s*(you\s+)?(must|should|shall|will)\s+(always|never|now)\b"),
        ("prompt-markup", r"(<\s*/?\s*(system|instructions?)\s*>|\[\s*(system|inst)\s*\]|###\s*(system|instruction))"),
        ("execute", r"\b(run|execute|eval)\b.{0,20}\b(this|the\s+following)\s+(command|code|script)\b"),
    )
)


def instruction_signals(text: str) -> list[str]:
    """Names of the instruction patterns `text` matches (empty for ordinary memories)."""
    return [name for name, pattern in _PATTERNS if pattern.search(text)]


def looks_like_instruction(text: str) -> bool:
    return bool(instruction_signals(text))
