"""`build_context`: recollections and the user's profile memories → a packed `Context`.

The glue between the store and the pure packing functions; `Brain.context` validates the
arguments, runs a read-only recall and calls this. What goes in, and in what order:

* **Stable prefix** (at most half the budget): the user's core blocks (oldest block first),
  then standing preferences — current semantic memories the user stated that are preferences or
  stable statements flagged as core candidates, oldest first, trusted only, none contradicted.
  It depends on the stored memories and the budget, never on the query, so it is byte-identical
  across queries until one of those memories changes; a new preference is appended at its end.
* **Evidence**, in recall's order, packed greedily (`packing.pack`) into the rest:
  - a *stale* recollection (recall's `explain` marks it "stale: …": a closed slot, a newer
    version, a recorded contradiction) is left out unless the query asks about change ("used
    to", "before", "changed", "previous", "still", …); then it is quoted with its stale note,
    and a memory that replaced an older version brings that version along. Recall's own
    reading that a newer statement updates it ("stale: updated by the newer …") is a guess:
    such a memory is quoted, with its note, where recall ranks it (below the newer one);
  - a memory of several sentences is quoted only as far as it bears on the query: the
    sentences that share a content word with it or whose stored sentence vector is within 0.1
    of the best sentence's similarity to it (`text.relevant_parts`), … in place of the rest, so
    the small talk around a fact does not take the room of another fact;
  - a *fragment* (a reply that needs what it answers, `turns.is_fragment`) is quoted after the
    turn said before it in its session (its last sentence: what the reply answers), when both
    fit; else alone;
  - a turn whose quoted part asks something ("… What got you into running?") is followed by the
    turn that answers it (`turns.answers`: the next turn, by another speaker, within 30 minutes),
    quoted as far as it bears on the query — a question without its answer is half an exchange
    (on LoCoMo the answer is often the evidence);
  - a *gist* (a sleep summary) is quoted only as far as it bears on the query: the clauses that
    share a content word with it (its anchor's name aside) or whose sentence vector is within
    0.1 of the best clause's similarity to it (`text.relevant_parts`), … in place of the rest;
    when the source memories holding those clauses take fewer bytes, they are quoted instead
    (each with its own date and speaker);
  - each line cites its memory by a short handle (`handles`), mapped back by `Context.cited`;
  - nothing is quoted twice: an id or text already in the context, or a part of it four words
    long or more, is not repeated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from zenbrain.clock import utc_iso
from zenbrain.context import packing, text, turns
from zenbrain.context.handles import CitationHandles
from zenbrain.context.models import Context, ContextItem, ContextRequest
from zenbrain.context.packing import Candidate, Entry
from zenbrain.context.tokens import TOKEN_RULE, budget_bytes, estimate_tokens, size
from zenbrain.extract import passages
from zenbrain.extract.vocative import without_addressed_names
from zenbrain.models import Kind, Layer, Memory, Recollection
from zenbrain.trust import is_untrusted

if TYPE_CHECKING:
    from zenbrain.store.sqlite import SQLiteStore

__all__ = ["CORE_TITLE", "EVIDENCE_TITLE", "PREFERENCES_TITLE", "PREFIX_SHARE", "build_context",
           "candidates_for"]

CORE_TITLE = "Core memory (always true of the user):"
PREFERENCES_TITLE = "Standing preferences (true until the user says otherwise):"
EVIDENCE_TITLE = "Recollections (most relevant first):"
# The profile may not crowd out the evidence: at most half the budget.
PREFIX_SHARE = 0.5
_SECTION_GAP = 2  # the blank line ("\n\n") before a section, counted for every section
# Archived turns that may still be quoted beside a reply: a turn that left short-term memory by
# its TTL or capacity, or an episode a gist took over, was not forgotten. A turn the user forgot,
# or that decayed or was contradicted, is not brought back.
_QUOTABLE_ARCHIVE = ("short_term_expired", "consolidated", "redundant")
# Not said in the conversation: what sleep wrote, how-tos, and the notes agents keep beside it
# (a reflection, a LangGraph store item; see `_said`).
_NOT_TURNS = (Kind.SUMMARY, Kind.PROCEDURE)
_AGENT_NOTES = ("reflection_of", "lg_store")
_PROFILE_LIMIT = 200

Embed = Callable[[list[str]], np.ndarray]


def candidates_for(budget_tokens: int, *, max_k: int) -> int:
    """How many recollections to ask for: more than fit (a line is rarely under 25 tokens), at
    least 30 so that skipped items leave room for smaller ones, at most 100."""
    return max(1, min(max_k, max(30, min(100, budget_tokens // 25))))


@dataclass
class _Info:
    """What the context reports about an entry besides its line."""

    mem: Memory
    role: str
    supports: str | None = None
    rank: int | None = None
    score: float | None = None
    sources: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    keep: tuple[int, ...] = ()


def _said(mem: Memory) -> bool:
    """Is `mem` a turn of its conversation (not a summary, how-to or an agent's own note)?"""
    return mem.kind not in _NOT_TURNS and not any(k in mem.metadata for k in _AGENT_NOTES)


def _speaker(mem: Memory) -> str:
    if mem.speaker:
        return mem.speaker
    return "summary" if mem.kind is Kind.SUMMARY else "user"


def _date(mem: Memory) -> str:
    # A gist is written by sleep; the day its latest episode happened is the useful date.
    return (mem.event_time if mem.kind is Kind.SUMMARY else mem.created_at).date().isoformat()


def _split(mem: Memory) -> tuple[str, tuple[str, ...], str, bool]:
    """(head, parts, sep, is a template gist) of a memory's text."""
    split = text.gist_parts(mem.text, anchor=mem.metadata.get("zb_anchor_name"),
                            anchor_type=mem.metadata.get("zb_anchor_type")) \
        if mem.kind is Kind.SUMMARY else None
    if split is not None:
        return split[0], split[1], "; ", True
    return "", text.sentences(mem.text), " ", False


def _entry(mem: Memory, role: str, *, handle: str, note: str = "",
           keep: tuple[int, ...] | None = None) -> Entry:
    head, parts, sep, _ = _split(mem)
    if keep is not None and len(keep) == len(parts):
        keep = None
    hdr = packing.header(date=_date(mem), speaker=_speaker(mem), handle=handle, note=note)
    return Entry(id=mem.id, role=role, header=hdr, parts=parts, head=head, sep=sep, keep=keep,
                 metadata=dict(mem.metadata))


class _Builder:
    def __init__(self, store: SQLiteStore, req: ContextRequest, *, namespace: str,
                 at: datetime, embed: Embed | None, query_vector: np.ndarray | None) -> None:
        self.store, self.req, self.namespace, self.at = store, req, namespace, at
        self.embed = embed
        self._qvec = None if query_vector is None else np.asarray(query_vector, dtype=np.float32)
        # (candidate id, entry id) → its report: one memory can be a candidate of its own and
        # another candidate's previous turn, with a different role in each.
        self.info: dict[tuple[str, str], _Info] = {}
        self.left_out: dict[str, str] = {}
        # Asked for in the order entries are made: the profile's first, so a prefix memory's
        # handle never depends on the query's evidence.
        self.handles = CitationHandles()
        # memory id → its sentence vectors, read for all of recall's candidates at once
        self.sentence_vectors: dict[str, np.ndarray | None] = {}

    def entry(self, mem: Memory, role: str, *, note: str = "",
              keep: tuple[int, ...] | None = None) -> Entry:
        return _entry(mem, role, handle=self.handles.of(mem.id), note=note, keep=keep)

    def note(self, cand: str, entry: Entry, info: _Info) -> Entry:
        info.keep = entry.shown
        self.info.setdefault((cand, entry.id), info)
        return entry

    # ---- the prefix ---------------------------------------------------------------------------

    def profile(self) -> tuple[list[Memory], list[Memory]]:
        """(core blocks, standing preferences) of the user as of `at`, in their fixed order."""
        when = utc_iso(self.at)
        scope = ("user_id = ? AND namespace = ? AND archived = 0 AND created_at <= ? "
                 "AND (is_current = 1 OR superseded_at > ?)")
        args = [self.req.user_id, self.namespace, when, when]
        core = self.store.select_memories(
            f"{scope} AND layer = 'core' ORDER BY root_id, id LIMIT {_PROFILE_LIMIT}", args)
        flagged = self.store.json_text("metadata", "zb_core_candidate")
        prefs = self.store.select_memories(
            f"{scope} AND layer = 'semantic' AND (kind = 'preference' OR {flagged} IS NOT NULL) "
            "AND (speaker IS NULL OR speaker = 'user') AND id NOT IN (SELECT dst FROM "
            "memory_links WHERE type = 'contradicts' AND created_at <= ?) "
            f"ORDER BY created_at, id LIMIT {_PROFILE_LIMIT}", [*args, when])
        return core, [m for m in prefs if not is_untrusted(m.metadata)]

    def profile_candidates(self, mems: Sequence[Memory], role: str) -> list[Candidate]:
        out = []
        for m in mems:
            block = m.metadata.get("block")
            entry = self.note(m.id, self.entry(m, role, note=f"block {block}" if block else ""),
                              _Info(m, role, sources=list(m.sources), explain=[
                                  "core block: always in the prefix" if role == "core" else
                                  "standing preference: in the prefix until it changes"]))
            out.append(Candidate(m.id, ((entry,),)))
        return out

    # ---- the evidence -------------------------------------------------------------------------

    def query_vector(self) -> np.ndarray | None:
        if self._qvec is None and self.embed is not None:
            self._qvec = np.asarray(self.embed([self.req.query])[0], dtype=np.float32)
        return self._qvec

    def relevant(self, mem: Memory, words: frozenset[str]) -> tuple[int, ...] | None:
        """The parts of `mem` that bear on the query (`text.relevant_parts`), None = all: the
        clauses of a template gist (by words, the anchor's own words aside, as every clause
        names it, and by the clauses' stored sentence vectors), or the sentences of a memory
        with stored sentence vectors (`extract.passages`) — the small talk around a fact ("Hey
        Mel! … I ran a charity race last Saturday. …") is left out. A memory without sentence
        vectors (one sentence worth one, or written by an encoder that stored none) is whole."""
        head, parts, _, is_gist = _split(mem)
        if len(parts) < 2:
            return None
        sims: list[float | None] = [None] * len(parts)
        stored = self.sentence_vectors.get(mem.id)
        if stored is None and mem.id not in self.sentence_vectors:
            stored = self.store.sentence_vectors([mem.id]).get(mem.id)
        said = passages.sentences(mem.text)
        qvec = self.query_vector() if stored is not None and len(stored) == len(said) else None
        if qvec is not None and stored is not None and stored.shape[1] == qvec.shape[0]:
            sims = text.clause_similarities(head, parts, said, stored @ qvec)
        elif not is_gist:
            return None
        # A name the sentence only addresses ("Agreed, Caroline.") says nothing about her.
        said_about = [without_addressed_names(p) for p in parts]
        return text.relevant_parts(words - text.query_words(head), said_about, sims)

    def session_turns(self, mems: Sequence[Memory]) -> dict[str, list[Memory]]:
        """The turns around each of `mems` in its session (one query per session)."""
        groups: dict[tuple[str, str], list[Memory]] = defaultdict(list)
        for m in mems:
            if m.session_id is not None and m.user_id == self.req.user_id:
                groups[(m.namespace, m.session_id)].append(m)
        out: dict[str, list[Memory]] = {}
        archive = ",".join(f"'{r}'" for r in _QUOTABLE_ARCHIVE)
        not_turns = ",".join(f"'{k}'" for k in _NOT_TURNS)
        for (ns, sid), members in groups.items():
            lo = min(m.created_at for m in members) - turns.NEIGHBOUR_WINDOW
            hi = min(max(m.created_at for m in members) + turns.NEIGHBOUR_WINDOW, self.at)
            found = self.store.select_memories(
                "user_id = ? AND namespace = ? AND session_id = ? AND created_at >= ? "
                f"AND created_at <= ? AND layer != 'working' AND kind NOT IN ({not_turns}) "
                f"AND (archived = 0 OR archive_reason IN ({archive})) "
                "AND (is_current = 1 OR superseded_at > ?)",
                [self.req.user_id, ns, sid, utc_iso(lo), utc_iso(hi), utc_iso(self.at)])
            said = [m for m in found if _said(m)]
            for m in members:
                out[m.id] = said
        return out

    @staticmethod
    def _turn(mem: Memory, by_id: dict[str, Memory]) -> turns.Turn:
        # An episode made from a chat turn sits where that turn sits.
        order = mem.id
        if len(mem.sources) == 1 and mem.sources[0] in by_id \
                and by_id[mem.sources[0]].created_at == mem.created_at:
            order = mem.sources[0]
        return turns.Turn(id=mem.id, speaker=_speaker(mem), text=mem.text, at=mem.created_at,
                          order=order)

    def neighbours(self, mem: Memory, shown: Entry, around: list[Memory]
                   ) -> tuple[Memory | None, Memory | None]:
        """(the turn a fragment replies to, `turns.is_fragment`; the turn that answers the
        question `mem`'s quoted part asks, `turns.answers`) among its session's turns."""
        if not _said(mem) or mem.layer is Layer.CORE:
            return None, None
        by_id = {m.id: m for m in around}
        item = self._turn(mem, by_id)
        session = [self._turn(m, by_id) for m in around]
        before = turns.previous_turn(item, session)
        after = turns.next_turn(item, session)
        replied = by_id[before.id] if before is not None and turns.is_fragment(item, before) \
            else None
        answer = by_id[after.id] if after is not None \
            and turns.answers(shown.text, after, speaker=item.speaker) else None
        return replied, answer

    def gist_sources(self, gist: Memory, entry: Entry) -> list[Memory] | None:
        """The source memories holding the gist's shown clauses, one per clause in order; None
        when a clause has no quotable source."""
        found = self.store.get_many(gist.sources)
        usable = sorted((m for m in found.values() if m.user_id == self.req.user_id
                         and m.created_at <= self.at
                         and (not m.archived or m.archive_reason in _QUOTABLE_ARCHIVE)),
                        key=lambda m: (m.event_time, m.id))
        by_clause: dict[str, Memory] = {}
        for m in usable:
            for form in (m.text, f"{m.speaker}: {m.text}"):
                by_clause.setdefault(text.norm(form), m)
        picked: dict[str, Memory] = {}
        for i in entry.shown:
            src = by_clause.get(text.norm(entry.parts[i]))
            if src is None:
                return None
            picked.setdefault(src.id, src)
        return list(picked.values())

    def evidence(self, found: Sequence[Recollection]) -> list[Candidate]:
        change = text.asks_about_change(self.req.query)
        words = text.query_words(self.req.query)
        deep = {r.memory.consolidated_into for r in found
                if r.copy == "deep" and r.memory.consolidated_into}
        gists = self.store.get_many([g for g in deep if g]) if deep else {}
        around = self.session_turns([r.memory for r in found])
        wanted = [r.memory.id for r in found] + [g for g in gists]
        stored = self.store.sentence_vectors(wanted)
        self.sentence_vectors = {mid: stored.get(mid) for mid in wanted}
        out: list[Candidate] = []
        for rank, rec in enumerate(found, start=1):
            mem, why = rec.memory, list(rec.reasons)
            if rec.copy == "deep" and gists.get(mem.consolidated_into or "") is not None:
                # The episode was served by its gist: quote the gist (its words, its id).
                why.append(f"served for {mem.id}, an episode this summary consolidated")
                mem = gists[mem.consolidated_into]  # type: ignore[index]
            stale = next((r for r in rec.reasons if r.startswith("stale:")), None)
            # Recall's "updated by the newer …" is its reading of two statements, not a closed
            # slot or a recorded contradiction: quote the older one (with its note) after the
            # newer, as recall ranks it, rather than drop evidence on a guess.
            guessed = stale is not None and stale.startswith("stale: updated")
            if stale and not change and not guessed:
                self.left_out[mem.id] = f"{stale} (the query does not ask about change)"
                continue
            info = _Info(mem, "evidence", rank=rank, score=rec.score, sources=list(mem.sources),
                         explain=why)
            note = f"stale ({stale.removeprefix('stale:').strip()})" if stale else ""
            main = self.note(mem.id, self.entry(mem, "evidence", note=note,
                                                keep=self.relevant(mem, words)), info)
            if main.cut:
                kind = "summary clauses" if main.sep == "; " else "sentences"
                info.explain.append(f"{len(main.shown)} of {len(main.parts)} {kind} bear on the "
                                    "query (shared words or sentence similarity); … marks the "
                                    "others")
            if mem.kind is Kind.SUMMARY and mem.sources:
                out.append(Candidate(mem.id, (*self.gist_options(mem, main, info), (main,)),
                                     cheapest=True))
                continue
            before, after = self.neighbours(mem, main, around.get(rec.memory.id, []))
            older = self.store.get(mem.supersedes) if change and mem.supersedes else None
            if older is not None and older.user_id != self.req.user_id:
                older = None
            pre = (self.companion(before, "previous_turn", mem, "previous turn",
                                  f"the turn said before {mem.id}, which replies to it"),) \
                if before is not None else ()
            post = (self.companion(older, "earlier_version", mem,
                                   f"earlier version, replaced {_date(mem)}",
                                   f"the value {mem.id} replaced (the query asks about "
                                   "change)"),) if older is not None else ()
            reply = (self.companion(after, "answer", mem, "answer",
                                    f"the turn that answers the question {mem.id} asks",
                                    keep=self.relevant(after, words)),) \
                if after is not None else ()
            # Preferred first: the whole exchange; then without the older version, then without
            # the answer; the item alone last.
            options = [(*pre, main, *reply, *post), (*pre, main, *reply), (*pre, main), (main,)]
            out.append(Candidate(mem.id, tuple(dict.fromkeys(options))))
        return out

    def companion(self, mem: Memory, role: str, of: Memory, note: str, why: str, *,
                  keep: tuple[int, ...] | None = None) -> Entry:
        parts = text.sentences(mem.text)
        # A reply answers the last thing said: of a previous turn, its last sentence is enough.
        if role == "previous_turn" and len(parts) > 1:
            keep = (len(parts) - 1,)
        return self.note(of.id, self.entry(mem, role, note=note, keep=keep),
                         _Info(mem, role, supports=of.id, sources=list(mem.sources),
                               explain=[why]))

    def gist_options(self, gist: Memory, main: Entry, info: _Info) -> list[tuple[Entry, ...]]:
        sources = self.gist_sources(gist, main)
        if not sources:
            return []
        quoted = tuple(self.note(gist.id,
                                 self.entry(m, "gist_source"),
                                 _Info(m, "gist_source", supports=gist.id, rank=info.rank,
                                       score=info.score, sources=list(m.sources),
                                       explain=[*info.explain,
                                                f"quoted instead of summary {gist.id}: its "
                                                "sources cost fewer tokens"]))
                       for m in sources)
        return [quoted]


def _section(title: str, placed: Sequence[packing.Placed]) -> str:
    return title + "\n" + "\n".join(p.entry.line for p in placed) if placed else ""


def _overhead(title: str) -> int:
    return size(title) + _SECTION_GAP


def build_context(store: SQLiteStore, req: ContextRequest, *, namespace: str, at: datetime,
                  found: Sequence[Recollection], embed: Embed | None = None,
                  query_vector: np.ndarray | None = None) -> Context:
    """Pack the user's profile and `found` (recall's results, best first) into `req`'s budget.

    Args:
        store: the system of record (profile memories, session turns, gist sources).
        req: the checked query, user and budget.
        namespace: the Brain namespace to read the profile and turns from.
        at: the instant the memories are read as of.
        found: a read-only, explained recall for `req.query` (more than fit).
        embed: the brain's encoder, to compare the query with a gist's clauses (called once,
            and only when a gist is among `found`); None = by words only.
        query_vector: the query's vector when the caller has it (then `embed` is not called).
    """
    b = _Builder(store, req, namespace=namespace, at=at, embed=embed, query_vector=query_vector)
    budget = budget_bytes(req.budget_tokens)
    core, prefs = b.profile()
    share = int(budget * PREFIX_SHARE)
    core_pack = packing.pack(b.profile_candidates(core, "core"),
                             budget=share - _overhead(CORE_TITLE))
    core_used = core_pack.used + _overhead(CORE_TITLE) if core_pack.placed else 0
    pref_pack = packing.pack(b.profile_candidates(prefs, "preference"),
                             budget=share - core_used - _overhead(PREFERENCES_TITLE),
                             seen=core_pack.seen)
    pref_used = pref_pack.used + _overhead(PREFERENCES_TITLE) if pref_pack.placed else 0
    ev_pack = packing.pack(b.evidence(found),
                           budget=budget - core_used - pref_used - _overhead(EVIDENCE_TITLE),
                           seen=pref_pack.seen)
    prefix = "\n\n".join(s for s in (_section(CORE_TITLE, core_pack.placed),
                                     _section(PREFERENCES_TITLE, pref_pack.placed)) if s)
    evidence = _section(EVIDENCE_TITLE, ev_pack.placed)
    body = "\n\n".join(s for s in (prefix, evidence) if s)
    items = [_item(p, b.info[(p.candidate, p.entry.id)], b.handles.of(p.entry.id))
             for p in (*core_pack.placed, *pref_pack.placed, *ev_pack.placed)]
    ids = [i.id for i in items]
    # A candidate left out in one role may be quoted in another (a gist's source, a turn).
    left_out = {k: v for k, v in {**core_pack.left_out, **pref_pack.left_out, **b.left_out,
                                  **ev_pack.left_out}.items() if k not in ids}
    sources = list(dict.fromkeys(s for i in items for s in i.sources if s not in ids))
    return Context(query=req.query, user_id=req.user_id, namespace=namespace, at=at,
                   budget_tokens=req.budget_tokens, tokens_used=estimate_tokens(body),
                   token_rule=TOKEN_RULE, text=body, prefix=prefix, evidence=evidence,
                   items=items, memory_ids=ids, source_ids=sources, left_out=left_out,
                   citations={i.handle: i.id for i in items})


def _item(p: packing.Placed, info: _Info, handle: str) -> ContextItem:
    entry, mem = p.entry, info.mem
    explain = list(info.explain)
    if entry.shown != info.keep:
        if entry.shown == info.keep[: len(entry.shown)]:
            explain.append(f"cut after {len(entry.shown)} of {len(info.keep)} "
                           f"{'clauses' if entry.sep == '; ' else 'sentences'} to fit the "
                           "budget (… marks the cut)")
        else:
            explain.append("words already quoted above are left out (… marks them)")
    return ContextItem(
        id=entry.id, handle=handle, role=info.role, supports=info.supports, rank=info.rank, score=info.score,  # type: ignore[arg-type]
        date=_date(mem), speaker=_speaker(mem), layer=str(mem.layer), kind=str(mem.kind),
        text=entry.text, cut=entry.cut, line=entry.line, tokens=estimate_tokens(entry.line + "\n"),
        sources=info.sources, explain=explain)
