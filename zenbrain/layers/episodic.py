"""Episodic memory: concrete experiences with time and context; the default entry layer.

Decays on the Ebbinghaus curve from S₀ = 14 d × emotional multiplier × encoding gain; shrinks in
sleep once its gist is abstracted into semantic memory (see `zenbrain.consolidation`).
"""

from zenbrain.layers.base import POLICIES
from zenbrain.models import Layer

POLICY = POLICIES[Layer.EPISODIC]
