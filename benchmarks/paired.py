"""One round of a paired target measurement, in a fresh worker process (run.py starts it).

A target compares two implementations.  Measured in separate pyperf runs minutes apart, their medians carry
whatever the machine was doing at each time (on a shared VM, samples of one benchmark span 2x), so the ratio
of two medians can move by tens of percent between runs of the same code.  A round here measures both sides
back to back in one process, alternating (A B A B A B, or B A B A B A), each value a calibrated loop of at least
``min_time`` seconds, both sides calibrated first in the same order; its ratio is median(A) / median(B).  Each
side keeps what it measures on for the whole round: a Python benchmark one fixture (its sockets and buffers), the
C side one pingpong.c process (REPS 0: it serves one timed repetition per request), so both are equally warm.
run.py reports the median ratio over many rounds.

    python benchmarks/paired.py py NAME_A NAME_B MIN_TIME ORDER      # two Python benchmarks
    python benchmarks/paired.py c NAME_A C_ARGS... MIN_TIME ORDER     # a Python benchmark and pingpong.c

Prints one JSON object: {"a": [ns/op...], "b": [ns/op...]}.
"""

from __future__ import annotations

import contextlib
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


def _calibrated(func: Callable[[int], float], inner: int, min_time: float) -> Callable[[], float]:
    """A function timing one value in ns/op, with loops doubled until a value takes min_time."""
    loops = 1
    func(loops)  # warm-up
    while func(loops) < min_time:
        loops *= 2
    return lambda: func(loops) / (loops * inner) * 1e9


def _c_value(args: list[str], min_time: float, stack: contextlib.ExitStack) -> Callable[[], float]:
    """One pingpong.c process serving values (REPS 0): calibrated once, like the Python side, and asked for one
    timed repetition at a time, so both sides run warm and alternate in the same seconds.  The process ends with
    ``stack`` (end of file on its stdin; killed if it does not exit)."""
    proc = subprocess.Popen([C_BINARY, *args, "0", str(int(min_time * 1e9))], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    stack.callback(_end, proc)
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout

    def line() -> str:
        text = stdout.readline()
        if not text:
            raise SystemExit(f"pingpong {' '.join(args)} stopped (exit status {proc.wait()}): see its stderr above")
        return text

    json.loads(line())  # {"loops": N}: calibrated

    def value() -> float:
        stdin.write("\n")
        stdin.flush()
        return float(line())

    return value


def _end(proc: subprocess.Popen[str]) -> None:
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main(argv: list[str]) -> int:
    kind, name_a, *rest = argv
    min_time, order = float(rest[-2]), rest[-1]
    with contextlib.ExitStack() as stack:
        bench_a = _bench(name_a)
        sides: dict[str, Callable[[], float]] = {}
        for side in order:  # each side calibrated in the round's order, on the fixture it keeps for its values
            if side == "a":
                sides["a"] = _calibrated(stack.enter_context(bench_a.held()), bench_a.inner, min_time)
            elif kind == "py":
                bench_b = _bench(rest[0])
                sides["b"] = _calibrated(stack.enter_context(bench_b.held()), bench_b.inner, min_time)
            else:
                sides["b"] = _c_value(rest[:-2], min_time, stack)
        values: dict[str, list[float]] = {"a": [], "b": []}
        for _ in range(VALUES):
            for side in order:  # "ab" or "ba"
                values[side].append(sides[side]())
    print(json.dumps(values))
    return 0


def ratio(values: dict[str, list[float]]) -> float:
    return statistics.median(values["a"]) / statistics.median(values["b"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
