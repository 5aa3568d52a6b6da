"""The one command: rawsock, the standard library's socket module and C, side by side, in one run.

    python benchmarks/run.py            # full run (pyperf, several minutes): writes benchmarks/RESULTS.md
    python benchmarks/run.py --quick    # every benchmark briefly (seconds): the table on stdout

Steps: build pingpong.c (``cc -O2``, into benchmarks/.build/); run every Python benchmark once
in-process as a smoke check (a benchmark that fails is reported as an error, and the others still run);
run the Python benchmarks under pyperf (``suite.py``: calibration, worker processes, statistics); run
the C baseline, which times itself; write the Markdown report with ratios and the targets' PASS/MISS.

Exit status: 1 if any benchmark failed to run, else 0 (a missed target is not a failure).
"""

from __future__ import annotations

import argparse
import datetime
import filecmp
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass

import pyperf

import rawsock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_errors
import bench_import
import bench_poll
import bench_stream
import suite
from _harness import (
    BUILD_DIR,
    C_BINARY,
    C_SOURCE,
    FLOOR_SOURCE,
    HERE,
    Bench,
    CBench,
    CommandBench,
    Group,
    PyBench,
    Skipped,
)

RESULTS = os.path.join(HERE, "RESULTS.md")


@dataclass(frozen=True)
class Mode:
    """How hard to measure."""

    name: str
    pyperf_args: tuple[str, ...]
    c_reps: int
    c_min_ns: int
    #: rounds of each target's paired measurement (paired.py), and the least time of one value in a round
    paired_rounds: int
    paired_min_time: float
    #: quick mode times the Python benchmarks in this process (one calibrated value each: a pyperf worker
    #: per benchmark costs ~0.1 s of start-up) and sends only one of them, and the import commands,
    #: through pyperf, so that the pyperf path is exercised too
    in_process: bool


FULL = Mode("full", ("--processes", "10", "--values", "3", "--warmups", "1", "--min-time", "0.1"), 25, 20_000_000,
            21, 0.05, in_process=False)
QUICK = Mode("quick", ("--processes", "1", "--values", "1", "--warmups", "0", "--loops", "1", "--quiet"), 3,
             1_000_000, 1, 0.002, in_process=True)
QUICK_MIN_TIME_S = 0.002

#: a pyperf worker that runs longer than this is killed (a benchmark blocked forever fails instead)
WORKER_TIMEOUT_S = 300


@dataclass(frozen=True)
class Target:
    description: str
    case: str
    impl: str
    against: str  # an impl of the same case, or "C"
    limit: float | None  # the ratio must be at most this (None: a reference figure, the floor of a target)


def targets() -> list[Target]:
    """The targets.  The raw layer (``lib.send``/``lib.recv``) is cffi's own wrapper: its rows are measured and
    reported, not targeted."""
    t: list[Target] = []
    for tname in bench_stream.TRANSPORTS.values():
        one, big = f"{tname}, 1 B", f"{tname}, 64 KiB"
        t += [
            Target(f"{tname} 1 B: rawsock send+recv_into vs stdlib", one, bench_stream.RAWSOCK_INTO,
                   bench_stream.STDLIB_INTO, 1.00),
            Target(f"{tname} 1 B: rawsock recv (bytes) vs stdlib recv", one, bench_stream.RAWSOCK_BYTES,
                   bench_stream.STDLIB_BYTES, 1.05),
            Target(f"{tname} 64 KiB: rawsock send+recv_into vs C", big, bench_stream.RAWSOCK_INTO, "C", 1.10),
        ]
    unix = bench_stream.TRANSPORTS["unix"]
    t.append(Target(f"{unix} 1 B: rawsock send+recv_into vs C", f"{unix}, 1 B", bench_stream.RAWSOCK_INTO, "C",
                    1.10))
    t.append(Target(f"{unix} 1 B, the floor: a minimal C extension's send+recv_into vs C", f"{unix}, 1 B",
                    bench_stream.FLOOR, "C", None))
    case = "AF_UNIX socketpair, full, 1 B"
    t.append(Target("EAGAIN error path: rawsock send vs stdlib", case, "rawsock send", bench_errors.STDLIB, 1.00))
    t.append(Target(f"poll over {bench_poll.NIDLE + 1} fds: rawsock poll(pairs) vs select.poll",
                    f"{bench_poll.NIDLE} idle + 1 ready", "rawsock poll(pairs)", bench_poll.STDLIB, 1.00))
    t.append(Target("import rawsock vs import socket", "import", "import rawsock", bench_import.STDLIB, 2.00))
    return t


