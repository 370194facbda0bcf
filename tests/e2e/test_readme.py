"""The README's quick start runs as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def test_readme_shows_the_two_commands_first():
    text = README.read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    assert first_block.splitlines()[0].startswith("make demo")
    assert first_block.splitlines()[1].startswith("make test")


def test_quick_start_runs(tmp_path, monkeypatch, capsys, minilm):
    code = re.search(r"## Quick start\n\n```python\n(.*?)```", README.read_text(), re.S).group(1)
    assert len(code.strip().splitlines()) <= 12
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README-quickstart", "exec"), {})
    out = capsys.readouterr().out
    assert "My cat Luna loves tuna" in out.splitlines()[0]
    assert out.splitlines()[-1].startswith("Luna (pet): My cat Luna loves tuna")
