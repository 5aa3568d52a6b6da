"""The lessons: each produces exactly its expected outcome sequence, every run, and leaves nothing open."""

from __future__ import annotations

import io
import pathlib
import re
import subprocess
import sys

import pytest

from rawsock import demos
from rawsock.demos import full_send_buffer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import syscall_table

sys.path.pop(0)


@pytest.mark.parametrize("name", list(demos.LESSONS))
def test_lesson_outcomes(name: str) -> None:
    if name == "select-timeout" and not syscall_table.fd_1500_allowed():
        pytest.skip("the lesson uses fd 1500: RLIMIT_NOFILE's hard limit is lower, and raising it needs "
                    "CAP_SYS_RESOURCE")
    out = io.StringIO()
    lesson = demos.load(name)
    assert demos.run(name, out) == lesson.EXPECTED
    text = out.getvalue()
    assert text.startswith(f"== {name} (seed {lesson.SEED}): {lesson.TITLE}")
    assert lesson.SETUP in text and text.endswith(lesson.EXPLANATION)
    assert "(2)" in lesson.EXPLANATION or "(3)" in lesson.EXPLANATION or "(7)" in lesson.EXPLANATION


def test_every_seed_document_is_taught() -> None:
    seeds = {demos.load(name).SEED for name in demos.LESSONS}
    assert seeds == {"000_c82cdd21ad13fa96.txt", "001_e0faf55dae5ddd64.txt", "002_438de8620777548f.txt",
                     "003_3a54e319448b568c.txt", "004_30aebb7a35245579.txt"}


def test_full_send_buffer_prints_the_issue_2_lines() -> None:
    out = io.StringIO()
    with __import__("rawsock").trace(io.StringIO()):
        outcomes = full_send_buffer.run(out)
    first_error = outcomes.index("EAGAIN")
    assert first_error >= 1 and set(outcomes[:first_error]) == {""}
    eagains = ["EAGAIN"] * (1 + full_send_buffer.EXTRA_EAGAINS)
    assert outcomes[first_error:] == [*eagains, "ECONNRESET", "EPIPE", "EPIPE"]
    sends = [line for line in out.getvalue().splitlines() if line.startswith("send(")]
    size = full_send_buffer.MESSAGE_SIZE
    assert len(sends) == len(outcomes)
    for line, outcome in zip(sends, outcomes):
        expected = rf"send\(\d+, {size}, 0\) = " + (rf"-1 {outcome} \(.+\)" if outcome else r"\d+")
        assert re.fullmatch(expected, line), line


def test_cli_lists_and_runs_the_lessons() -> None:
    listing = subprocess.run([sys.executable, "-m", "rawsock", "demo"], capture_output=True, text=True, check=True)
    assert [line.split()[0] for line in listing.stdout.splitlines()] == list(demos.LESSONS)
    run = subprocess.run([sys.executable, "-m", "rawsock", "demo", "full-send-buffer"], capture_output=True,
                         text=True, check=True)
    assert "= -1 EAGAIN (Resource temporarily unavailable)" in run.stdout
    assert "= -1 ECONNRESET (Connection reset by peer)" in run.stdout
    assert re.search(r"^sendto\(\d+, \"a{32}\"\.\.\., 1024000, 0, NULL, 0\) = -1 EPIPE \(Broken pipe\)$", run.stdout,
                     re.M)
    assert re.search(r"^ioctl\(\d+, TIOCOUTQ, \[\d+\]\) = 0$", run.stdout, re.M)
    bad = subprocess.run([sys.executable, "-m", "rawsock", "demo", "nope"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown lesson 'nope'" in bad.stderr
