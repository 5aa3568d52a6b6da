"""rawsock.trace itself: context manager and decorator, strsize, -r timestamps, [pid N] for threads,
RAWSOCK_TRACE, and that it leaves nothing behind when it ends."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading

from conftest import Fds, main_prefix

import rawsock as rs
from rawsock import _syscalls


def test_context_manager_prints_one_line_per_call(fds: Fds) -> None:
    out = io.StringIO()
    with rs.trace(out):
        a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
        rs.send(a, b"hi", rs.MSG_DONTWAIT)
        rs.recv(b, 8)
    p = main_prefix()
    assert out.getvalue().splitlines() == [
        f"{p}socketpair(AF_UNIX, SOCK_STREAM, 0, [{a}, {b}]) = 0",
        f'{p}sendto({a}, "hi", 2, MSG_DONTWAIT, NULL, 0) = 2',
        f'{p}recvfrom({b}, "hi", 8, 0, NULL, NULL) = 2',
    ]


def test_off_means_no_hook_and_no_lines(fds: Fds) -> None:
    out = io.StringIO()
    assert _syscalls._get_trace() is None  # type: ignore[attr-defined]
    with rs.trace(out):
        assert _syscalls._get_trace() is not None  # type: ignore[attr-defined]
    assert _syscalls._get_trace() is None  # type: ignore[attr-defined]
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert out.getvalue().count("\n") == 0 and fd >= 0


def test_decorator_nesting_and_strsize(fds: Fds) -> None:
    outer, inner = io.StringIO(), io.StringIO()

    @rs.trace(inner, strsize=4)
    def send_long(fd: int) -> int:
        return rs.send(fd, b"0123456789")

    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
    with rs.trace(outer):
        send_long(a)
        rs.recv(b, 16)
    assert inner.getvalue() == f'{main_prefix()}sendto({a}, "0123"..., 10, 0, NULL, 0) = 10\n'
    assert outer.getvalue().splitlines()[1] == f'{main_prefix()}recvfrom({b}, "0123456789", 16, 0, NULL, NULL) = 10'
    assert len(outer.getvalue().splitlines()) == 2


def test_errors_and_symbolic_values(fds: Fds) -> None:
    out = io.StringIO()
    with rs.trace(out):
        try:
            rs.connect(-1, ("127.0.0.1", 9))
        except OSError:
            pass
    assert out.getvalue() == (main_prefix() + 'connect(-1, {sa_family=AF_INET, sin_port=htons(9), '
                              'sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EBADF (Bad file descriptor)\n')


def test_threads_get_the_pid_prefix_and_timestamps_are_relative(fds: Fds) -> None:
    out = io.StringIO()
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
    with rs.trace(out, timestamps=True):
        t = threading.Thread(target=lambda: rs.send(a, b"t"))
        t.start()
        t.join()
        rs.recv(b, 1)
    thread_line, main_line = out.getvalue().splitlines()
    assert re.fullmatch(rf"\[pid +\d+\] +\d+\.\d{{6}} sendto\({a}, \"t\", 1, 0, NULL, 0\) = 1", thread_line)
    assert re.fullmatch(rf"{re.escape(main_prefix())} +\d+\.\d{{6}} recvfrom\({b}, \"t\", 1, 0, NULL, NULL\) = 1",
                        main_line)


def test_rawsock_trace_environment_variable(tmp_path: os.PathLike[str]) -> None:
    code = "import rawsock as rs; fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM); rs.close(fd)"
    to_stderr = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, RAWSOCK_TRACE="1"),
                               capture_output=True, text=True, check=True)
    lines = to_stderr.stderr.splitlines()
    assert re.fullmatch(r"socket\(AF_INET, SOCK_DGRAM, IPPROTO_IP\) = \d+", lines[0])
    assert re.fullmatch(r"close\(\d+\) = 0", lines[1]) and len(lines) == 2
    path = os.path.join(tmp_path, "trace.log")
    subprocess.run([sys.executable, "-c", code], env=dict(os.environ, RAWSOCK_TRACE=path), check=True)
    with open(path) as f:
        assert f.read().splitlines()[0].startswith("socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = ")
    quiet = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, RAWSOCK_TRACE="0"),
                           capture_output=True, text=True, check=True)
    assert quiet.stderr == ""


_ALIGN_SCRIPT = """
import io, sys
import rawsock as rs
buf = io.StringIO()
with rs.trace(buf, align=True):
    rs.lib.close(-1)
    a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
    rs.send(a, b"x" * 50)
    rs.recv(b, 100)
    rs.setsockopt(a, rs.SOL_SOCKET, rs.SO_RCVBUF, 4096)
    try:
        rs.close(-7)
    except OSError:
        pass
    rs.close(a)
    rs.close(b)
    rs.lib.close(-2)
