"""Records ZenBrain stores and returns: `Memory`, `Recollection`, `SleepReport` and the enums.

Records are frozen pydantic v2 models. Times are aware UTC datetimes. The storage layer turns rows
into these models; nothing here does I/O.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Kind", "Layer", "Memory", "Recollection", "SleepReport", "Outcome"]


class Layer(StrEnum):
    """The seven memory layers (SPEC §3)."""

    WORKING = "working"
    SHORT_TERM = "short_term"
    EPISODIC = "episodic"
    SEMANTIC = "semantic"
    PROCEDURAL = "procedural"
    CORE = "core"
    CROSS_CONTEXT = "cross_context"


class Kind(StrEnum):
    MESSAGE = "message"
    EVENT = "event"
    FACT = "fact"
    PREFERENCE = "preference"
    PLAN = "plan"
    PROCEDURE = "procedure"
    SUMMARY = "summary"
    PROFILE = "profile"
    NOTE = "note"


Outcome = Literal["confirmed", "contradicted", "used", "rejected"]


class Memory(BaseModel):
    """One stored memory (one version of it). See SPEC §2.2 for every field."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="mem_<ULID>")
    user_id: str = Field(description="Owner; every query is scoped to one user.")
    namespace: str = Field("default", description="Agent/app context; '*' for cross-context.")
    session_id: str | None = Field(None, description="Conversation id.")
    speaker: str | None = Field(None, description="user, assistant, system, or a name.")
    layer: Layer
    kind: Kind
    text: str
    content_hash: str = Field(description="sha256 of the normalised text.")
    created_at: datetime = Field(description="When it was recorded.")
    event_time: datetime = Field(description="When it happened.")
    updated_at: datetime
    last_recalled_at: datetime | None = None
    recall_count: int = 0
    decay_model: Literal["exp", "fsrs", "none"] = "exp"
    stability: float = Field(description="FSRS/Ebbinghaus stability S in days (inf for core).")
    difficulty: float = 5.1618
    last_review_at: datetime
    fast_at: datetime
    due_at: datetime | None = None
    storage_strength: float = 0.0
    s0: float = Field(0.6, description="Encoding strength of the fast and medium copies.")
    deep_created_at: datetime | None = None
    consolidated_into: str | None = None
    conf_alpha: float = 3.0
    conf_beta: float = 1.0
    priority: dict[str, Any] = Field(default_factory=dict)
    emotion: dict[str, float] = Field(default_factory=dict)
    neuro: dict[str, float] = Field(default_factory=dict)
    novelty: float = 1.0
    encoding_pe: float = 0.0
    context: dict[str, Any] = Field(default_factory=dict)
    version: int = 1
    root_id: str
    supersedes: str | None = None
    superseded_by: str | None = None
    superseded_at: datetime | None = Field(None, description="When the next version replaced it.")
    is_current: bool = True
    sources: list[str] = Field(default_factory=list, description="Provenance ids.")
    pinned: bool = False
    labile_until: datetime | None = None
    lock_score: float = 0.0
    archived: bool = False
    archived_at: datetime | None = None
    archive_reason: str | None = None
    index_pending: bool = False
    metadata: dict[str, Any] = Field(default_factory=dict)

    @property
    def confidence(self) -> float:
        return self.conf_alpha / (self.conf_alpha + self.conf_beta)

    @property
    def active(self) -> bool:
        return self.is_current and not self.archived


# SPEC §5.2 names the field `copy`, which shadows the deprecated `BaseModel.copy()`; pydantic
# warns about that at class creation. The field is the contract, so the warning is silenced here.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message='Field name "copy"', category=UserWarning)

    class Recollection(BaseModel):
        """One recall result: the memory, its score, and why it was returned."""

        model_config = ConfigDict(frozen=True)

        memory: Memory
        score: float
        relevance: float | None = Field(
            None, description="How well it matches the query (fused routes × query-dependent "
            "factors, best candidate = its layer/time/speaker product), before the dynamics.")
        reasons: list[str] = Field(default_factory=list)
        routes: dict[str, int] = Field(default_factory=dict, description="Rank in each route.")
        copy: Literal["fast", "medium", "deep", "record"] = "record"
        text: str = Field(description="Text of the copy that served the result.")
        sudden_recall: bool = False

        @property
        def id(self) -> str:
            return self.memory.id


class SleepReport(BaseModel):
    """What one sleep cycle did, with ids (SPEC §5.3)."""

    model_config = ConfigDict(frozen=True)

    run_ids: list[str] = Field(default_factory=list)
    users: list[str] = Field(default_factory=list)
    started_at: datetime
    finished_at: datetime
    window: tuple[datetime | None, datetime] | None = None
    status: Literal["ok", "noop", "locked", "partial"] = "ok"
    candidates: int = 0
    replayed_ids: list[str] = Field(default_factory=list)
    strengthened: int = 0
    decayed: int = 0
    counterfactuals: int = 0
    clusters: int = 0
    semantic_created: list[str] = Field(default_factory=list)
    semantic_updated: list[str] = Field(default_factory=list)
    procedural_created: list[str] = Field(default_factory=list)
    cross_context_created: list[str] = Field(default_factory=list)
    promoted_to_core: list[str] = Field(default_factory=list)
    merged_ids: list[str] = Field(default_factory=list, description="Episodes abstracted into a summary.")
    expired_ids: list[str] = Field(default_factory=list)
    archived_ids: list[str] = Field(default_factory=list)
    archive_reasons: dict[str, str] = Field(default_factory=dict, description="Archived id → reason.")
    entities_merged: int = 0
    edges_strengthened: int = 0
    edges_archived: int = 0
    confidence_updates: int = 0
    contradictions: int = 0
    debates: list[dict[str, Any]] = Field(default_factory=list)
    mean_stability_before: float | None = None
    mean_stability_after: float | None = None
    active_count_before: int = 0
    active_count_after: int = 0
    fiedler_before: float | None = None
    fiedler_after: float | None = None
    fragmentation_alert: bool = False
    metacognition: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
