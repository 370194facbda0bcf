"""The PostgreSQL system of record: several workers on one database, restart drill, erasure,
and clear errors. Real servers only (see conftest.py); skipped where PostgreSQL is missing."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from helpers import day
from store.conftest import chroma_client

from benchmarks.servers import find_postgres_bin, free_port, postgres_server
from zenbrain import Brain
from zenbrain.errors import InvalidInputError, StorageError

pytestmark = pytest.mark.own_servers


def test_two_workers_share_one_database(pg_url, chroma_server, open_brain, tmp_path):
    a = open_brain(tmp_path / "worker-a", database=pg_url, vectors=chroma_server)
    b = open_brain(tmp_path / "worker-b", database=pg_url, vectors=chroma_server)
    mem = a.remember("The staging server lives in rack 7", user_id="team", at=day(0))
    hits = b.recall("where is the staging server", user_id="team", at=day(1))
    assert hits[0].memory.id == mem.id
    b.forget(mem.id)
    assert a.get(mem.id).archived
    assert not (tmp_path / "worker-a" / "brain.db").exists()  # the records are on the server


def test_workers_opening_a_fresh_database_together(pg_url, open_brain, tmp_path):
    with ThreadPoolExecutor(4) as pool:
        brains = list(pool.map(lambda i: open_brain(tmp_path / f"w{i}", database=pg_url), range(4)))
    with psycopg.connect(pg_url) as conn:
        tables = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert {"memories", "events", "kg_edges", "meta"} <= tables
    assert len(brains) == 4


def test_event_log_is_append_only(pg_url, open_brain, tmp_path):
    brain = open_brain(tmp_path / "b", database=pg_url)
    brain.remember("An event to keep", user_id="u1")
    with psycopg.connect(pg_url) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("UPDATE events SET type = 'forged'")


def _user_rows(url: str, needles: list[str]) -> dict[str, int]:
    """Rows of any table whose text mentions one of `needles`."""
    found: dict[str, int] = {}
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
        for table in tables:
            for needle in needles:
                n = conn.execute(f'SELECT count(*) FROM "{table}" t WHERE t::text LIKE %s',
                                 [f"%{needle}%"]).fetchone()[0]
                if n:
                    found[f"{table}:{needle}"] = n
    return found


def test_delete_user_leaves_nothing_in_postgres_or_the_chroma_server(
        pg_url, chroma_server, open_brain, tmp_path):
    brain = open_brain(tmp_path / "b", database=pg_url, vectors=chroma_server)
    canary = "zebracanary4471"
    brain.remember_many([f"My bank PIN hint is {canary}", f"{canary} lives at Elm Street 5",
                         "Alice met Bob in Paris"], user_id="leaver", at=day(0))
    brain.remember("The team standup is at 9", user_id="stayer", at=day(0))
    brain.sleep("leaver", now=day(40))
    assert _user_rows(pg_url, [canary, "leaver"])  # the check can see them before
    assert brain.delete_user("leaver") >= 3
    assert _user_rows(pg_url, [canary, "leaver"]) == {}
    assert brain.stats("stayer")["active"] == 1

    with chroma_client(chroma_server) as client:
        docs = [client.get_collection(c.name).get(include=["documents", "metadatas"])
                for c in client.list_collections()]
    for got in docs:
        assert canary not in repr(got) and "leaver" not in repr(got)


@pytest.mark.skipif(find_postgres_bin() is None, reason="PostgreSQL is not installed")
def test_postgres_restart_mid_run_loses_nothing(open_brain, tmp_path):
    """Writers keep writing while the server restarts: each call succeeds or raises
    StorageError; every acknowledged write is there exactly once; the brain works after."""
    with postgres_server() as server:
        brain = open_brain(tmp_path / "b", database=server.url)
        acked: list[str] = []
        failures: list[BaseException] = []
        stop = threading.Event()

        def writer(w: int) -> None:
            i = 0
            while not stop.is_set():
                try:
                    acked.append(brain.remember(f"writer {w} note {i} about kiwis", user_id="u1").id)
                except StorageError as exc:
                    failures.append(exc)
                except BaseException as exc:  # anything else is a bug the test must show
                    failures.append(exc)
                    raise
                i += 1

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        before = len(acked)
        server.restart()
        time.sleep(1.5)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert before > 0 and len(acked) > before  # writes resumed after the restart
        assert all(isinstance(f, StorageError) for f in failures), failures
        with psycopg.connect(server.url) as conn:
            counts = dict(conn.execute(
                "SELECT id, count(*) FROM memories WHERE id = ANY(%s) GROUP BY id", [acked]
            ).fetchall())
        assert len(counts) == len(set(acked)) and set(counts.values()) == {1}
        assert brain.remember("after the restart", user_id="u1").id
        assert brain.recall("kiwis", user_id="u1", k=3)


def test_unreachable_database_is_a_clear_error(tmp_path, minilm):
    start = time.monotonic()
    with pytest.raises(StorageError, match="cannot reach the database"):
        Brain(tmp_path / "b", embedder=minilm,
              database=f"postgresql://nobody@127.0.0.1:{free_port()}/none")
    assert time.monotonic() - start < 15


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_other_urls_are_rejected(tmp_path, minilm, url):
    with pytest.raises(InvalidInputError):
        Brain(tmp_path / "b", embedder=minilm, database=url)


def test_keyword_search_is_bm25_as_computed_by_hand(pg_url, open_brain, tmp_path):
    """k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), lengths in lexemes.
    "cats chase mice" (3 lexemes), "cats sleep" (2), "dogs bark loudly" (3): avgdl = 8/3, and
    "cat" is in 2 of 3 documents."""
    import math

    brain = open_brain(tmp_path / "b", database=pg_url)
    a = brain.remember("cats chase mice", user_id="u1", at=day(0))
    b = brain.remember("cats sleep", user_id="u1", at=day(0))
    brain.remember("dogs bark loudly", user_id="u1", at=day(0))
    brain.remember("cats everywhere", user_id="someone-else", at=day(0))  # not in u1's corpus
    rows = brain._store.keyword_search(["cats"], user_id="u1", n=10, before=None,
                                       include_archived=False)
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expect_a = -idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 3 / (8 / 3)))
    expect_b = -idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 2 / (8 / 3)))
    assert [r["id"] for r in rows] == [b.id, a.id]
    assert [r["score"] for r in rows] == pytest.approx([expect_b, expect_a], rel=1e-9)


_WORKER = """
import sys
from zenbrain import Brain
home, url, w, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with Brain(home, database=url) as brain:
    for i in range(n):
        print(brain.remember(f"worker {w} wrote note {i} about the harbour", user_id="team").id,
              flush=True)
