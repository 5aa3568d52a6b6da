"""What the tracer costs when it is off: the hot paths with and without their one test of the tracing flag.

Builds rawsock twice into temporary directories, once as shipped and once with -DRS_TRACE_HOOK=0 (the call
engine without its ``if (rs_trace_hook != NULL)`` test), runs the same pyperf ping-pong (send + recv_into of 1
byte over an AF_UNIX socketpair) against each, and prints pyperf's comparison.

    python benchmarks/trace_hook.py            # about 2 minutes
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

BENCH = '''
import pyperf, socket
import rawsock
a, b = socket.socketpair()
fa, fb = a.fileno(), b.fileno()
buf = bytearray(1)
def loop(n, send=rawsock.send, recv_into=rawsock.recv_into):
    t0 = pyperf.perf_counter()
    for _ in range(n):
        send(fa, b"x")
        recv_into(fb, buf)
    return pyperf.perf_counter() - t0
runner = pyperf.Runner()
runner.bench_time_func("send+recv_into 1 B AF_UNIX", loop)
'''


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        script = pathlib.Path(tmp, "bench.py")
        script.write_text(BENCH)
        results = []
        for label, cflags in (("as-shipped", ""), ("no-trace-hook", "-DRS_TRACE_HOOK=0")):
            target, tree = pathlib.Path(tmp, label), pathlib.Path(tmp, f"{label}-tree")
            files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
            for name in files.stdout.splitlines():  # a clean copy: setuptools reuses objects found in build/
                (tree / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, tree / name)
            env = dict(os.environ, RAWSOCK_CFLAGS=cflags)
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                            str(tree)], check=True, env=env)
            out = pathlib.Path(tmp, f"{label}.json")
            subprocess.run([sys.executable, str(script), "--quiet", "--processes", "10", "--values", "3", "-o",
                            str(out)], check=True, env=dict(os.environ, PYTHONPATH=str(target)))
            results.append(str(out))
        subprocess.run([sys.executable, "-m", "pyperf", "compare_to", *results, "--table"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
