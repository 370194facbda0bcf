"""Citation handles: short, a function of the id, unique within a context, mapped back."""

from __future__ import annotations

from zenbrain.context.handles import HANDLE_CHARS, CitationHandles, cited_ids, handle


def test_a_handle_is_the_ids_last_characters():
    assert HANDLE_CHARS == 4
    assert handle("mem_01M8PM1M1HAQMDTNDDPRB4R555") == "R555"
    assert handle("mem_01M8PM1M1HAQMDTNDDPRB4R555", 8) == "PRB4R555"
    assert handle("mem_42") == "42"  # shorter than a handle: the whole id less "mem_"


def test_ids_of_one_millisecond_differ_in_their_handles():
    # The monotonic ULID generator increments the random part: the last characters change.
    ids = ["mem_01M8PM1M1HAQMDTNDDPRB4R554", "mem_01M8PM1M1HAQMDTNDDPRB4R555",
           "mem_01M8PM1M1HAQMDTNDDPRB4R556"]
    handles = CitationHandles()
    assert [handles.of(i) for i in ids] == ["R554", "R555", "R556"]


def test_a_collision_lengthens_only_the_later_handle():
    handles = CitationHandles()
    first, second = "mem_01AAAAAAAAAAAAAAAAAAXR555", "mem_01BBBBBBBBBBBBBBBBBBYR555"
    assert handles.of(first) == "R555"
    assert handles.of(second) == "BYR555"  # 2 more characters tell it apart
    assert handles.of(first) == "R555"  # asked again: the same handle
    assert handles.as_dict() == {"R555": first, "BYR555": second}


def test_handles_given_earlier_are_kept():
    # The prefix's handles are given first: evidence that collides with one is lengthened, so
    # the prefix never changes with the query.
    prefix = CitationHandles()
    core = prefix.of("mem_01AAAAAAAAAAAAAAAAAAA00001")
    evidence = CitationHandles(prefix.as_dict())
    assert evidence.of("mem_01BBBBBBBBBBBBBBBBBBA00001") == "A00001"
    assert evidence.of("mem_01AAAAAAAAAAAAAAAAAAA00001") == core == "0001"


def test_cited_ids_maps_handles_and_full_ids_back_first_mention_first():
    given = {"B4R555": "mem_01M8PM1M1HAQMDTNDDPRB4R555", "B4R554": "mem_01M8PM1M1HAQMDTNDDPRB4R554"}
    answer = ("She ran it last Saturday [B4R554] and loved it [ B4R555 ]; see also [B4R554], "
              "[shares an image], [XXXXXX] and mem_01M8PM1M1HAQMDTNDDPRB4R555.")
    assert cited_ids(answer, given) == ["mem_01M8PM1M1HAQMDTNDDPRB4R554",
                                        "mem_01M8PM1M1HAQMDTNDDPRB4R555"]
    assert cited_ids("mem_01M8PM1M1HAQMDTNDDPRB4R555 said so", given) == [
        "mem_01M8PM1M1HAQMDTNDDPRB4R555"]
    assert cited_ids("no citation, and an id not quoted: mem_01ZZZ", given) == []