# ---------------------------------------------------------------------------------------------------
# measuring


@dataclass
class Result:
    """One row: the samples in ns/op, or why there are none."""

    bench: Bench
    samples: list[float] | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None


def _compile(cmd: list[str]) -> str | None:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        return f"{' '.join(cmd)}: {e}"
    sys.stderr.write(proc.stderr)
    return None if proc.returncode == 0 else f"{' '.join(cmd)} failed (status {proc.returncode})"


def build_c() -> str | None:
    """Compile pingpong.c: None, or why it failed."""
    os.makedirs(BUILD_DIR, exist_ok=True)
    return _compile([os.environ.get("CC", "cc"), "-O2", "-Wall", "-Wextra", "-o", C_BINARY, C_SOURCE])


def build_floor() -> str | None:
    """Compile floor.c as an extension module of this interpreter (its headers: python3-dev): None, or why it
    failed.  Only the floor's rows depend on it."""
    os.makedirs(BUILD_DIR, exist_ok=True)
    floor = os.path.join(BUILD_DIR, "_floor" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))
    return _compile([os.environ.get("CC", "cc"), "-O2", "-Wall", "-Wextra", "-shared", "-fPIC", "-I",
                     sysconfig.get_paths()["include"], "-o", floor, FLOOR_SOURCE])


def smoke(bench: PyBench, result: Result, measure: bool) -> bool:
    """Run the benchmark briefly in this process (with ``measure``: double the loops until one value
    takes QUICK_MIN_TIME_S, and keep that value).  False, with ``result.error`` set, if it fails."""
    func = bench.time_func()
    loops = 2
    try:
        dt = func(loops)
        while measure and dt < QUICK_MIN_TIME_S:
            loops *= 2
            dt = func(loops)
    except Exception as e:
        result.error = f"{type(e).__name__}: {e}"
        print(f"{bench.name}: {result.error}", file=sys.stderr)
        return False
    if measure:
        result.samples = [dt / (loops * bench.inner) * 1e9]
    return True


def run_pyperf(benches: list[PyBench | CommandBench], mode: Mode, results: dict[str, Result]) -> None:
    if not benches:
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pyperf.json")
        cmd = [sys.executable, os.path.join(HERE, "suite.py"), "-o", out, "--timeout", str(WORKER_TIMEOUT_S),
               "--only", ",".join(b.name for b in benches), *mode.pyperf_args]
        proc = subprocess.run(cmd, stdout=sys.stderr)  # pyperf's progress; stdout may carry the report
        if proc.returncode != 0 or not os.path.exists(out):
            for b in benches:
                results[b.name].error = f"pyperf exited with status {proc.returncode}"
            return
        for bench in pyperf.BenchmarkSuite.load(out).get_benchmarks():
            result = results[bench.get_name()]
            if not result.samples:  # quick mode's pyperf canary keeps its in-process value
                result.samples = [v * 1e9 for v in bench.get_values()]
    for b in benches:  # the import figures: minus the start-up's median
        if isinstance(b, CommandBench) and b.minus and results[b.name].samples:
            base = results[b.minus].median if b.minus in results else None
            if base is None:
                results[b.name].error = f"no figure for {b.minus}"
                results[b.name].samples = None
            else:
                results[b.name].samples = [v - base for v in results[b.name].samples or []]


