"""Tracing changes nothing: a table of odd inputs, run once with tracing off and once with it on, each run in a
fresh process under strace, gives the same results, the same exceptions and the same syscalls."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import sys
import textwrap

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import syscall_table  # the one parser of strace logs

sys.path.pop(0)

TABLE = textwrap.dedent('''
    import array, os, signal
    import rawsock as rs

    # the traced run's RAWSOCK_TRACE file holds an fd: the untraced run holds one too, so fd numbers match
    placeholder = open(os.devnull) if os.environ["RAWSOCK_TRACE"] == "0" else None

    class Index:
        def __init__(self, v): self.v = int(v)
        def __index__(self): return self.v

    class Raises:
        def __index__(self): raise ValueError("no index")

    a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM | rs.SOCK_NONBLOCK)
    u = rs.socket(rs.AF_INET, rs.SOCK_DGRAM | rs.SOCK_NONBLOCK)
    rs.bind(u, rs.SockaddrIn("127.0.0.1", int(os.environ["PORT"])))
    here = rs.getsockname(u)
    t = rs.socket(rs.AF_INET6, rs.SOCK_STREAM)
    r, w = os.pipe()
    ODD = [
        lambda: rs.poll([[a, rs.POLLOUT]], 0.0001),
        lambda: rs.poll(rs.BADPTR, 0, nfds=1),
        lambda: rs.poll([(a, rs.POLLOUT), (b, rs.POLLOUT)], 0, nfds=1),
        lambda: rs.poll([(a, rs.POLLOUT)], 0, nfds=2),
        lambda: rs.send(a, rs.BADPTR, nbytes=4),
        lambda: rs.send(a, b"abc", nbytes=-1),
        lambda: rs.recv_into(b, rs.BADPTR, 64),
        lambda: rs.send(a, rs.NULL, nbytes=1),
        lambda: rs.sendto(u, b"x", 0, rs.BADPTR, 16),
        lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, sv=rs.BADPTR),
        lambda: rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM, sv=3),
        lambda: rs.ppoll([(a, rs.POLLOUT)], rs.BADPTR, rs.BADPTR),
        lambda: rs.epoll_pwait2(r, 1, rs.BADPTR),
        lambda: rs.poll(((fd, rs.POLLOUT) for fd in (a, b)), Index(0)),
        lambda: rs.poll([(a, Index(rs.POLLOUT)), (-1, rs.POLLIN)], 0),
        lambda: rs.poll([(a, 1 << 20)], 0),
        lambda: rs.poll([a], 0),
        lambda: rs.poll([(a, rs.POLLIN)], float("nan")),
        lambda: rs.ppoll([(a, rs.POLLIN)], rs.Timespec(0, -1)),
        lambda: rs.ppoll([(a, rs.POLLOUT)], 0, [0]),
        lambda: rs.select([a], [a, b], None, rs.Timeval(0, 5), nfds=0),
        lambda: rs.select([a], None, None, -1),
        lambda: rs.select([None], None, None, 0),
        lambda: rs.pselect([], [a], [], 0.000001, [signal.SIGUSR1]),
        lambda: rs.send(a, memoryview(b"abcdef")[::2]),
        lambda: rs.send(a, array.array("i", [1, 2]), Index(rs.MSG_DONTWAIT)),
        lambda: rs.recv(b, 3, rs.MSG_TRUNC),
        lambda: rs.recv(b, -1),
        lambda: rs.recv(b, 0, rs.MSG_DONTWAIT),
        lambda: rs.recv_into(b, bytearray(4), 5),
        lambda: rs.recv_into(b, b"read-only"),
        lambda: rs.recvfrom(b, 8, Raises()),
        lambda: rs.sendto(u, b"x", 0, rs.RawSockaddr.from_bytes(bytes(here.addrlen)), 3),
        lambda: rs.sendto(u, b"x", 0, rs.RawSockaddr.from_bytes(bytes(4)), 5),
        lambda: rs.sendto(u, b"x", 0, ("", here.port)),
        lambda: rs.sendto(u, b"x", 0, (here.host, str(here.port))),
        lambda: rs.sendto(u, b"hi", 0, here, 128),
        lambda: rs.recvfrom(u, 1, rs.MSG_TRUNC),
        lambda: rs.bind(t, ("", 0)),
        lambda: rs.bind(t, rs.SockaddrIn6("", 0)),
        lambda: rs.connect(a, b"\\0rawsock-differential-nowhere"),
        lambda: rs.connect(a, "/nonexistent/path"),
        lambda: rs.sendmsg(a, b"one buffer"),
        lambda: rs.sendmsg(a, [b"x"], [(rs.SOL_SOCKET, rs.SCM_RIGHTS, b"\\1\\2\\3")]),
        lambda: rs.sendmsg(a, [b"x"], [(1, 2)]),
        lambda: rs.sendmsg(a, [b"x"], [rs.ScmRights([r, w])]),
        lambda: rs.recvmsg(b, 4, rs.CMSG_LEN(4)),
        lambda: rs.recvmsg(b, 64, 64),
        lambda: rs.recvmsg_into(b, (bytearray(1), bytearray(2))),
        lambda: rs.sendmmsg(a, [b"1", ([b"2", memoryview(b"3")], None), (b"4", None)]),
        lambda: rs.sendmmsg(a, [(b"x",)]),
        lambda: rs.recvmmsg(b, 0, 8),
        lambda: rs.recvmmsg(b, 5000, 8, rs.MSG_DONTWAIT),
        lambda: rs.recvmmsg(b, 2, 8, 0, rs.Timespec(0, -1)),
        lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVBUF, b"\\0\\1\\0\\0", 3),
        lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 1), 64),
        lambda: rs.setsockopt(u, rs.SOL_SOCKET, rs.SO_RCVTIMEO, 0.25),
        lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_RCVTIMEO),
        lambda: rs.getsockopt(u, rs.SOL_SOCKET, rs.SO_TYPE, 2),
        lambda: rs.getsockopt(u, 12345, 1),
        lambda: rs.ioctl(u, rs.FIONREAD),
        lambda: rs.ioctl(u, rs.SIOCGIFINDEX, "lo"),
        lambda: rs.ioctl(u, 0x12345678, bytes(8)),
        lambda: rs.ioctl(u, 0x12345678, 1),
        lambda: rs.fcntl(a, rs.F_GETOWN_EX, rs.FOwnerEx(0, 0)),
        lambda: rs.fcntl(a, rs.F_GETLK, rs.Flock(rs.F_RDLCK)),
        lambda: rs.fcntl(a, 9999),
        lambda: rs.fcntl(a, rs.F_GETFL),
        lambda: rs.sockatmark(u),
        lambda: rs.socket(rs.AF_INET, 999),
        lambda: rs.shutdown(a, 7),
        lambda: rs.listen(u, -5),
        lambda: rs.accept4(u, -1),
        lambda: rs.close(-1),
        lambda: rs.connect(a, rs.SockaddrUnspec()),
        lambda: rs.sendmsg(a, [b"x"]),
        lambda: rs.readv(b, [bytearray(2), Index(3)]),
        lambda: rs.writev(a, (x for x in [b"gen", bytearray(b"erator")])),
        lambda: rs.writev(a, [b"x", memoryview(b"abc")[::2]]),
        lambda: rs.read_into(b, bytearray(2), 3),
        lambda: rs.epoll_ctl(a, rs.EPOLL_CTL_ADD, b, (Index(1), Index(2))),
        lambda: rs.epoll_ctl(a, rs.EPOLL_CTL_DEL, b, None),
        lambda: rs.epoll_wait(-1, Index(4), 0.0001),
        lambda: rs.epoll_wait(a, 0, None),
        lambda: rs.epoll_pwait2(-1, 1, rs.Timespec(0, -1), [0]),
        lambda: rs.splice(r, Index(0), w, None, 1, rs.SPLICE_F_NONBLOCK),
        lambda: rs.sendfile(a, r, -1, 1),
        lambda: rs.dup3(r, r, Raises()),
        lambda: rs.pipe2(Raises()),
    ]
    rs.lib.close(-1)
    for i, call in enumerate(ODD):
        try:
            print(i, "=", repr(call()))
        except Exception as e:
            print(i, "!", type(e).__name__, e)
    rs.lib.close(-2)
''')


# the file calls of the table (not read and write: the traced run writes its log)
_EXTRA = "readv,writev,pipe2,dup3,splice,sendfile,epoll_ctl,epoll_wait,epoll_pwait,epoll_pwait2"


def _free_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(tmp: pathlib.Path, traced: bool, port: int) -> tuple[list[str], list[str]]:
    script, log = tmp / "odd.py", tmp / f"strace-{traced}.log"
    script.write_text(TABLE)
    env = dict(os.environ, RAWSOCK_TRACE=str(tmp / "trace.log") if traced else "0", PORT=str(port))
    run = syscall_table.strace_run(script, log, env, extra=_EXTRA)
    return run.stdout.splitlines(), [_normal(line) for line in syscall_table.strace_region(log.read_text())]


def _normal(line: str) -> str:
    """Addresses and the time a wait left differ from process to process: compare them as such."""
    line = re.sub(r"0x[0-9a-f]{8,}", "0xADDR", line)
    return re.sub(r"left \{tv_sec=\d+, tv_(n|u)sec=\d+\}", r"left {TIME}", line)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_tracing_changes_nothing(tmp_path: pathlib.Path) -> None:
    port = _free_udp_port()
    off_results, off_syscalls = _run(tmp_path, False, port)
    on_results, on_syscalls = _run(tmp_path, True, port)
    assert len(off_results) == TABLE.count("lambda:") and len(off_syscalls) > 40
    assert on_results == off_results
    assert on_syscalls == off_syscalls
    traced = [_normal(line) for line in (tmp_path / "trace.log").read_text().splitlines()]
    assert traced[len(traced) - len(on_syscalls):] == on_syscalls  # and the tracer printed what strace saw
