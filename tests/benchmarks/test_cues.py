"""The cue benchmark: its generators on hand-worked cases, its seeded draws, its scoring, and a
tiny end-to-end run through `python -m benchmarks run cues` (skipped without the LoCoMo file)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from benchmarks import cues, locomo
from benchmarks.__main__ import main

TEXT = "we went hiking near the lake last summer with my two dogs and it rained"  # 15 words


def test_fragment_and_drop_words_by_hand():
    assert cues.fragment("a b c d e", start=1, length=2) == "b c"
    assert cues.fragment("a b c d e", start=3, length=5) == "d e"
    assert cues.drop_words("a b c d e", drop={0, 3}) == "b c e"
    assert cues.drop_words("a  b\nc", drop=set()) == "a b c"


def test_typo_edits_the_letters_and_keeps_punctuation():
    assert cues.typo("hello,", edit="delete", pos=1) == "hllo,"
    assert cues.typo("hello,", edit="insert", pos=0, letter="x") == "xhello,"
    assert cues.typo("hello,", edit="substitute", pos=4, letter="y") == "helly,"
    assert cues.typo("hello,", edit="swap", pos=0) == "ehllo,"
    assert cues.typo("'cause", edit="swap", pos=3) == "'caues"
    with pytest.raises(ValueError, match="expected one of"):
        cues.typo("hello", edit="rotate", pos=0)


def test_swap_synonyms_by_hand():
    # SYNONYMS: happy -> (glad, cheerful), kids -> children, big -> large, dog -> hound.
    assert cues.swap_synonyms("Happy kids, big dog!") == ("Glad children, large hound!", 4)
    assert cues.swap_synonyms("Happy", pick=lambda opts: opts[-1]) == ("Cheerful", 1)
    assert cues.swap_synonyms("no table word here") == ("no table word here", 0)
    assert cues.swap_synonyms("x y", table={"y": ("z",)}) == ("x z", 1)


def test_spoken_text_leaves_the_photo_caption_out():
    assert cues.spoken_text("Look at this! [shares an image: a dog on a beach]") == "Look at this!"
    assert cues.spoken_text("no photo") == "no photo"


def test_make_cues_are_seeded_per_turn_and_shaped_as_described():
    a = cues.make_cues(TEXT, seed=15, key="conv-1:D1:1")
    assert a == cues.make_cues(TEXT, seed=15, key="conv-1:D1:1")
    assert a != cues.make_cues(TEXT, seed=15, key="conv-1:D1:2")
    words = TEXT.split()
    assert a["whole"] == TEXT
    frag = a["fragment"].split()
    assert round(0.3 * 15) <= len(frag) <= round(0.5 * 15)  # 30-50% of 15 words: 4-8
    assert " ".join(frag) in TEXT and frag[0] in words  # one contiguous span
    kept = a["dropout"].split()
    assert len(kept) == 15 - round(0.4 * 15)  # 6 of 15 dropped
    it = iter(words)
    assert all(w in it for w in kept)  # a subsequence: order kept
    typo = a["typo"].split()
    assert len(typo) == 15
    assert sum(x != y for x, y in zip(words, typo, strict=True)) <= round(0.3 * 15)
    assert sum(x != y for x, y in zip(words, typo, strict=True)) >= 1
    assert "synonym" not in a  # none of its words is in the table
    b = cues.make_cues("my dog loved the big lake", seed=15, key="k")
    assert b["synonym"] in ("my hound adored the large lake", "my hound adored the huge lake")


def _turn(dia_id: str, text: str) -> locomo.Turn:
    return locomo.Turn(dia_id, "Ann", text, 1, datetime(2024, 1, 1, tzinfo=UTC))


def test_sample_turns_takes_long_evidence_turns_only():
    long = "one two three four five six seven eight"
    turns = (_turn("D1:1", long), _turn("D1:2", "too short to be a cue"),
             _turn("D1:3", long + " nine"), _turn("D1:4", long),
             _turn("D1:5", "seven words [shares an image: a caption with many more words]"))
    conv = locomo.Conversation("c", ("Ann", "Bob"), turns, ())
    qs = [locomo.Question("q", 4, ("D1:1", "D1:2", "D1:3", "D1:5"))]
    assert [t.dia_id for t in cues.sample_turns(conv, qs, 5, seed=1)] == ["D1:1", "D1:3"]
    one = cues.sample_turns(conv, qs, 1, seed=1)
    assert len(one) == 1 and one == cues.sample_turns(conv, qs, 1, seed=1)


def test_paired_counts_and_summary_by_hand():
    rows = {"a": [{"kind": "typo", "rank": 1, "s": 0.001}, {"kind": "typo", "rank": None, "s": 0.003},
                  {"kind": "dropout", "rank": 4, "s": 0.002}, {"kind": "whole", "rank": 1, "s": 0.0}],
            "b": [{"kind": "typo", "rank": 12, "s": 0.0}, {"kind": "typo", "rank": 2, "s": 0.0},
                  {"kind": "dropout", "rank": 10, "s": 0.0}, {"kind": "whole", "rank": None, "s": 0.0}]}
    d = cues.paired(rows, "a", "b")
    # partial cues only (the "whole" control is left out): a hits 1, 0, 1; b hits 0, 1, 1
    assert (d["delta"], d["gained"], d["lost"], d["n"]) == (0.0, 1, 1, 3)
    s = cues._summarise(rows)["a"]
    assert s["typo"] == pytest.approx({"n": 2, "r@1": 0.5, "r@5": 0.5, "r@10": 0.5,
                                       "p50_ms": 1.0, "p95_ms": 3.0})  # nearest-rank p50, p95
    assert s["partial"]["r@5"] == pytest.approx(2 / 3) and s["partial"]["n"] == 3
    won = {"paired": {"zenbrain+hopfield": {"delta": 0.05, "lo": 0.01, "hi": 0.09, "n": 9}}}
    assert "**met**" in cues.verdict(won)
    won["paired"]["zenbrain+hopfield"]["lo"] = -0.01
    assert "**not met**" in cues.verdict(won)


def test_hopfield_latency_rows():
    rows = cues.hopfield_latency((50,), dim=8, repeats=2)
    assert rows[0]["n"] == 50 and rows[0]["device"] == "cpu"
    assert 0 < rows[0]["p50_s"] <= rows[0]["p95_s"]


@pytest.mark.slow
@pytest.mark.skipif(not locomo.data_path().exists(), reason="LoCoMo data (../shared/data) absent")
def test_quick_run_on_a_tiny_subset(tmp_path, minilm):
    doc = tmp_path / "BENCHMARKS.md"
    rc = main(["run", "cues", "--conversations", "conv-30", "--max-turns", "40",
               "--doc", str(doc)], embedder=minilm)
    assert rc == 0
    text = doc.read_text()
    assert "<!-- BEGIN cues -->" in text and "**Verdict:**" in text
    out = json.loads((tmp_path / "results" / "cues.json").read_text())
    assert set(out["systems"]) == set(cues.SYSTEMS)
    for system in out["systems"].values():
        p = system["partial"]
        assert 0 <= p["r@1"] <= p["r@5"] <= p["r@10"] <= 1 and p["n"] > 0
    # the intact text finds its own turn among the first ten, for any system worth the name
    assert out["systems"]["flat"]["whole"]["r@10"] == 1.0
    assert {r["n"] for r in out["latency"]} == set(cues.LATENCY_SIZES)
