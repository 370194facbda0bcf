"""The entity benchmark's labelled data parses, and the extractor keeps the figures it reports
in docs/BENCHMARKS.md (precision ≥ 0.90 at recall ≥ 0.80) on both sets."""

from __future__ import annotations

from benchmarks.entities import DATA, HELDOUT, load, main, score

TYPES = {"person", "pet", "place", "org", "thing"}


def test_labelled_sets_parse_with_known_types():
    for path in (DATA, HELDOUT):
        lines = [ln for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
        assert all(ln.count("||") == 2 for ln in lines)
        for ln in lines:
            names = [n for n in ln.split("||")[1].split(";") if n.strip()]
            assert all(n.rsplit(":", 1)[1].strip() in TYPES for n in names), ln
    assert len(load(DATA)) >= 200 and len(load(HELDOUT)) >= 50


def test_extractor_meets_the_target_on_both_sets():
    for path in (DATA, HELDOUT):
        result = score(load(path))
        assert result.precision >= 0.90 and result.recall >= 0.80, (path.name, result)


def test_report_goes_to_the_given_document(tmp_path):
    doc = tmp_path / "BENCHMARKS.md"
    assert main(["--doc", str(doc)]) == 0
    assert "<!-- BEGIN entities -->" in doc.read_text()
