"""The read path: candidate channels, scoring, explanations."""
