"""Names in vocative position: "Sounds great, Caroline!" is said *to* Caroline, not about her.

Recall uses it twice (`recall.rerank.query_names`: a name the query addresses lends no speaker
lift; `recall.keyword.addressed_only`: a memory that only addresses the named person is no
keyword match) and context packing once (a sentence that only addresses the named person is
not kept for that word). Pure, English rules like the other extractors.
"""

from __future__ import annotations

import re

__all__ = ["without_addressed_names"]


# A name the text addresses is not a name it asks about: "Hey Mel! Good to see you!" is said *to*
# Mel, so Mel's own turns are no better a match for it (an agent recalls on every chat turn, and
# on LoCoMo turns used as cues the ×1.5 lifted the addressee's neighbouring turns over the exact
# turn). Vocative: after a greeting or thanks, after a comma at the end of a statement ("That
# sounds great, Jon!"), or before a comma at the start of a sentence. Not before "?" or ",":
# "How did Jolene get her pet, Susie?" names Susie in apposition.
# The sentence-start alternative takes its comma, so "Agreed, Caroline." keeps its name (the
# interjection "Agreed" is blanked instead). Looking ahead instead sees that name, but it lifts
# the brain that never slept more than a slept one (LoCoMo recall@10 0.677 → 0.681, + sleep
# 0.700 both; sleep's T + 30 d ratio 1.051 → 1.045, under its 1.05 target) and cost context
# evidence at 500 tokens (-0.004): not taken.
_VOCATIVE = re.compile(
    r"\b(?:hey|hi|hello|hiya|thanks|thank you|cheers|bye|congrats|congratulations|sorry|wow|"
    r"oh|aw+|yes|yeah|yep|no|nope|ok|okay|good morning|good night|morning|night)[,!.]*\s+"
    r"(?P<a>[A-Z][\w'-]*)\b(?!\s+(?:is|was|has|had|did|does|said|told|and)\b)"
    r"|,\s*(?P<b>[A-Z][\w'-]*)\s*(?=[!.]|$)"
    r"|(?:^|[.!?]\s+)(?P<c>[A-Z][\w'-]*),\s", re.IGNORECASE)


def _drop_name(m: re.Match[str]) -> str:
    which = m.lastgroup or ""  # the one alternative that matched
    if not m.group(which)[0].isupper():  # the pattern ignores case; a name does not
        return m.group(0)
    start, end = m.span(which)
    return m.group(0)[: start - m.start()] + " " + m.group(0)[end - m.start():]


def without_addressed_names(text: str) -> str:
    """`text` with every name in vocative position blanked out.

    >>> without_addressed_names("Sounds great, Caroline! Did Mel call?")
    'Sounds great,  ! Did Mel call?'
    """
    return _VOCATIVE.sub(_drop_name, text)
