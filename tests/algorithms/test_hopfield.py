"""Known values of modern-Hopfield completion (SPEC §4.3.4); needs torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zenbrain.algorithms import hopfield
from zenbrain.errors import InvalidInputError

torch = pytest.importorskip("torch")


def test_spec_example() -> None:
    # SPEC §4.3.4 Test: X = I2, xi = (1, 0), beta = ln 9 -> p = softmax(ln 9, 0) = (0.9, 0.1)
    # and xi_new = X^T p = (0.9, 0.1) before normalisation.
    p, xi = hopfield.iterate(np.eye(2), [1.0, 0.0], beta=math.log(9), steps=1)
    assert p == pytest.approx([0.9, 0.1], abs=1e-6)
    assert xi == pytest.approx([0.9, 0.1], abs=1e-6)
    assert hopfield.complete(np.eye(2), [1.0, 0.0], beta=math.log(9), steps=1) == pytest.approx(
        [0.9, 0.1], abs=1e-6
    )


def test_second_step_by_hand() -> None:
    # Step 2 starts from xi = (0.9, 0.1)/|.| and gives p = softmax(ln 9 * xi).
    xi = np.array([0.9, 0.1]) / math.hypot(0.9, 0.1)
    logits = math.log(9) * xi
    expected = np.exp(logits) / np.exp(logits).sum()
    p = hopfield.complete(np.eye(2), [1.0, 0.0], beta=math.log(9), steps=2)
    assert p == pytest.approx(expected, abs=1e-6)


def test_completion_prefers_the_nearest_pattern() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(50, 16))
    cue = x[12] + 0.3 * rng.normal(size=16)
    p = hopfield.complete(x, cue)
    assert p.shape == (50,)
    assert p.sum() == pytest.approx(1.0, abs=1e-5)
    assert int(np.argmax(p)) == 12


def test_empty_and_invalid() -> None:
    assert hopfield.complete(np.zeros((0, 3)), [1.0, 0.0, 0.0]).shape == (0,)
    with pytest.raises(InvalidInputError):
        hopfield.complete(np.eye(2), [1.0, 0.0, 0.0])
    with pytest.raises(InvalidInputError):
        hopfield.complete(np.eye(2), [1.0, 0.0], steps=0)
    with pytest.raises(InvalidInputError):
        hopfield.resolve_device("tpu")


def test_resolve_device() -> None:
    assert hopfield.resolve_device("cpu") == "cpu"
    assert hopfield.resolve_device("auto") in ("cpu", "cuda")
    if not torch.cuda.is_available():
        with pytest.raises(InvalidInputError):
            hopfield.resolve_device("cuda")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(),
                    reason="no CUDA device here (torch.cuda.is_available() is False)")
def test_cuda_matches_cpu() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 384))
    q = rng.normal(size=384)
    cpu = hopfield.complete(x, q, device="cpu")
    gpu = hopfield.complete(x, q, device="cuda")
    assert gpu == pytest.approx(cpu, abs=1e-5)
