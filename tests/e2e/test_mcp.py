"""The MCP server as a desktop assistant sees it: `zenbrain mcp` started as a subprocess and
driven by the official SDK's stdio client."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest

pytest.importorskip("mcp")
from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402

pytestmark = pytest.mark.slow


def _data(result) -> dict:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


async def _session(home):
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "zenbrain", "--home", str(home), "mcp", "--user", "alice"],
        env={"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
             "PYTHONPATH": os.getcwd()})
    return stdio_client(params)


def test_tools_are_callable_from_a_real_mcp_client(tmp_path):
    async def scenario():
        async with await _session(tmp_path / "b") as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            names = {t.name for t in (await s.list_tools()).tools}
            assert {"context", "remember", "recall", "forget", "sleep", "stats"} <= names
            mem = _data(await s.call_tool("remember", {"text": "My cat Luna loves tuna."}))
            assert mem["id"].startswith("mem_")
            other = _data(await s.call_tool("remember", {"text": "I work at Acme Corp.",
                                                         "user_id": "alice"}))
            found = _data(await s.call_tool("recall", {"query": "what does my cat eat?", "k": 3}))
            assert found["results"][0]["id"] == mem["id"]
            assert found["results"][0]["reasons"]
            block = _data(await s.call_tool("context", {"query": "what does my cat eat?",
                                                        "budget_tokens": 200}))
            assert block["text"].startswith("Recollections (most relevant first):\n")
            assert f'[{mem["id"][-4:]}]: "My cat Luna loves tuna."' in block["text"]
            assert block["citations"][mem["id"][-4:]] == mem["id"]
            assert block["memory_ids"][0] == mem["id"] and block["items"][0]["explain"]
            assert block["tokens_used"] <= block["budget_tokens"] == 200
            too_big = await s.call_tool("context", {"query": "cat", "budget_tokens": 10**6})
            assert too_big.is_error  # a clear tool error
            gone = _data(await s.call_tool("forget", {"memory_id": other["id"]}))
            assert gone["archived"] is True
            stats = _data(await s.call_tool("stats", {}))
            assert stats["active"] >= 1 and stats["archived"] == 1
            report = _data(await s.call_tool("sleep", {}))
            assert report["status"] in ("ok", "noop")
            bad = await s.call_tool("recall", {"query": "", "user_id": "alice"})
            assert bad.is_error  # a clear tool error, and the server keeps serving
            again = _data(await s.call_tool("recall", {"query": "Luna", "k": 1}))
            assert again["results"][0]["id"] == mem["id"]

    anyio.run(scenario)
