"""Semantic memory: FSRS-decaying knowledge; see `POLICIES` in `zenbrain.layers.base` and SPEC §3."""

from zenbrain.layers.base import POLICIES
from zenbrain.models import Layer

POLICY = POLICIES[Layer.SEMANTIC]
