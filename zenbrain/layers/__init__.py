"""The seven memory layers: their policies (capacity, lifetime, decay) and write routing."""

from zenbrain.layers.base import POLICIES, LayerPolicy, policy_for
from zenbrain.layers.router import RoutingDecision, route

__all__ = ["POLICIES", "LayerPolicy", "RoutingDecision", "policy_for", "route"]
