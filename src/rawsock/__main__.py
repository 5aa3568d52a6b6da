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
    args = parser.parse_args(argv)

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
