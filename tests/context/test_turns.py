"""Fragments and their previous turn, questions and their answer, on hand-made turns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from zenbrain.context.turns import Turn, answers, is_fragment, next_turn, previous_turn

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def turn(id_, speaker, text, minutes=0.0, order=None):
    return Turn(id=id_, speaker=speaker, text=text, at=T0 + timedelta(minutes=minutes),
                order=order or id_)


def test_previous_turn_is_the_last_one_before_within_the_window():
    q = turn("m1", "user", "Where should we eat tonight?", 0)
    a = turn("m2", "assistant", "The Thai place on Rua Augusta.", 1)
    later = turn("m3", "user", "Great, booked it.", 2)
    assert previous_turn(a, [q, a, later]) == q
    assert previous_turn(q, [q, a, later]) is None
    old = turn("m0", "user", "Morning!", -31)  # 31 minutes before the reply: another exchange
    assert previous_turn(turn("m4", "assistant", "Hi", 0), [old]) is None


def test_same_instant_turns_are_ordered_by_the_turn_they_were_made_from():
    # observe() writes the user's short-term turn (st1), the assistant's (st2), then the user
    # turn's episode (ep1, made from st1): all at one instant.
    st1 = turn("st1", "user", "What's my cat called?")
    st2 = turn("st2", "assistant", "Luna.")
    ep1 = turn("ep1", "user", "What's my cat called?", order="st1")
    turns = [st1, st2, ep1]
    assert previous_turn(st2, turns).text == "What's my cat called?"
    assert previous_turn(ep1, turns) is None  # its own short-term copy is not its previous turn


def test_is_fragment():
    q = turn("q", "user", "Do you think Luna would like salmon?")
    assert is_fragment(turn("a", "assistant", "Probably, most cats love salmon and it is good for them."), q)
    assert is_fragment(turn("b", "Melanie", "Yes, twice last summer."), turn("c", "Caroline", "Been to the lake?"))
    # a long reply by another speaker reads alone, to a statement or to a question
    statement = turn("s", "Caroline", "I went to the lake with my kids last weekend.")
    assert not is_fragment(turn("r", "Melanie", "That sounds like a lovely way to spend a sunny weekend together."), statement)
    assert not is_fragment(turn("r1", "Caroline", "The support group has made me feel accepted and brave."),
                           turn("p", "Melanie", "What's it done for you?"))
    # a short one does not
    assert is_fragment(turn("r2", "Melanie", "Oh, lovely!"), statement)
    # an acknowledgement before a short statement explains nothing; a short question does
    assert not is_fragment(turn("j", "user", "I am learning Japanese."), turn("k", "assistant", "ok"))
    assert is_fragment(turn("l", "user", "Lisbon."), turn("m", "assistant", "Where?"))
    # the same speaker going on is not a reply; nothing before is nothing to add
    assert not is_fragment(turn("u", "user", "And tuna."), q)
    assert not is_fragment(turn("u2", "user", "Yes."), None)


def test_next_turn_is_the_first_one_after_within_the_window():
    q = turn("m1", "Caroline", "Love that colour! What got you into running?", 0)
    a = turn("m2", "Melanie", "I've been running farther to de-stress.", 1)
    later = turn("m3", "Caroline", "Running can really boost your mood.", 2)
    assert next_turn(q, [later, a, q]) == a
    assert next_turn(later, [q, a, later]) is None
    assert next_turn(q, [turn("m9", "Melanie", "Hours later.", 31)]) is None  # another exchange
    # Same instant: the order of the turns they were made from decides.
    st1, st2 = turn("st1", "user", "Which vet?"), turn("st2", "assistant", "Dr. Costa.")
    ep1 = turn("ep1", "user", "Which vet?", order="st1")
    assert next_turn(ep1, [st1, st2, ep1]) == st2  # its own short-term copy is not next


def test_answers_a_question_only_with_something_said_by_another_speaker():
    reply = turn("a", "Melanie", "I've been running farther to de-stress.")
    assert answers("… What got you into running?", reply, speaker="Caroline")
    assert not answers("I love running.", reply, speaker="Caroline")  # nothing was asked
    assert not answers("What got you into running?", reply, speaker="Melanie")  # own follow-up
    assert not answers("What got you into running?", turn("b", "Melanie", "Ha, yes!"),
                       speaker="Caroline")  # two words say nothing
    assert not answers("What got you into running?", None, speaker="Caroline")
