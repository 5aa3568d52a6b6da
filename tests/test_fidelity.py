"""The fidelity suite: every scenario in tests/scenarios runs under ``strace -f`` while rawsock's own tracer
writes to a file; between the markers, strace must show exactly the syscalls rawsock's tracer printed, in the
same order, with the same arguments, results and errnos, and nothing more."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

SCENARIOS = pathlib.Path(__file__).resolve().parent / "scenarios"
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import syscall_table  # noqa: E402  (the one parser of strace logs; also makes the README's table)

sys.path.pop(0)
FILTER = syscall_table.FILTER


def _ptrace_refused() -> str | None:
    if shutil.which("strace") is None:
        return "strace is not installed (.ci/run installs it)"
    probe = subprocess.run(["strace", "-qq", "-e", "trace=none", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"strace cannot trace here (ptrace not permitted?): {probe.stderr.strip()[:200]}"
    return None


pytestmark = pytest.mark.skipif(_ptrace_refused() is not None, reason=str(_ptrace_refused()))


def run(script: pathlib.Path, tmp: pathlib.Path) -> tuple[list[str], list[str]]:
    """(strace's lines, rawsock's lines) for one scenario, pid prefixes and strace's padding removed."""
    strace_log, ours = tmp / "strace.log", tmp / "rawsock.log"
    env = dict(os.environ, RAWSOCK_TRACE=str(ours))
    # a scenario may ask strace for more syscalls: "# strace: +read,write,..." (it then must not write its log
    # between the markers: strace would see those writes)
    extra = re.search(r"^# strace: \+(\S+)", script.read_text(), re.M)
    syscall_table.strace_run(script, strace_log, env, extra=extra.group(1) if extra else "")
    theirs = syscall_table.strace_region(strace_log.read_text())
    mine = [re.sub(r"^\[pid +\d+\] ", "", line) for line in ours.read_text().splitlines()]
    return theirs, mine


@pytest.mark.parametrize("scenario", sorted(p.stem for p in SCENARIOS.glob("*.py")))
def test_tracer_lines_are_stracess_lines(scenario: str, tmp_path: pathlib.Path) -> None:
    theirs, mine = run(SCENARIOS / f"{scenario}.py", tmp_path)
    assert len(theirs) > 10
    diff = [f"#{i}\n  strace:  {t}\n  rawsock: {m}" for i, (t, m) in enumerate(zip(theirs, mine)) if t != m]
    assert not diff and len(theirs) == len(mine), "\n".join(diff[:10]) + f"\n({len(theirs)} vs {len(mine)} lines)"


def test_set_nonblocking_is_exactly_two_fcntl_calls(tmp_path: pathlib.Path) -> None:
    script = tmp_path / "nb.py"
    script.write_text("import rawsock as rs\nfd = rs.lib.socket(rs.AF_INET, rs.SOCK_STREAM, 0)\nrs.lib.close(-1)\n"
                      "rs.set_nonblocking(fd)\nrs.lib.close(-2)\n")
    theirs, mine = run(script, tmp_path)
    assert [line.split("(")[0] for line in theirs] == ["fcntl", "fcntl"] and theirs == mine


def test_rawsock_makes_exactly_the_calls_asked_for_in_the_readme_table() -> None:
    for name, asked, made in syscall_table.rawsock_counts():
        assert made == asked, name