with open(sys.argv[1], "w") as f:
    f.write(buf.getvalue())
"""


def test_align_writes_what_strace_o_writes(tmp_path: os.PathLike[str]) -> None:
    """With ``align``, each line is the one strace -o writes, padding included: diff works line for line."""
    script, ours, log = (os.path.join(tmp_path, n) for n in ("align.py", "ours.log", "strace.log"))
    with open(script, "w") as f:
        f.write(_ALIGN_SCRIPT)
    subprocess.run(["strace", "-qq", "-o", log, "-e", "trace=socketpair,sendto,recvfrom,setsockopt,close",
                    sys.executable, script, ours], check=True)
    with open(log) as f:
        theirs = f.read().splitlines()
    start = theirs.index("close(-1)                               = -1 EBADF (Bad file descriptor)")
    end = theirs.index("close(-2)                               = -1 EBADF (Bad file descriptor)")
    with open(ours) as f:
        mine = f.read().splitlines()
    assert mine == theirs[start + 1:end] and len(mine) == 7
    assert mine[0].startswith("socketpair(AF_UNIX, SOCK_STREAM, 0, [") and mine[-1][40:] == "= 0"


def test_a_forked_childs_calls_are_prefixed_with_its_pid() -> None:
    r, w = os.pipe()
    buf = io.StringIO()
    try:
        with rs.trace(buf):
            pid = os.fork()
            if pid == 0:  # the child: its lines go to the parent through the pipe
                try:
                    try:
                        rs.close(-5)
                    except OSError:
                        pass
                    os.write(w, buf.getvalue().encode())
                finally:
                    os._exit(0)
            os.waitpid(pid, 0)
            try:
                rs.close(-6)
            except OSError:
                pass
        os.close(w)
        w = -1
        child = os.read(r, 4096).decode()
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    assert child == f"[pid {pid:5d}] close(-5) = -1 EBADF (Bad file descriptor)\n"
    assert buf.getvalue() == main_prefix() + "close(-6) = -1 EBADF (Bad file descriptor)\n"


THREADED = '''
import threading
import rawsock as rs
rs.lib.close(-1)
a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM)
rs.send(a, b"main alone")
go, done = threading.Event(), threading.Event()
def worker():
    rs.send(b, b"from the thread")
    go.set()
    done.wait()
t = threading.Thread(target=worker)
t.start()
go.wait()
rs.send(a, b"main while the thread runs")
done.set()
t.join()
rs.close(a)
rs.close(b)
'''


def test_the_main_threads_lines_get_the_prefix_while_another_thread_runs(tmp_path: os.PathLike[str]) -> None:
    """strace -f prefixes every line once it traces more than one task, the main thread's too."""
    script, ours = os.path.join(tmp_path, "threaded.py"), os.path.join(tmp_path, "rawsock.log")
    with open(script, "w") as f:
        f.write(THREADED)
    proc = subprocess.run(["strace", "-f", "-qq", "-e", "trace=sendto,socketpair", sys.executable, script],
                          capture_output=True, text=True, env=dict(os.environ, RAWSOCK_TRACE=ours), timeout=60,
                          check=True)
    theirs = [line for line in proc.stderr.splitlines() if "sendto(" in line or "socketpair(" in line]
    with open(ours) as f:
        mine = [line for line in f.read().splitlines() if "sendto(" in line or "socketpair(" in line]
    assert mine == theirs and len(mine) == 4
    assert not mine[1].startswith("[pid") and mine[2].startswith("[pid") and mine[3].startswith("[pid")
