"""The Hopfield route on the device it is given: CUDA agrees with the CPU where a CUDA device is
present (skipped, with the reason, where none is)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import day

from zenbrain.recall import hopfield_route

torch = pytest.importorskip("torch")

NO_CUDA = "no CUDA device here (torch.cuda.is_available() is False); runs where one is"

_TEXTS = ["Luna the cat went to the vet", "Maria cooked dinner in Lisbon",
          "Tom works at the Atlas project", "Priya moved to Berlin"]


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason=NO_CUDA)
def test_route_scores_on_cuda_match_the_cpu(brain):
    mems = brain.remember_many([{"text": t, "at": day(i)} for i, t in enumerate(_TEXTS)],
                               user_id="u1")
    ids = [m.id for m in mems]
    q = brain.embedder.embed(["the cat at the vet"])[0]
    cpu = hopfield_route.hopfield_scores(store=brain._store, pool=ids, qvec=q, device="cpu")
    gpu = hopfield_route.hopfield_scores(store=brain._store, pool=ids, qvec=q, device="cuda")
    assert gpu.keys() == cpu.keys()
    assert np.array([gpu[i] for i in ids]) == pytest.approx([cpu[i] for i in ids], abs=1e-5)
    assert max(cpu, key=cpu.get) == ids[0]
