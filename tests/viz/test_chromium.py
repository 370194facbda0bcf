"""The interactive page as a person sees it: rendered by headless Chromium (Debian's package,
installed by .ci/run), the screenshot must show a drawn graph, not a blank or broken page."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from viz_support import sample_brain

pytestmark = pytest.mark.slow

Image = pytest.importorskip("PIL.Image", reason="Pillow (a matplotlib dependency) is not installed")
BROWSER = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
               None)


@pytest.mark.skipif(BROWSER is None, reason="no Chromium here (.ci/run installs Debian's "
                                            "`chromium` as root; apt-get install chromium)")
def test_interactive_page_renders_a_graph_in_headless_chromium(tmp_path):
    with sample_brain(tmp_path / "brain") as brain:
        brain.visualize("alice", archived=True).save(tmp_path / "g.html")
    shot = tmp_path / "shot.png"
    # --no-sandbox: CI runs as root; the page is our own file. Virtual time lets the scripts
    # finish drawing before the screenshot; the profile stays in the test's folder.
    cmd = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
           "--virtual-time-budget=4000", "--window-size=1200,800", f"--screenshot={shot}",
           (tmp_path / "g.html").as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.exists(), done.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (1200, 800)
    # Below the header is the canvas vis-network draws on: nodes and edges, in several colours.
    canvas = np.asarray(img)[140:].reshape(-1, 3)
    flat = canvas[:, 0].astype(np.int64) << 16 | canvas[:, 1].astype(np.int64) << 8 | canvas[:, 2]
    values, counts = np.unique(flat, return_counts=True)
    background = values[counts.argmax()]
    drawn = float((flat != background).mean())
    assert drawn > 0.01, f"only {drawn:.2%} of the canvas is drawn: blank page"
    assert len(values) > 20, "the canvas holds too few colours to be a graph"
    r, g, b = canvas[:, 0].astype(int), canvas[:, 1].astype(int), canvas[:, 2].astype(int)
    orange = int(((r > 220) & (g > 110) & (g < 160) & (b < 60)).sum())
    assert orange > 200, "no entity nodes (orange) drawn"
