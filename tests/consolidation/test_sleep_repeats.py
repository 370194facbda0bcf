"""Sleep and recurring small talk (issue 13): a content-free line said again and again becomes one
gist that is the line itself, never a quote in every conversation gist; gists of nothing but
content-free lines are episodic records, not semantic knowledge; a fact said once among the small
talk stays findable, and its words are never lost to a summary of chatter."""

from __future__ import annotations

from helpers import day

from zenbrain import Layer
from zenbrain.consolidation import abstraction, forgetting, steps

TALK = ["ugh, Mondays", "the bus was late again", "Ugh. Mondays!", "the bus was late AGAIN",
        "ugh, mondays", "The bus was late again."]
FACT = "My sister Ana just had a baby boy called Leo, I'm an aunt now!"


def _chat(brain, sessions=6):
    """One short session a day: two small-talk lines, and on day 2 a fact said once."""
    for d in range(sessions):
        turns = [{"text": TALK[(2 * d) % len(TALK)], "at": day(d)},
                 {"text": TALK[(2 * d + 1) % len(TALK)], "at": day(d)}]
        if d == 2:
            turns.insert(1, {"text": FACT, "at": day(d)})
        brain.remember_many(turns, user_id="u1", session_id=f"s{d}")


def _gists(brain):
    return [m for m in brain._store.select_memories(
        "user_id = 'u1' AND kind = 'summary' AND is_current = 1 AND archived = 0")]


def test_a_recurring_line_becomes_one_gist_that_is_the_line(brain):
    _chat(brain)
    report = brain.sleep("u1", now=day(7))
    assert report.status == "ok"
    repeats = [g for g in _gists(brain) if g.metadata.get("zb_anchor_type") == abstraction.REPEAT_TYPE]
    keys = {abstraction.content_key(g.text) for g in repeats}
    assert keys == {abstraction.content_key("ugh, Mondays"),
                    abstraction.content_key("the bus was late again")}
    for g in repeats:
        assert g.text in TALK  # the line as said, not a list of its copies
        assert g.layer is Layer.EPISODIC  # a record of what was said, not knowledge
        srcs = brain._store.get_many(g.sources)
        assert len(srcs) >= 3
        assert {abstraction.content_key(m.text) for m in srcs.values()} == {
            abstraction.content_key(g.text)}
        for m in srcs.values():  # every copy is archived: the gist stands for all of them
            assert m.archived and m.archive_reason == "redundant" and m.consolidated_into == g.id


def test_no_gist_quotes_small_talk_twice_or_buries_the_fact(brain):
    _chat(brain)
    brain.sleep("u1", now=day(7))
    for g in _gists(brain):
        if g.metadata.get("zb_anchor_type") != abstraction.REPEAT_TYPE:
            assert "Monday" not in g.text and "bus" not in g.text.lower()
    fact = next(m for m in brain._store.select_memories("user_id = 'u1'") if m.text == FACT)
    if fact.archived:  # only ever into a gist that still says it, word for word
        assert FACT.rstrip("!") in brain.get(fact.consolidated_into).text
    top = brain.recall("What is the name of my sister's baby?", user_id="u1", k=3, at=day(8),
                       read_only=True)
    assert any("Leo" in r.text for r in top)


def test_recurring_line_is_one_result_after_sleep(brain):
    _chat(brain)
    brain.sleep("u1", now=day(7))
    brain.remember("ugh, Mondays", user_id="u1", at=day(7.5), session_id="s7")  # said again
    got = brain.recall("Mondays again", user_id="u1", k=5, at=day(8), read_only=True)
    mondays = [r for r in got if "monday" in r.text.lower()]
    assert len(mondays) == 1


def test_repetition_of_content_free_text_earns_no_stability(brain):
    _chat(brain, sessions=6)
    brain.sleep("u1", now=day(7))
    base = abstraction.FSRS_GOOD_S0 * abstraction.REPLAY_BONUS
    repeats = [g for g in _gists(brain)
               if g.metadata.get("zb_anchor_type") == abstraction.REPEAT_TYPE]
    assert repeats
    for g in repeats:
        # n copies would make any gist 3.7145·(1 + 0.5·(n − 1))·1.5 d; a content-free line
        # (information < CONTENT_FREE_BELOW) earns less than that share of the difference.
        n_based = abstraction.FSRS_GOOD_S0 * (1 + 0.5 * (len(g.sources) - 1)) * 1.5
        assert g.stability < base + steps.CONTENT_FREE_BELOW * (n_based - base)


def test_a_later_copy_joins_the_existing_gist(brain):
    _chat(brain)
    first = brain.sleep("u1", now=day(7))
    later = brain.remember("ugh, Mondays!!", user_id="u1", at=day(8), session_id="s8")
    brain.sleep("u1", now=day(9))
    joined = brain.get(later.id)
    assert joined.consolidated_into is not None
    gist = brain.get(joined.consolidated_into)
    assert gist.metadata.get("zb_anchor_type") == abstraction.REPEAT_TYPE and gist.version == 2
    assert gist.supersedes in first.semantic_created


def test_gist_of_an_entity_stays_semantic(brain):
    # Low information content each, but about one entity: knowledge about Luna.
    for i, t in enumerate(["Luna knocked over my plant", "Took Luna to the vet for her vaccination",
                           "Luna slept on my keyboard all afternoon"]):
        brain.remember(t, user_id="u1", at=day(i))
    (sid,) = brain.sleep("u1", now=day(3)).semantic_created
    assert brain.get(sid).layer is Layer.SEMANTIC


def test_summary_text_says_each_clause_once():
    text = abstraction.summary_text("3 May 2026", "conversation",
                                    ["ugh, Mondays", "Ana: hi", "ugh, Mondays.", "Ana: hi"])
    assert text == "3 May 2026 (conversation): ugh, Mondays; Ana: hi"


def test_a_gist_is_never_archived_for_decay(brain):
    _chat(brain)
    brain.sleep("u1", now=day(7))
    for g in _gists(brain):
        assert forgetting.decide(g, day(400), params=forgetting.ForgetParams(
            decay_unconsolidated=True)) is None