"""


@pytest.mark.slow
def test_worker_processes_writing_at_once_lose_and_double_nothing(pg_url, open_brain, tmp_path):
    """Three processes, each its own home, write to one database at the same time (writers take
    turns on the advisory lock); every acknowledged id is there once and nothing else is."""
    import subprocess
    import sys

    n = 12
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(tmp_path / f"w{w}"), pg_url,
                               str(w), str(n)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for w in range(3)]
    acked = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        acked += out.split()
    assert len(acked) == 3 * n == len(set(acked))
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT id, text FROM memories WHERE user_id = 'team'").fetchall()
    assert sorted(r[0] for r in rows) == sorted(acked)
    assert len({r[1] for r in rows}) == 3 * n
    reader = open_brain(tmp_path / "reader", database=pg_url)
    assert reader.stats("team")["active"] == 3 * n


def test_delete_user_on_a_worker_without_a_scheduler_removes_the_shared_job(
        pg_url, open_brain, tmp_path):
    from datetime import UTC, datetime

    from zenbrain.consolidation import scheduler

    a = open_brain(tmp_path / "a", database=pg_url)
    b = open_brain(tmp_path / "b", database=pg_url)
    a.remember("leaver's note", user_id="leaver")
    a.schedule_sleep(cron="0 3 * * *", user_id="leaver")
    assert scheduler.claim_fire(a, job="sleep", user_id="leaver",
                                fire=datetime(2026, 1, 1, 3, tzinfo=UTC))
    b.delete_user("leaver")  # b runs no scheduler
    assert _user_rows(pg_url, ["leaver"]) == {}  # job row (its kwargs are pickled) and claims
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM zenbrain_jobs").fetchone()[0] == 0


def test_agent_thread_continues_on_another_worker_and_goes_with_the_user(
        pg_url, open_brain, tmp_path):
    """Threads live in the shared database: worker B continues what worker A started, and
    `delete_user` on a third worker that never built a graph removes them for everyone."""
    from langchain_core.language_models import FakeListChatModel

    from zenbrain.agents import build_graph, thread_config

    def turn(graph, text):
        return graph.invoke({"messages": [("user", text)], "user_id": "alice", "session_id": "s1"},
                            thread_config("alice", "s1"))

    a = open_brain(tmp_path / "a", database=pg_url)
    b = open_brain(tmp_path / "b", database=pg_url)
    graph_a = build_graph(a, FakeListChatModel(responses=["Noted."]))
    turn(graph_a, "I live in Lisbon.")
    graph_b = build_graph(b, FakeListChatModel(responses=["In Lisbon."]))
    out = turn(graph_b, "Where do I live?")
    assert [m.content.split("\n")[0] for m in out["messages"]] == [
        "I live in Lisbon.", "Noted.", "Where do I live?", "In Lisbon."]
    c = open_brain(tmp_path / "c", database=pg_url)  # a worker without any agent graph
    c.delete_user("alice")
    assert graph_a.get_state(thread_config("alice", "s1")).values == {}
    assert _user_rows(pg_url, ["alice", "Lisbon"]) == {}
    graph_a.checkpointer.conn.close()
    graph_b.checkpointer.conn.close()
