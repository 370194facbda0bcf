"""Fragments: a recalled turn that cannot be read alone, and the turn that makes it readable.

A reply without its question ("Yes, twice a week.", an assistant's answer, another speaker's
"Oh, I loved it!") tells a reader little; the turn said just before it in the same session does.
`previous_turn` finds that turn among a session's turns and `is_fragment` says whether the reply
needs it. The other way round, a question without its answer ("What got you into running?") is
half an exchange: `next_turn` finds the turn said right after it, and `answers` whether that turn
is the answer. Pure functions over `Turn` records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from zenbrain.context.text import norm, word_count

__all__ = ["ACK_WORDS", "NEIGHBOUR_WINDOW", "SHORT_WORDS", "Turn", "answers", "is_fragment",
           "next_turn", "previous_turn"]

# Turns of one conversation follow each other within minutes; a turn half an hour earlier is
# another exchange, even in the same session.
NEIGHBOUR_WINDOW = timedelta(minutes=30)
# Under eight words a reply leans on what it answers ("Yes, I loved it!", "Lisbon, since May.").
SHORT_WORDS = 8
# Under three words and no question, a previous turn is an acknowledgement ("ok", "Noted.").
ACK_WORDS = 3
_ASSISTANT = frozenset({"assistant", "ai", "bot", "system"})


@dataclass(frozen=True)
class Turn:
    """One recorded turn as fragment detection needs it.

    `order` places turns recorded at the same instant: the id of the short-term turn the memory
    was made from (an episode of a turn sits where its turn sits), else its own id (ULIDs sort
    by creation).
    """

    id: str
    speaker: str
    text: str
    at: datetime
    order: str


def previous_turn(item: Turn, turns: Sequence[Turn], *,
                  window: timedelta = NEIGHBOUR_WINDOW) -> Turn | None:
    """The turn recorded last before `item` in `turns` (one session), within `window`; copies
    of `item` itself (its short-term turn, the same words) are not its previous turn."""
    key = norm(item.text)
    before = [t for t in turns
              if t.id != item.id and norm(t.text) != key and (t.at, t.order) < (item.at, item.order)
              and item.at - t.at <= window]
    return max(before, key=lambda t: (t.at, t.order, t.id), default=None)


def is_fragment(item: Turn, previous: Turn | None) -> bool:
    """Does `item` need its previous turn to be read? Only a reply can: the previous turn is by
    another speaker and says something (a question, or three words or more: an "ok" explains
    nothing), and the item is short (< 8 words) or said by the assistant (an answer to the
    user's turn). A longer reply between people reads alone, even when it answers a question
    ("The support group has made me feel accepted …" after "What's it done for you?"): quoting
    the question took room from evidence and added none (LoCoMo evidence within 500 tokens
    0.725 with such questions, 0.736 without, every third question)."""
    if previous is None or previous.speaker == item.speaker:
        return False
    asked = previous.text.rstrip().endswith("?")
    if not asked and word_count(previous.text) < ACK_WORDS:
        return False
    return word_count(item.text) < SHORT_WORDS or item.speaker.lower() in _ASSISTANT


def next_turn(item: Turn, turns: Sequence[Turn], *,
              window: timedelta = NEIGHBOUR_WINDOW) -> Turn | None:
    """The turn recorded first after `item` in `turns` (one session), within `window`; copies of
    `item` itself are not its next turn."""
    key = norm(item.text)
    after = [t for t in turns
             if t.id != item.id and norm(t.text) != key and (t.at, t.order) > (item.at, item.order)
             and t.at - item.at <= window]
    return min(after, key=lambda t: (t.at, t.order, t.id), default=None)


def answers(asked: str, reply: Turn | None, *, speaker: str) -> bool:
    """Is `reply` the answer to the question in `asked` (the quoted part of a turn by
    `speaker`)? Only when that part asks something (it holds a "?") and the reply is
    by another speaker and says something (three words or more)."""
    if reply is None or reply.speaker == speaker or "?" not in asked:
        return False
    return word_count(reply.text) >= ACK_WORDS
