"""The benchmark registry, and the pyperf script that runs its Python benchmarks.

``run.py`` starts this file under pyperf (``python benchmarks/suite.py -o out.json --only a,b ...``);
pyperf re-runs it as worker processes, each of which registers the same benchmarks in the same order
and runs the one it is told to.  Run it by hand to time a few benchmarks with pyperf's own options::

    python benchmarks/suite.py --only pingpong-unix-1-stdlib-into,pingpong-unix-1-rawsock-into --fast
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_dgram
import bench_errors
import bench_import
import bench_poll
import bench_stream
from _harness import CommandBench, Group, PyBench

#: the report's sections, in order; each module's ``group()`` builds its table of benchmarks
GROUP_MODULES = [bench_stream, bench_errors, bench_dgram, bench_poll, bench_import]


def all_groups() -> list[Group]:
    return [m.group() for m in GROUP_MODULES]


def _pass_only(cmd: list[str], args: argparse.Namespace) -> None:
    if args.only:
        cmd.extend(("--only", args.only))


def main() -> None:
    import pyperf

    runner = pyperf.Runner(add_cmdline_args=_pass_only)
    runner.argparser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    args = runner.parse_args()
    only = set(args.only.split(",")) if args.only else None
    for group in all_groups():
        for bench in group.benchmarks:
            if only is not None and bench.name not in only:
                continue
            if isinstance(bench, PyBench):
                runner.bench_time_func(bench.name, bench.time_func(), inner_loops=bench.inner)
            elif isinstance(bench, CommandBench):
                runner.bench_command(bench.name, list(bench.command))


if __name__ == "__main__":
    main()
