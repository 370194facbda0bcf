"""The sample life of notebook 02 (three weeks about a cat, work and a trip), slept once at day 15,
on the hash embedder: the graph does not depend on the embedder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from zenbrain import Brain, FixedClock, HashEmbedder

DAY0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
EPISODES = [
    (0, "My cat Luna is a grey Maine Coon."),
    (1, "Luna loves tuna and sleeps on the sofa."),
    (2, "Took Luna to the vet for her vaccination."),
    (3, "I work at Acme Corp as a nurse."),
    (4, "Luna caught a mouse in the garden."),
    (5, "Night shift at Acme Corp was exhausting."),
    (6, "Acme Corp is opening a new clinic in Porto."),
    (8, "I am planning a trip to Japan in April."),
    (9, "Booked the flight to Tokyo for the Japan trip."),
    (10, "My colleague Ana at Acme Corp recommended Kyoto."),
    (12, "Luna knocked a glass off the table again."),
    (14, "Ana and I will visit Kyoto temples on the Japan trip."),
]


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


def sample_brain(home: Path) -> Brain:
    clock = FixedClock(DAY0)
    brain = Brain(home, clock=clock, embedder=HashEmbedder())
    for n, text in EPISODES:
        clock.set(day(n))
        brain.remember(text, user_id="alice", at=day(n))
    brain.sleep("alice", now=day(15))
    clock.set(day(15))
    return brain
