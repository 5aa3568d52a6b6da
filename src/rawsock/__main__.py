"""``python -m rawsock demo [NAME]``: list the lessons, or run one."""

from __future__ import annotations

import argparse
import errno
import io
import re
import sys
from typing import TextIO

from . import demos


class _Tee(io.StringIO):
    """Writes through to a stream and keeps what was written, to pick the trace lines out afterwards."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(text)
        return super().write(text)

    def trace_lines(self) -> list[str]:
        text = self.getvalue().split("The syscalls, as the kernel saw them:", 1)[-1].split("\nOutcomes:", 1)[0]
        return [line for line in text.splitlines() if re.match(r"(\[pid +\d+\] )?\w+\(", line)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rawsock", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="list the lessons, or run one")
    demo.add_argument("name", nargs="?", help="the lesson to run")
    demo.add_argument("--plot", metavar="FILE", help="full-send-buffer: draw the send queue and each send's result "
                      "against time to FILE (.png or .svg; needs the [plot] extra)")
    demo.add_argument("--diagram", metavar="FILE", help="draw the lesson's trace as a client/server sequence diagram "
                      "(SVG)")
    explain = sub.add_parser("explain", help="what an errno means for a call: explain send EPIPE")
    explain.add_argument("call")
    explain.add_argument("errno", help="a name (EPIPE) or a number (32)")
    errors = sub.add_parser("errors", help="every errno documented (or observed) for a call")
    errors.add_argument("call")
    args = parser.parse_args(argv)

    if args.command in ("explain", "errors"):
        from . import _explain

        try:
            _explain.resolve(args.call)
        except KeyError as e:
            parser.error(str(e.args[0]))
        if args.command == "explain":
            err = int(args.errno) if args.errno.isdigit() else args.errno.upper()
            if isinstance(err, str) and not (err.startswith("E") and isinstance(getattr(errno, err, None), int)):
                parser.error(f"{args.errno!r} is not an errno name (errno(3)): EPIPE, ECONNRESET, ... or a number")
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
        if args.plot and args.name != "full-send-buffer":
            parser.error("--plot draws the full-send-buffer lesson")
        if args.plot:
            try:
                import matplotlib  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
            except ImportError:
                print("--plot needs matplotlib: pip install 'rawsock-cffi[plot]'", file=sys.stderr)
                return 2
        out = _Tee(sys.stdout) if args.diagram else sys.stdout
        outcomes = demos.run(args.name, out)
        if args.plot:
            from ._pictures import plot_send_queue
            from .demos import full_send_buffer

            plot_send_queue(full_send_buffer.timeline, args.plot)
            print(f"\nwrote {args.plot}")
        if args.diagram:
            from ._pictures import diagram_svg

            assert isinstance(out, _Tee)
            with open(args.diagram, "w") as f:
                f.write(diagram_svg(out.trace_lines(), args.name))
            print(f"\nwrote {args.diagram}")
        return 0 if outcomes == demos.load(args.name).EXPECTED else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
