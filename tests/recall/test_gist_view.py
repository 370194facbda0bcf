"""A recalled gist hands its reader the clauses that bear on the query (`recall.gist_view`):
hand-computed cases of the pure rule, then a real brain after sleep."""

from __future__ import annotations

import numpy as np
from consolidation_support import LUNA
from helpers import day

from zenbrain.extract import passages
from zenbrain.recall.gist_view import focused_text

_TEXT = "Luna (pet): My cat Luna loves tuna; Luna knocked over my plant; Took Luna to the vet"


def _cut(text: str = _TEXT, *, words: frozenset[str] = frozenset(),
         vectors: np.ndarray | None = None, anchor: str | None = "Luna") -> str | None:
    return focused_text(text, anchor=anchor, anchor_type="pet", words=words,
                        sentence_vectors=vectors, qvec=np.array([1.0, 0.0], dtype=np.float32))


def test_words_pick_the_clause_and_the_rest_show_as_one_ellipsis():
    # "tuna" is in the first clause only; "Luna" is the anchor's own word, so it picks nothing.
    assert _cut(words=frozenset({"tuna", "luna"})) == "Luna (pet): My cat Luna loves tuna; …"


def test_with_sentence_vectors_the_two_best_sentences_are_quoted():
    # Sleep stores one vector per sentence; the three clauses are three sentences here. Cosines
    # to the query 0.81 / 0.47 / 0.75: the two best, in their order, "…" between them.
    text = "Luna (pet): She loves tuna; She hates the vet; She naps a lot"
    assert len(passages.sentences(text)) == 3
    vecs = np.array([[0.81, 0.0], [0.47, 0.0], [0.75, 0.0]], dtype=np.float32)
    assert _cut(text, vectors=vecs) == "Luna (pet): She loves tuna … She naps a lot"
    # A query word outranks a higher cosine: "vet" picks the second sentence first.
    assert _cut(text, vectors=vecs, words=frozenset({"vet"})) \
        == "Luna (pet): She loves tuna … She hates the vet …"


def test_a_quoted_sentence_keeps_its_speaker():
    text = ("Mel (concept): Caroline: Yeah, lucky to have them. I moved from my home country; "
            "Mel: That is great news")
    vecs = np.array([[0.1, 0.0], [0.9, 0.0], [0.5, 0.0]], dtype=np.float32)
    cut = focused_text(text, anchor="Mel", anchor_type="concept", words=frozenset(),
                       sentence_vectors=vecs, qvec=np.array([1.0, 0.0], dtype=np.float32))
    assert cut == "Mel (concept): … Caroline: I moved from my home country … Mel: That is great news"


def test_nothing_is_cut_when_every_clause_or_no_clause_bears_on_the_query():
    assert _cut(words=frozenset({"zebra"})) is None  # no clause: recalled as a whole
    two = "Luna (pet): My cat Luna loves tuna; Took Luna to the vet"
    assert _cut(two, words=frozenset({"tuna", "vet"})) is None  # every clause
    # Three clauses with a query word each: the two with the most words are quoted.
    assert _cut(words=frozenset({"tuna", "cat", "plant", "vet"})) \
        == "Luna (pet): My cat Luna loves tuna; Luna knocked over my plant; …"
    assert _cut(words=frozenset({"tuna"}), anchor=None) is None  # not a template gist


def test_recall_after_sleep_quotes_less_and_keeps_provenance(brain):
    eps = [brain.remember(t, user_id="u1", at=day(i)) for i, t in enumerate(LUNA)]
    gist_id = brain.sleep("u1", now=day(3)).semantic_created[0]
    hit = next(r for r in brain.recall("Who went to the vet for a vaccination?", user_id="u1",
                                       at=day(4), read_only=True) if r.id == gist_id)
    assert len(hit.text) < len(hit.memory.text)
    assert "vet" in hit.text and "…" in hit.text
    assert set(hit.memory.sources) == {e.id for e in eps}  # provenance to every source
