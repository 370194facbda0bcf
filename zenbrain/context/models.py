"""The records of `Brain.context`: `Context` (the block to paste) and `ContextItem` (one quoted
line of it), plus `ContextRequest`, the checked arguments.

All are frozen pydantic v2 models. Nothing here does I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from zenbrain.context.handles import cited_ids
from zenbrain.errors import InvalidInputError

__all__ = ["DEFAULT_BUDGET_TOKENS", "MAX_BUDGET_TOKENS", "Context", "ContextItem",
           "ContextRequest", "Role"]

DEFAULT_BUDGET_TOKENS = 1000
# A memory block beyond 32k tokens is no longer a prompt section; it is a dump. The cap also
# bounds the work (candidates grow with the budget).
MAX_BUDGET_TOKENS = 32_000

Role = Literal["core", "preference", "evidence", "previous_turn", "answer", "gist_source",
               "earlier_version"]


class ContextRequest(BaseModel):
    """The arguments of `Brain.context`, checked before anything is read."""

    model_config = ConfigDict(frozen=True, strict=True)

    query: str = Field(description="What the prompt is about (the user's message).")
    user_id: str = Field(description="Whose memories; every read is scoped to this user.")
    budget_tokens: int = Field(DEFAULT_BUDGET_TOKENS, gt=0, le=MAX_BUDGET_TOKENS,
                               description="Most tokens the text may take (tokens.TOKEN_RULE).")

    @field_validator("query", "user_id")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty or blank")
        return value

    @classmethod
    def checked(cls, **values: Any) -> ContextRequest:
        """Build it, turning a pydantic `ValidationError` into one `InvalidInputError` that names
        the argument, the value and the limit."""
        try:
            return cls(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"]) or "argument"
            hint = (f" (a whole number from 1 to {MAX_BUDGET_TOKENS:,}; tokens are estimated "
                    "as UTF-8 bytes / 4)") if name == "budget_tokens" else ""
            raise InvalidInputError(
                f"{name} is {err.get('input')!r}: {err['msg'].lower()}{hint}") from None


class ContextItem(BaseModel):
    """One line of the context: a quoted memory with its date, speaker and why it is there."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The quoted memory's id.")
    handle: str = Field(description="How the line cites it: `[handle]`, a short name unique in "
                        "this context (`Context.cited` maps it back to the id).")
    role: Role = Field(description="core / preference (the stable prefix); evidence (a recalled "
                       "memory); previous_turn, answer, gist_source, earlier_version (added to "
                       "make an evidence item readable: its question, the answer to its "
                       "question, a gist's sources, its old value).")
    supports: str | None = Field(None, description="For an added line: the evidence it serves.")
    rank: int | None = Field(None, description="Recall rank of the evidence (1 = best).")
    score: float | None = Field(None, description="Recall score of the evidence.")
    date: str = Field(description="YYYY-MM-DD: when it was recorded (a gist: its latest event).")
    speaker: str = Field(description="Who said it: user, assistant, a name, or summary.")
    layer: str
    kind: str
    text: str = Field(description="The words quoted (after selection or a cut; … marks gaps).")
    cut: bool = Field(False, description="Some of the memory's sentences or clauses are left "
                      "out (marked with …).")
    line: str = Field(description="The line as it appears in the context.")
    tokens: int = Field(description="This line's estimate, newline included (rounded up).")
    sources: list[str] = Field(default_factory=list,
                               description="Provenance of the quoted words (source turns).")
    explain: list[str] = Field(default_factory=list,
                               description="Why it is in the context: recall's reasons, then "
                               "what packing did with it.")


class Context(BaseModel):
    """The memory block to paste into a prompt, within a token budget.

    `text` = `prefix` + a blank line + `evidence`. The prefix (core blocks and standing
    preferences) does not depend on the query: it stays byte-identical across calls until those
    memories change, so a provider's prompt cache keeps hitting when it is sent first. The
    evidence is what recall found for this query, packed best first.
    """

    model_config = ConfigDict(frozen=True)

    query: str
    user_id: str
    namespace: str
    at: datetime = Field(description="The instant the memories were read as of.")
    budget_tokens: int
    tokens_used: int = Field(description="Estimate of `text` (tokens.TOKEN_RULE); ≤ budget.")
    token_rule: str = Field(description="How tokens are estimated.")
    text: str = Field(description="Everything to paste: prefix, blank line, evidence.")
    prefix: str = Field(description="Stable part: core blocks and standing preferences.")
    evidence: str = Field(description="Query-specific part: recalled memories, best first.")
    items: list[ContextItem] = Field(default_factory=list, description="Every quoted line, in order.")
    memory_ids: list[str] = Field(default_factory=list, description="Ids quoted, in order.")
    source_ids: list[str] = Field(default_factory=list,
                                  description="Provenance of what is quoted (turns, msg:…).")
    left_out: dict[str, str] = Field(default_factory=dict,
                                     description="Candidate id → why it is not in the text.")
    citations: dict[str, str] = Field(default_factory=dict,
                                      description="Handle → memory id, for every quoted line.")

    def cited(self, answer: str) -> list[str]:
        """The memory ids an answer cites (`[handle]` of a line here, or a full id quoted
        here), first mention first; anything else in brackets is not a citation."""
        return cited_ids(answer, self.citations)
