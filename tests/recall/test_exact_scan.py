"""The vector route of a small user: an exact scan of their vectors in the system of record.

A user with at most `BrainConfig.exact_scan_max` memories is searched without the vector index,
so thousands of small users on one brain load no Chroma collection each (issue 14). The scan must
answer as the index does, and a user past the threshold must still be served by the index.
"""

from __future__ import annotations

from helpers import day, news_answers, weekly_news

from zenbrain.config import load_config

TEXTS = weekly_news()


def test_a_small_users_recall_reads_no_vector_index(open_brain, tmp_path):
    home = tmp_path / "b"
    first = open_brain(home)
    first.remember_many(TEXTS, user_id="u", at=day(1))
    first.close()
    again = open_brain(home)
    assert all(news_answers(again, "u"))
    assert not again._index.opened  # nothing of Chroma was loaded for this user


def test_the_exact_scan_answers_as_the_index_does(open_brain, tmp_path):
    home = tmp_path / "b"
    writer = open_brain(home)
    writer.remember_many(TEXTS, user_id="u", at=day(1))
    writer.close()
    indexed = open_brain(home, config=load_config(home, exact_scan_max=0))
    by_index = news_answers(indexed, "u")
    assert indexed._index.opened
    indexed.close()
    scanned = open_brain(home)
    assert news_answers(scanned, "u") == by_index
    assert not scanned._index.opened


def test_a_user_past_the_threshold_is_served_by_the_index(open_brain, tmp_path):
    home = tmp_path / "b"
    writer = open_brain(home)
    writer.remember_many(TEXTS[:10], user_id="small", at=day(1))
    writer.remember_many(TEXTS, user_id="large", at=day(1))
    writer.close()
    brain = open_brain(home, config=load_config(home, exact_scan_max=30))
    assert all(news_answers(brain, "small"))
    assert not brain._index.opened
    assert all(news_answers(brain, "large"))
    assert brain._index.opened


def test_a_row_still_in_the_outbox_is_found_without_the_index(open_brain, tmp_path):
    home = tmp_path / "b"
    writer = open_brain(home)
    writer.remember_many(TEXTS[:20], user_id="u", at=day(1))
    lost = writer.remember("The boiler code is 7781.", user_id="u", at=day(2))
    writer._index.delete("u", [lost.id])  # its upsert never confirmed, as after a crash
    writer._store.update(lost.id, index_pending=True)
    writer.close()
    again = open_brain(home)
    assert again.recall("boiler code", user_id="u", at=day(9), read_only=True)[0].id == lost.id
    assert not again._index.opened
    assert again.repaired_on_open == 1  # the first use of the index still repairs it