def run_c(bench: CBench, mode: Mode) -> Result:
    cmd = [C_BINARY, *bench.args, str(mode.c_reps), str(mode.c_min_ns)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return Result(bench, error=f"timed out after {WORKER_TIMEOUT_S} s")
    if proc.returncode != 0:
        return Result(bench, error=proc.stderr.strip() or f"exit status {proc.returncode}")
    return Result(bench, samples=json.loads(proc.stdout)["ns_per_op"])


def _find(groups: list[Group], case: str, impl: str) -> Bench | None:
    return next((b for g in groups for b in g.benchmarks if b.case == case and b.impl == impl), None)


def paired(t: Target, groups: list[Group], mode: Mode) -> list[float] | str:
    """The target's ratio in each of ``mode.paired_rounds`` rounds, both sides measured back to back in one
    worker process (paired.py), or why there is none.  Rounds alternate which side goes first."""
    a = _find(groups, t.case, t.impl)
    if t.against == "import socket" or (a is not None and isinstance(a, CommandBench)):
        return paired_import(mode)
    b = _find(groups, t.case, t.against) if t.against != "C" else next(
        (x for g in groups for x in g.benchmarks if x.case == t.case and isinstance(x, CBench)), None)
    if not isinstance(a, PyBench) or not isinstance(b, (PyBench, CBench)):
        return "no benchmarks for both sides"
    ratios = []
    for i in range(mode.paired_rounds):
        side_b = [b.name] if isinstance(b, PyBench) else list(b.args)
        cmd = [sys.executable, os.path.join(HERE, "paired.py"), "py" if isinstance(b, PyBench) else "c", a.name,
               *side_b, str(mode.paired_min_time), "ab" if i % 2 == 0 else "ba"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return f"a round timed out after {WORKER_TIMEOUT_S} s"
        if proc.returncode != 0:
            return proc.stderr.strip()[-300:] or f"exit status {proc.returncode}"
        values = json.loads(proc.stdout)
        ratios.append(statistics.median(values["a"]) / statistics.median(values["b"]))
    return ratios


def paired_import(mode: Mode, per_round: int = 5) -> list[float]:
    """(import rawsock - start-up) / (import socket - start-up) per round, each round's fresh interpreters
    interleaved: start-up, socket, rawsock, start-up, ... (the order rotating each time)."""
    stmts = ["pass", "import socket", "import rawsock"]
    ratios = []
    for i in range(mode.paired_rounds):
        times: dict[str, list[float]] = {s: [] for s in stmts}
        for k in range(per_round):
            for stmt in stmts[(i + k) % 3:] + stmts[:(i + k) % 3]:
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-c", stmt], check=True)
                times[stmt].append(time.perf_counter() - t0)
        base = statistics.median(times["pass"])
        ratios.append((statistics.median(times["import rawsock"]) - base)
                      / (statistics.median(times["import socket"]) - base))
    return ratios


# ---------------------------------------------------------------------------------------------------
# reporting


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=HERE).stdout.strip()
    except OSError:
        return ""


def stale_modules(installed: str) -> list[str]:
    """The modules of src/rawsock whose installed copy differs (the benchmarks measure the installed one)."""
    src = os.path.join(HERE, os.pardir, "src", "rawsock")
    if not os.path.isdir(src) or os.path.samefile(src, installed):
        return []
    return sorted(f for f in os.listdir(src) if f.endswith(".py") and not (
        os.path.exists(os.path.join(installed, f))
        and filecmp.cmp(os.path.join(src, f), os.path.join(installed, f), shallow=False)))


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
        if m:
            cpu = m.group(1).strip()
    except OSError:
        pass
    cc = os.environ.get("CC", "cc")
    tree = _run(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    if _run(["git", "status", "--porcelain", "--", "../src", "../csrc"]):
        tree += ", with uncommitted changes in src/ or csrc/"
    where = os.path.dirname(rawsock.__file__)
    stale = stale_modules(where)
    if stale:
        tree += f"; **the installed package differs from src/ ({', '.join(stale)}): reinstall**"
    start = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("Kernel", f"Linux {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("C compiler", f"{_run([cc, '--version']).splitlines()[0] if shutil.which(cc) else cc} (`-O2`)"),
        ("rawsock", f"{rawsock.__version__}, imported from `{where}` (the working tree at the start: commit {tree})"),
        ("pyperf", pyperf.__version__),
        ("Started", start),
    ]


def ns(v: float) -> str:
    return f"{v:,.0f}"


def ratio(results: list[Result], row: Result, against: str | None) -> float | None:
    if against is None or row.median is None:
        return None
    for r in results:
        if r.bench.case == row.bench.case and r.bench.impl == against and r.median:
            return row.median / r.median
    return None


def fmt_ratio(x: float | None) -> str:
    return "" if x is None else f"{x:.2f}x"


DASH = "\N{EN DASH}"


def table(group: Group, rows: list[Result]) -> list[str]:
    has_c = any(isinstance(r.bench, CBench) for r in rows)
    head = ["case", "implementation", "median ns/op", f"min{DASH}max ns/op", "ratio to stdlib"]
    if has_c:
        head.append("ratio to C")
    lines = [f"## {group.title}", "", group.description, "", "| " + " | ".join(head) + " |",
             "|---|---|" + "---:|" * (len(head) - 2)]
    for r in rows:
        b = r.bench
        if r.samples:
            spread = f"{ns(min(r.samples))}{DASH}{ns(max(r.samples))}"
            cells = [ns(r.median or 0), spread, fmt_ratio(ratio(rows, r, b.ref))]
            if has_c:
                cells.append(fmt_ratio(ratio(rows, r, b.c_ref)) if isinstance(b, PyBench) else "")
        else:
            what = f"skipped: {b.note}" if isinstance(b, Skipped) else f"**error**: {r.error}"
            cells = [what] + [""] * (len(head) - 3)
        lines.append("| " + " | ".join([b.case, b.impl, *cells]) + " |")
    return [*lines, ""]


def median_interval(rounds: list[float], resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """A 95% bootstrap interval of the median of ``rounds`` (percentile method, a fixed seed): how far the
    verdict's figure could move with another set of rounds."""
    rng = random.Random(seed)
    medians = sorted(statistics.median(rng.choices(rounds, k=len(rounds))) for _ in range(resamples))
    return medians[int(0.025 * resamples)], medians[int(0.975 * resamples) - 1]


def target_lines(results: list[Result], pairs: dict[str, list[float] | str]) -> tuple[list[str], int]:
    lines = ["## Targets", "",
             "Ratio = the median over rounds of a paired measurement (`benchmarks/paired.py`): in each round a fresh "
             "worker process times both implementations back to back, alternating, and divides their medians "
             "(for C, the C loop runs between the Python values; for the import, fresh interpreters are "
             "interleaved), so that the machine's slow periods weigh on both sides. The range is the smallest "
             "and largest round. The ratio of the two medians from the tables below, measured minutes apart, is "
             "shown for comparison. The raw layer (`lib.send`/`lib.recv`) is cffi's own generated wrapper, not "
             "rawsock's code: its rows are measured and reported in the tables below, not targeted.", "",
             "| target | ratio (paired) | 95% interval | rounds within limit | rounds' range | ratio of medians | "
             "limit | verdict |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    missed = 0
    by_case = [r for r in results if r.samples]
    for t in targets():
        row = next((r for r in by_case if r.bench.case == t.case and r.bench.impl == t.impl), None)
        apart = ratio(by_case, row, t.against) if row else None
        rounds = pairs.get(t.description)
        x = statistics.median(rounds) if isinstance(rounds, list) and rounds else None
        spread = f"{fmt_ratio(min(rounds))}{DASH}{fmt_ratio(max(rounds))}" if isinstance(rounds, list) and rounds else (
            rounds or "")
        if x is None:
            verdict = "no figure"
            missed += t.limit is not None
        elif t.limit is None:
            verdict = "reference (no limit)"
        elif x <= t.limit:
            verdict = "PASS"
        else:
            verdict = "**MISS**"
            missed += 1
        interval = within = ""
        if isinstance(rounds, list) and rounds:
            lo, hi = median_interval(rounds)
            interval = f"{fmt_ratio(lo)}{DASH}{fmt_ratio(hi)}"
            if t.limit is not None:
                within = f"{sum(r <= t.limit for r in rounds)}/{len(rounds)}"
        limit = f"≤ {t.limit:.2f}x" if t.limit is not None else ""
        lines.append(f"| {t.description} | {fmt_ratio(x)} | {interval} | {within} | {spread} | {fmt_ratio(apart)} | "
                     f"{limit} | {verdict} |")
    return [*lines, ""], missed


def importtime_lines(min_us: int = 1000, max_depth: int = 3) -> list[str]:
    """The import tree of ``import rawsock`` (one ``python -X importtime`` sample): every module taking
    at least ``min_us`` cumulatively, down to ``max_depth`` levels, parents first."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import rawsock"], capture_output=True,
                         text=True).stderr
    rows = []
    in_rawsock = False
    for line in reversed(err.splitlines()):  # importtime prints children before their parent
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            depth = (len(m.group(3)) - 1) // 2
            if depth == 0:
                in_rawsock = m.group(4) == "rawsock"
            if in_rawsock and int(m.group(2)) >= min_us and depth <= max_depth:
                rows.append(f"| {'· ' * depth}`{m.group(4)}` | {int(m.group(1)):,} | {int(m.group(2)):,} |")
    lines = ["### Where `import rawsock`'s time goes", "",
             f"One `python -X importtime -c 'import rawsock'` sample: the modules it loads that take at least "
             f"{min_us / 1000:.0f} ms including their own imports, nested as imported (only modules not already "
             "loaded by the interpreter's start-up appear).", "",
             "| module | self µs | cumulative µs |", "|---|---:|---:|"]
    return [*lines, *rows, ""]


def report(groups: list[Group], results: dict[str, Result], mode: Mode, wall: float,
           setup: list[tuple[str, str]], pairs: dict[str, list[float] | str]) -> tuple[str, int]:
    if mode.in_process:
        how = ("Quick mode: a smoke run, not a measurement. Each Python row is one calibrated value timed in "
               "the run.py process; C rows are a few repetitions.")
    else:
        how = ("Figures: median ns per operation over all samples, with the smallest and largest sample. "
               "Python rows from pyperf (one sample = one calibrated loop in a worker process: "
               f"`{' '.join(mode.pyperf_args)}`), C rows from pingpong.c (one sample = one timed repetition "
               f"of at least {mode.c_min_ns / 1e6:.0f} ms, {mode.c_reps} repetitions).")
    out = ["# rawsock benchmark results", "",
           f"Produced by `python benchmarks/run.py{' --quick' if mode.in_process else ''}` "
           f"({mode.name} mode, {wall / 60:.1f} min wall time). {how}", ""]
    out += [f"- **{k}**: {v}" for k, v in setup]
    out.append("")
    all_rows = [results[b.name] for g in groups for b in g.benchmarks if b.name in results]
    tlines, missed = target_lines(all_rows, pairs)
    out += tlines
    for g in groups:
        rows = [results[b.name] for b in g.benchmarks if b.name in results]
        if rows:
            out += table(g, rows)
        if g.key == "import" and rows:
            out += importtime_lines()
    return "\n".join(out).rstrip() + "\n", missed


# ---------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="run every benchmark briefly; print the table")
    parser.add_argument("-k", "--select", metavar="REGEX", help="only the benchmarks whose name matches")
    parser.add_argument("-o", "--output", help="write the report here (default: RESULTS.md; --quick: stdout)")
    args = parser.parse_args()
    mode = QUICK if args.quick else FULL
    output = args.output or (None if args.quick else RESULTS)

    start = time.monotonic()
    setup = machine()  # before measuring: the tree may change during a run, the installed package does not
    groups = suite.all_groups()
    wanted = {b.name for g in groups for b in g.benchmarks if not args.select or re.search(args.select, b.name)}
    wanted |= {b.minus for g in groups for b in g.benchmarks if isinstance(b, CommandBench) and b.minus
               and b.name in wanted}  # an import figure needs the start-up's
    selected = [b for g in groups for b in g.benchmarks if b.name in wanted]
    results = {b.name: Result(b) for b in selected}

    c_benches = [b for b in selected if isinstance(b, CBench)]
    build_error = build_c() if c_benches or any(t.against == "C" for t in targets()) else None
    floor_error = build_floor() if any(b.impl == bench_stream.FLOOR for b in selected) else None
    py_benches: list[PyBench | CommandBench] = []
    for b in selected:
        if isinstance(b, PyBench) and b.impl == bench_stream.FLOOR and floor_error:
            results[b.name] = Result(b, error=f"floor.c did not build: {floor_error}")
        elif isinstance(b, PyBench) and smoke(b, results[b.name], mode.in_process):
            if not (mode.in_process and any(isinstance(p, PyBench) for p in py_benches)):
                py_benches.append(b)
        elif isinstance(b, CommandBench):
            py_benches.append(b)
    run_pyperf(py_benches, mode, results)
    for b in c_benches:
        results[b.name] = Result(b, error=build_error) if build_error else run_c(b, mode)

    pairs: dict[str, list[float] | str] = {}
    if not build_error:
        for t in targets():
            if any(r.bench.case == t.case and r.bench.impl == t.impl for r in results.values()):
                pairs[t.description] = paired(t, groups, mode)
                print(f"paired: {t.description}: {pairs[t.description]}", file=sys.stderr)
    text, missed = report(groups, results, mode, time.monotonic() - start, setup, pairs)
    if output:
        with open(output, "w") as f:
            f.write(text)
        print(f"wrote {output}")
    else:
        print(text)
    errors = [r for r in results.values() if r.error]
    print(f"{len(results)} benchmarks, {len(errors)} errors, {missed} targets missed or without a figure "
          f"({time.monotonic() - start:.0f} s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
