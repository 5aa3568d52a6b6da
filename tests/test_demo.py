"""The main demo (seed 000) prints send / EAGAIN / ECONNRESET / EPIPE, every run."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from rawsock.demos import LESSONS, full_send_buffer, load


def test_full_send_buffer_sequence() -> None:
    out = io.StringIO()
    outcomes = full_send_buffer.run(out)
    first_error = outcomes.index("EAGAIN")
    assert first_error >= 1 and set(outcomes[:first_error]) == {""}
    eagains = ["EAGAIN"] * (1 + full_send_buffer.EXTRA_EAGAINS)
    assert outcomes[first_error:] == [*eagains, "ECONNRESET", "EPIPE", "EPIPE"]
    sends = [line for line in out.getvalue().splitlines() if line.startswith("send(")]
    assert len(sends) == len(outcomes)
    size = full_send_buffer.MESSAGE_SIZE
    for line, outcome in zip(sends, outcomes):
        if outcome:
            assert re.fullmatch(rf"send\(\d+, {size}, 0\) = -1 {outcome} \(.+\)", line), line
        else:
            assert re.fullmatch(rf"send\(\d+, {size}, 0\) = \d+", line), line


def test_cli_lists_and_runs_the_demo() -> None:
    listing = subprocess.run([sys.executable, "-m", "rawsock", "demo"], capture_output=True, text=True, check=True)
    assert listing.stdout.split()[0] == "full-send-buffer" and set(LESSONS) == {"full-send-buffer"}
    run = subprocess.run([sys.executable, "-m", "rawsock", "demo", "full-send-buffer"], capture_output=True,
                         text=True, check=True)
    assert "= -1 EAGAIN (Resource temporarily unavailable)" in run.stdout
    assert "= -1 ECONNRESET (Connection reset by peer)" in run.stdout
    assert run.stdout.rstrip().count("= -1 EPIPE (Broken pipe)") == 2
    bad = subprocess.run([sys.executable, "-m", "rawsock", "demo", "nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown lesson 'nope'" in bad.stderr
    assert load("full-send-buffer") is full_send_buffer
