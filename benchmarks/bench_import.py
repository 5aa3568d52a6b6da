"""Import time: ``import rawsock`` against ``import socket``, a fresh interpreter per sample.

pyperf's command benchmark times whole ``python -c ...`` processes; the figure reported for an import
is that time minus the median of ``python -c pass`` (the interpreter's own start-up), measured in the
same run.
"""

from __future__ import annotations

import sys

from _harness import CommandBench, Group

STARTUP = "python -c pass"
STDLIB = "import socket"

#: (pyperf name suffix, row label, statement, subtracted, compared with)
IMPLS = [
    ("startup", STARTUP, "pass", None, None),
    ("socket", STDLIB, "import socket", "import-startup", None),
    ("rawsock", "import rawsock", "import rawsock", "import-startup", STDLIB),
]


def group() -> Group:
    g = Group(
        "import",
        "Import time: a fresh interpreter per sample",
        "One op: one `python -c 'import X'` process, minus the median of `python -c pass` "
        "(start-up row: the whole process).",
    )
    case = "import"
    for key, label, stmt, minus, ref in IMPLS:
        g.benchmarks.append(CommandBench(f"import-{key}", case, label, (sys.executable, "-c", stmt),
                                         ref=ref, minus=minus))
    return g
