"""Configuration values: `BrainConfig` (frozen) and where it is read from.

A `BrainConfig` is built once, from defaults, `config.toml` in the brain's home and `ZENBRAIN_*`
environment variables (in that order of precedence, last wins), and is never changed in place.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BrainConfig", "default_home", "load_config"]


def default_home() -> Path:
    """`$ZENBRAIN_HOME`, else `~/.zenbrain`."""
    env = os.environ.get("ZENBRAIN_HOME")
    return Path(env).expanduser() if env else Path.home() / ".zenbrain"


class BrainConfig(BaseModel):
    """Settings of one brain. Build with `load_config()` or directly; frozen."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    namespace: str = Field("default", description="Agent/app context for writes and recall.")
    embedder: str = Field(
        "minilm",
        description="'minilm' (bundled all-MiniLM-L6-v2), 'hash' (tests only), or a local "
        "sentence-transformers model directory.",
    )
    device: str = Field("auto", description="torch device for the embedder/Hopfield: auto|cpu|cuda.")
    database_url: str | None = Field(
        None, description="PostgreSQL URL of the system of record (postgresql://user@host/db); "
        "None = SQLite under the home.",
    )
    vectors_url: str | None = Field(
        None, description="Chroma server URL (http://host:8000); None = embedded under the home."
    )
    llm: str | None = Field(None, description="'provider:model' for init_chat_model; None = no LLM.")
    max_text_chars: int = Field(32_000, gt=0, description="Longest accepted memory text.")
    max_k: int = Field(1_000, gt=0, description="Largest `k` a recall may ask for.")
    lock_timeout_s: float = Field(
        0.0, ge=0, description="How long Brain() waits for another process to release the brain."
    )
    working_capacity: int = Field(7, gt=0, description="Working-memory slots per session [P: 7±2].")
    working_idle_minutes: float = Field(30.0, gt=0, description="Working slots expire after idle.")
    short_term_capacity: int = Field(20, gt=0, description="Verbatim turns kept per session [P].")
    short_term_ttl_hours: float = Field(24.0, gt=0, description="Short-term TTL after last activity.")
    core_max_blocks: int = Field(20, gt=0, description="Core blocks per user.")
    core_max_chars: int = Field(2_000, gt=0, description="Characters per core block.")
    forget_unconsolidated: bool = Field(
        False,
        description="Let sleep archive a decayed episode that no gist covers when the "
        "Information-Bottleneck rule says it is not worth keeping raw (SPEC §5.5 reason "
        "'decay'). Off by default: on LoCoMo it bought 2% storage for a recall loss "
        "(docs/BENCHMARKS.md, sleep section).",
    )
    exact_scan_max: int = Field(
        2_000, ge=0,
        description="A user with at most this many memories is searched by an exact scan of "
        "their vectors in the system of record instead of the vector index: exact, and nothing "
        "loaded per user (docs/BENCHMARKS.md, many users). 0 = always the index.",
    )
    idempotency_minutes: float = Field(
        10.0, ge=0, description="Identical text in the same session within this window is a retry."
    )


def _env_overrides() -> dict[str, Any]:
    mapping = {
        "ZENBRAIN_NAMESPACE": "namespace",
        "ZENBRAIN_EMBEDDER": "embedder",
        "ZENBRAIN_DEVICE": "device",
        "ZENBRAIN_LLM": "llm",
        "ZENBRAIN_VECTORS_URL": "vectors_url",
        "ZENBRAIN_DATABASE_URL": "database_url",
    }
    return {field: os.environ[var] for var, field in mapping.items() if os.environ.get(var)}


def load_config(home: Path, **overrides: Any) -> BrainConfig:
    """Defaults < `home/config.toml` (top-level keys) < environment < explicit overrides."""
    values: dict[str, Any] = {}
    toml_path = home / "config.toml"
    if toml_path.exists():
        with toml_path.open("rb") as fh:
            data = tomllib.load(fh)
        values.update({k: v for k, v in data.items() if k in BrainConfig.model_fields})
    values.update(_env_overrides())
    values.update({k: v for k, v in overrides.items() if v is not None})
    return BrainConfig(**values)
