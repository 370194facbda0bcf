"""`zenbrain sleep` (progress bar, report) and `zenbrain forget --dry-run` (a preview that changes
nothing) through the real CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from zenbrain.cli import app

runner = CliRunner()


def run(home, *args):
    result = runner.invoke(app, ["--home", str(home), *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_forget_dry_run_then_sleep(tmp_path):
    home = tmp_path / "b"
    home.mkdir()
    (home / "config.toml").write_text("forget_unconsolidated = true\n")
    mid = json.loads(run(home, "--json", "remember", "The printer uses A4 paper", "--user", "u1",
                         "--at", "2026-01-01T09:00:00").output)["id"]
    preview = json.loads(run(home, "--json", "forget", "--dry-run", "--user", "u1",
                             "--now", "2026-04-01T09:00:00").output)
    assert [(r["memory_id"], r["reason"]) for r in preview] == [(mid, "decay")]
    human = run(home, "forget", "--dry-run", "--user", "u1", "--now", "2026-04-01T09:00:00")
    assert "decay" in human.output and human.exit_code == 0
    assert json.loads(run(home, "--json", "stats", "--user", "u1").output)["archived"] == 0
    out = run(home, "sleep", "--user", "u1", "--now", "2026-04-01T09:00:00")
    assert out.exit_code == 0 and "1 archived" in out.output
    again = json.loads(run(home, "--json", "sleep", "--user", "u1",
                           "--now", "2026-04-01T09:00:00").output)
    assert again["status"] == "noop"


def test_forget_without_id_or_dry_run_is_an_error(tmp_path):
    result = runner.invoke(app, ["--home", str(tmp_path / "b"), "forget"])
    assert result.exit_code != 0
