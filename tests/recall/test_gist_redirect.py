"""Archived episodes lead to their gist (`zenbrain.recall.gist_redirect`): pure ranking rules,
then on a real brain after two sleeps."""

from __future__ import annotations

from consolidation_support import LUNA
from helpers import day

from zenbrain.recall.gist_redirect import redirect, redirect_scores


def test_redirect_keeps_each_target_at_its_best_rank_and_drops_dead_ends():
    targets = {"e1": "g", "e2": "g", "e3": None, "a": "a"}
    ranked, via = redirect(["e1", "a", "e3", "e2", "g", "x"], targets)
    assert ranked == ["g", "a", "x"]  # e2 and g repeat g; e3 leads nowhere; x is unknown: kept
    assert via == {"g": "e1"}


def test_redirect_scores_take_the_best_score_per_target():
    scores = {"e1": 0.4, "e2": 0.9, "g": 0.5, "e3": 0.99, "a": 0.1}
    out = redirect_scores(scores, {"e1": "g", "e2": "g", "e3": None, "g": "g", "a": "a"})
    assert out == {"g": 0.9, "a": 0.1}


def _slept(brain):
    eps = [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate(LUNA)]
    gist = brain.sleep("u1", now=day(3)).semantic_created[0]
    report = brain.sleep("u1", now=day(60))
    archived = [e.id for e in eps if e.id in set(report.archived_ids)]
    assert archived, "the Luna episodes the gist quotes are archived"
    return gist, archived


def test_a_cue_matching_an_archived_episode_serves_its_gist(brain):
    gist, archived = _slept(brain)
    episode = brain.get(archived[0])
    top = brain.recall(episode.text, user_id="u1", at=day(60))
    assert top[0].id == gist
    assert not any(r.memory.archived for r in top)
    assert any(reason.startswith("via-archived:mem_") for reason in top[0].reasons)
    explained = brain.recall(episode.text, user_id="u1", at=day(60), explain=True)[0]
    assert any("archived episode consolidated into this gist" in r for r in explained.reasons)


def test_include_archived_returns_the_episode_itself(brain):
    gist, archived = _slept(brain)
    episode = brain.get(archived[0])
    found = brain.recall(episode.text, user_id="u1", at=day(60), include_archived=True)
    assert episode.id in {r.id for r in found}
