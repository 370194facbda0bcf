"""Offline work on stored memories: the sleep cycle, forgetting and their scheduling."""
