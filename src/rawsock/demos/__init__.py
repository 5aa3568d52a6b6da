"""Runnable lessons: the seed documents' scenarios, each a module of this package.

A lesson module defines ``TITLE``, ``SEED`` (the seed document it comes from), ``SETUP`` (a paragraph),
``EXPLANATION`` (what the kernel did and why, citing the man pages), ``EXPECTED`` (the exact sequence of
outcomes it must produce, every run) and ``steps(out)``, which makes the syscalls and returns the outcomes.
:func:`run` prints the setup, the syscalls as the tracer prints them (strace's notation), the outcomes and
the explanation.  ``python -m rawsock demo`` lists the lessons; ``python -m rawsock demo NAME`` runs one.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TextIO

#: lesson name -> module name in this package, in the order they are taught
LESSONS: dict[str, str] = {
    "full-send-buffer": "full_send_buffer",
    "send-after-peer-close": "send_after_peer_close",
    "reset-vs-broken-pipe": "reset_vs_broken_pipe",
    "recv-returns-zero": "recv_returns_zero",
    "timeouts": "timeouts",
    "linger": "linger",
    "urgent-data": "urgent_data",
    "nonblocking-connect": "nonblocking_connect",
    "select-timeout": "select_timeout",
    "signal-race": "signal_race",
    "buffer-sizes": "buffer_sizes",
    "reuseaddr": "reuseaddr",
    "byte-order": "byte_order",
    "udp-disconnect": "udp_disconnect",
    "error-queue": "error_queue",
}


def load(name: str) -> ModuleType:
    """The lesson's module (KeyError for an unknown name)."""
    return importlib.import_module(f"{__name__}.{LESSONS[name]}")


def run(name: str, out: TextIO) -> list[str]:
    """Run one lesson, printing it to ``out``; the outcomes it produced."""
    import rawsock

    lesson = load(name)
    print(f"== {name} (seed {lesson.SEED}): {lesson.TITLE}\n", file=out)
    print(lesson.SETUP, file=out)
    print("The syscalls, as the kernel saw them:\n", file=out)
    with rawsock.trace(out):
        outcomes: list[str] = lesson.steps(out)
    print(f"\nOutcomes: {' '.join(outcomes)}\n", file=out)
    print(lesson.EXPLANATION, file=out, end="")
    return outcomes
