"""The fuzz smoke test (tests/fuzz_smoke.py) as part of the suite: 100,000 calls with hostile arguments in child
processes, zero failures.  Its seed and counts are in the output (shown with -rA, and always by .ci/run)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent


@pytest.mark.watchdog(900)  # about 10 s; about 75 s under the sanitizers, more on a loaded machine
def test_fuzz_smoke_100000_calls() -> None:
    run = subprocess.run([sys.executable, str(HERE / "fuzz_smoke.py"), "--calls", "100000"], capture_output=True,
                         text=True, timeout=900)
    print(run.stdout)
    if run.returncode == 77:
        pytest.skip(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, run.stdout + run.stderr
    assert "fuzz smoke: 0 failures" in run.stdout
