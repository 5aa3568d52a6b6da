"""``python -m rawsock demo [NAME]``: list the lessons, or run one."""

from __future__ import annotations

import argparse
import sys

from . import demos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rawsock", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="list the lessons, or run one")
    demo.add_argument("name", nargs="?", help="the lesson to run")
    explain = sub.add_parser("explain", help="what an errno means for a call: explain send EPIPE")
    explain.add_argument("call")
    explain.add_argument("errno", help="a name (EPIPE) or a number (32)")
    errors = sub.add_parser("errors", help="every errno documented (or observed) for a call")
    errors.add_argument("call")
    args = parser.parse_args(argv)

    if args.command in ("explain", "errors"):
        from . import _explain

        if args.call not in _explain.CALLS:
            parser.error(f"unknown call {args.call!r}; one of: {', '.join(sorted(_explain.CALLS))}")
        if args.command == "explain":
            err = int(args.errno) if args.errno.isdigit() else args.errno
            print(_explain.explain(args.call, err))
            return 0
        for name, entries in _explain.errors(args.call).items():
            for entry in entries:
                mark = " (observed on Linux; not in the man page)" if entry.observed else ""
                print(f"{name:16} {entry.text}{mark}")
        return 0

    if args.command == "demo":
        if args.name is None:
            for name in demos.LESSONS:
                print(f"{name:24} {demos.load(name).TITLE}")
            return 0
        if args.name not in demos.LESSONS:
            parser.error(f"unknown lesson {args.name!r}; `python -m rawsock demo` lists them")
        outcomes = demos.run(args.name, sys.stdout)
        return 0 if outcomes == demos.load(args.name).EXPECTED else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
