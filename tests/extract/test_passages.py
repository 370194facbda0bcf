"""Sentences of a multi-sentence memory (`extract.passages`), by hand."""

from __future__ import annotations

import numpy as np

from zenbrain.extract.passages import MAX_SENTENCES, encode_sentences, sentences


def test_a_fact_inside_small_talk_is_its_own_sentence():
    text = ("Random thought: I'm turning 35 on July 3; any ideas for a low-key celebration? "
            "Anyway, remind me to call the dentist.")
    assert sentences(text) == ["Random thought: I'm turning 35 on July 3;",
                               "any ideas for a low-key celebration?",
                               "Anyway, remind me to call the dentist."]


def test_one_sentence_and_fragments_need_no_vectors_of_their_own():
    assert sentences("I live in Lisbon.") == []
    assert sentences("Ugh. Mondays. I live in Lisbon.") == []  # one sentence of 3+ words
    assert sentences("") == []


def test_long_texts_keep_the_first_sentences_only():
    text = " ".join(f"Sentence number {i} is here." for i in range(20))
    assert len(sentences(text)) == MAX_SENTENCES


def test_encode_sentences_makes_one_encoder_call_and_keeps_the_order():
    calls: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.array([[float(len(t)), 1.0] for t in texts], dtype=np.float32)

    out = encode_sentences(embed, ["one line only", "First one here. Second one here!",
                                   "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."])
    assert len(calls) == 1 and len(calls[0]) == 5
    assert out[0] is None
    assert out[1] is not None and out[1][:, 0].tolist() == [15.0, 16.0]
    assert out[2] is not None and out[2].shape == (3, 2)
    assert encode_sentences(embed, ["short"]) == [None] and len(calls) == 1
