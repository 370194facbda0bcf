"""Modern-Hopfield associative completion in torch (SPEC §4.3.4) [D; Ramsauer et al. 2020].

Defines `HopfieldParams`, `resolve_device` and the completion: starting from the query xi, repeat
T = 2 times ``p = softmax(beta*X xi)``, ``xi <- normalise(X^T p)``; the route's score is p after the
last iteration, with beta = 16 [D] (beta = 1 is almost uniform for unit vectors). Rows of X and the
query are unit-normalised here. torch is imported inside the functions, so importing this module
stays light; the work runs in float32 without gradients. Building the candidate pool is the
Hopfield route's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from zenbrain.algorithms._validate import integer, non_negative
from zenbrain.errors import InvalidInputError

if TYPE_CHECKING:
    import torch

__all__ = ["HOPFIELD_DEFAULT", "HopfieldParams", "complete", "iterate", "resolve_device", "unit_rows"]


def _check_pref(pref: str) -> str:
    p = str(pref).strip().lower()
    if p not in ("auto", "cpu") and not (p == "cuda" or p.startswith("cuda:")):
        raise InvalidInputError(f"device is {pref!r}; expected 'auto', 'cpu' or 'cuda'")
    return p


@dataclass(frozen=True)
class HopfieldParams:
    """Defaults of the Hopfield route (SPEC §4.3.4).

    Attributes:
        beta: inverse temperature [D: 16].
        steps: update iterations T [D: 2].
        device: "auto", "cpu" or "cuda" (ZENBRAIN_DEVICE).
    """

    beta: float = 16.0
    steps: int = 2
    device: str = "auto"

    def __post_init__(self) -> None:
        non_negative("beta", self.beta)
        integer("steps", self.steps, 1)
        _check_pref(self.device)


HOPFIELD_DEFAULT = HopfieldParams()


def resolve_device(pref: str = "auto") -> str:
    """Turn a device preference into a torch device string.

    "auto" gives "cuda" when a CUDA device is available and "cpu" otherwise.

    Raises:
        InvalidInputError: for an unknown preference, or "cuda" when no CUDA device exists.
    """
    p = _check_pref(pref)
    if p == "cpu":
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if p == "auto":
        return "cuda" if available else "cpu"
    if not available:
        raise InvalidInputError(
            f"device {pref!r} requested but no CUDA device is available; use 'cpu' or 'auto'"
        )
    return p


def _as_tensors(
    patterns: np.ndarray | Sequence[Sequence[float]],
    query: np.ndarray | Sequence[float],
    device: str,
    normalized: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    import torch

    x = np.asarray(patterns, dtype=np.float32)
    q = np.asarray(query, dtype=np.float32)
    if x.ndim != 2 or q.ndim != 1 or (x.shape[0] and x.shape[1] != q.shape[0]):
        raise InvalidInputError(
            f"patterns must be (N, d) and query (d,); got {x.shape} and {q.shape}"
        )
    if not (np.isfinite(x).all() and np.isfinite(q).all()):
        raise InvalidInputError("patterns and query must be finite")
    xt = torch.from_numpy(x).to(device)
    qt = torch.from_numpy(q).to(device)
    # Zero rows stay zero instead of turning into NaN.
    if not normalized:
        xt = torch.nn.functional.normalize(xt, dim=1, eps=1e-12)
    qt = torch.nn.functional.normalize(qt, dim=0, eps=1e-12)
    return xt, qt


def iterate(
    patterns: np.ndarray | Sequence[Sequence[float]],
    query: np.ndarray | Sequence[float],
    *,
    beta: float = 16.0,
    steps: int = 2,
    device: str = "cpu",
    normalized: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the update and return (p, xi) after the last step, xi *before* normalisation.

    `normalized=True` says the rows of `patterns` are already `unit_rows` (on the CPU), so they
    are used as given: a caller that keeps unit rows between calls saves the normalisation.
    """
    b = non_negative("beta", beta)
    t = integer("steps", steps, 1)
    dev = resolve_device(device)
    import torch

    x, xi = _as_tensors(patterns, query, dev, normalized)
    if x.shape[0] == 0:
        return np.zeros(0), np.zeros(int(xi.shape[0]))
    with torch.inference_mode():
        p = torch.softmax(b * (x @ xi), dim=0)
        raw = x.T @ p
        for _ in range(t - 1):
            xi = torch.nn.functional.normalize(raw, dim=0, eps=1e-12)
            p = torch.softmax(b * (x @ xi), dim=0)
            raw = x.T @ p
    return (
        p.to("cpu", torch.float64).numpy(),
        raw.to("cpu", torch.float64).numpy(),
    )


def complete(
    patterns: np.ndarray | Sequence[Sequence[float]],
    query: np.ndarray | Sequence[float],
    *,
    beta: float = 16.0,
    steps: int = 2,
    device: str = "cpu",
    normalized: bool = False,
) -> np.ndarray:
    """Hopfield scores p (one per pattern, summing to 1) after `steps` updates from `query`."""
    p, _ = iterate(patterns, query, beta=beta, steps=steps, device=device, normalized=normalized)
    return p


def unit_rows(patterns: np.ndarray) -> np.ndarray:
    """The rows of a float32 (N, d) matrix normalised exactly as `iterate` normalises them on the
    CPU (a zero row stays zero). Each row is normalised on its own, so a row gives the same bits
    in any batch."""
    import torch

    x = np.ascontiguousarray(patterns, dtype=np.float32)
    if x.ndim != 2:
        raise InvalidInputError(f"patterns must be (N, d); got {x.shape}")
    with torch.inference_mode():
        return torch.nn.functional.normalize(torch.from_numpy(x), dim=1, eps=1e-12).numpy()
