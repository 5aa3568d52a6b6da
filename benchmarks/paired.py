"""One round of a paired target measurement, in a fresh worker process (run.py starts it).

A target compares two implementations.  Measured in separate pyperf runs minutes apart, their medians carry
whatever the machine was doing at each time (on a shared VM, samples of one benchmark span 2x), so the ratio
of two medians can move by tens of percent between runs of the same code.  A round here measures both sides
back to back in one process, alternating (A B A B A B, or B A B A B A), each value a calibrated loop of at least
``min_time`` seconds, both sides calibrated first in the same order; its ratio is median(A) / median(B).  The C
side is one pingpong.c process kept for the round (REPS 0: it serves one timed repetition per request), so its
sockets and buffers stay as warm as the Python side's.  run.py reports the median ratio over many rounds.

    python benchmarks/paired.py py NAME_A NAME_B MIN_TIME ORDER      # two Python benchmarks
    python benchmarks/paired.py c NAME_A C_ARGS... MIN_TIME ORDER     # a Python benchmark and pingpong.c

Prints one JSON object: {"a": [ns/op...], "b": [ns/op...]}.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import suite
from _harness import C_BINARY, PyBench

VALUES = 3  # values per side in one round


def _bench(name: str) -> PyBench:
    for group in suite.all_groups():
        for bench in group.benchmarks:
            if bench.name == name and isinstance(bench, PyBench):
                return bench
    raise SystemExit(f"no Python benchmark named {name!r}")


def _calibrated(bench: PyBench, min_time: float) -> Callable[[], float]:
    """A function timing one value of ``bench`` in ns/op, with loops doubled until a value takes min_time."""
    func = bench.time_func()
    loops = 1
    func(loops)  # warm-up
    while func(loops) < min_time:
        loops *= 2
    return lambda: func(loops) / (loops * bench.inner) * 1e9


def _c_value(args: list[str], min_time: float) -> tuple[Callable[[], float], subprocess.Popen[str]]:
    """One pingpong.c process serving values (REPS 0): calibrated once, like the Python side, and asked for one
    timed repetition at a time, so both sides run warm and alternate in the same seconds."""
    proc = subprocess.Popen([C_BINARY, *args, "0", str(int(min_time * 1e9))], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout
    json.loads(stdout.readline())  # {"loops": N}: calibrated

    def value() -> float:
        stdin.write("\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise SystemExit(f"pingpong {' '.join(args)} stopped (exit status {proc.wait()})")
        return float(line)

    return value, proc


def main(argv: list[str]) -> int:
    kind, name_a, *rest = argv
    min_time, order = float(rest[-2]), rest[-1]
    proc = None
    if order == "ab":  # calibration in the order of the values
        a = _calibrated(_bench(name_a), min_time)
    if kind == "py":
        b = _calibrated(_bench(rest[0]), min_time)
    else:
        b, proc = _c_value(rest[:-2], min_time)
    if order != "ab":
        a = _calibrated(_bench(name_a), min_time)
    values: dict[str, list[float]] = {"a": [], "b": []}
    try:
        for _ in range(VALUES):
            for side in order:  # "ab" or "ba"
                values[side].append(a() if side == "a" else b())
    finally:
        if proc is not None:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait()
    print(json.dumps(values))
    return 0


def ratio(values: dict[str, list[float]]) -> float:
    return statistics.median(values["a"]) / statistics.median(values["b"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
