"""Fixtures shared by the whole suite: every test runs against the real kernel and leaves no fd open."""

from __future__ import annotations

import ctypes
import faulthandler
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import rawsock as rs


def _open_fds() -> dict[int, str]:
    fds = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            fds[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except FileNotFoundError:  # the directory fd used for the listing itself
            pass
    return fds


#: how long a test may run (``@pytest.mark.watchdog(seconds)`` gives one test longer)
WATCHDOG_S = 120


class _Watchdog(threading.Thread):
    """Ends the run if the test is still running after ``seconds``: it prints the test's name and every thread's
    traceback on the run's own stderr (pytest's capture suspended, so they are seen) and exits with status 1."""

    def __init__(self, request: pytest.FixtureRequest, seconds: float) -> None:
        super().__init__(name="watchdog", daemon=True)
        self.request, self.seconds, self.done = request, seconds, threading.Event()

    def run(self) -> None:
        if self.done.wait(self.seconds):
            return
        capman = self.request.config.pluginmanager.getplugin("capturemanager")
        if capman is not None:
            capman.suspend_global_capture(in_=True)
        sys.stderr.write(f"\nwatchdog: {self.request.node.nodeid} still running after {self.seconds} s; "
                         "every thread's traceback:\n")
        sys.stderr.flush()
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        os._exit(1)


@pytest.fixture(autouse=True)
def watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    """A hang is a failure: see _Watchdog.  Its thread blocks every signal (it starts with them blocked), so a
    signal a test sends the process reaches the test's thread; faulthandler exits 30 s later if the watchdog
    thread itself cannot run (the GIL held forever)."""
    marker = request.node.get_closest_marker("watchdog")
    seconds = float(marker.args[0]) if marker else WATCHDOG_S
    dog = _Watchdog(request, seconds)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        dog.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
    faulthandler.dump_traceback_later(seconds + 30, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
    dog.done.set()
    dog.join()


@pytest.fixture(autouse=True)
def no_fd_leak() -> Iterator[None]:
    """Fail a test that leaves a file descriptor open (compares /proc/self/fd before and after)."""
    before = _open_fds()
    yield
    after = _open_fds()
    leaked = {fd: target for fd, target in after.items() if before.get(fd) != target}
    assert not leaked, f"file descriptors left open: {leaked}"


class Fds:
    """Registers fds a test creates and closes whichever are still open at teardown."""

    def __init__(self) -> None:
        self._fds: list[int] = []

    def __call__(self, fd: int) -> int:
        self._fds.append(fd)
        return fd

    def pair(self, pair: tuple[int, int]) -> tuple[int, int]:
        return self(pair[0]), self(pair[1])

    def close(self, fd: int) -> None:
        """Close a registered fd now (it will not be closed again)."""
        self._fds.remove(fd)
        rs.close(fd)

    def close_all(self) -> None:
        for fd in reversed(self._fds):
            try:
                os.close(fd)
            except OSError:
                pass
        self._fds.clear()


@pytest.fixture
def fds() -> Iterator[Fds]:
    registry = Fds()
    yield registry
    registry.close_all()


@pytest.fixture
def listener(fds: Fds) -> tuple[int, rs.SockaddrIn]:
    """A TCP socket listening on 127.0.0.1 and its address."""
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(fd, ("127.0.0.1", 0))
    rs.listen(fd, 16)
    addr = rs.getsockname(fd)
    assert isinstance(addr, rs.SockaddrIn)
    return fd, addr


@pytest.fixture
def tcp_pair(fds: Fds, listener: tuple[int, rs.SockaddrIn]) -> tuple[int, int]:
    """(client, server) ends of a TCP connection over loopback."""
    lfd, addr = listener
    client = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.connect(client, addr)
    server = fds(rs.accept(lfd)[0])
    return client, server


@pytest.fixture
def unix_pair(fds: Fds) -> tuple[int, int]:
    return fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))


@pytest.fixture
def udp_pair(fds: Fds) -> tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]:
    """Two UDP sockets bound on 127.0.0.1: (a, b, a's address, b's address)."""
    a = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    b = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    rs.bind(a, ("127.0.0.1", 0))
    rs.bind(b, ("127.0.0.1", 0))
    addr_a, addr_b = rs.getsockname(a), rs.getsockname(b)
    assert isinstance(addr_a, rs.SockaddrIn) and isinstance(addr_b, rs.SockaddrIn)
    return a, b, addr_a, addr_b


@pytest.fixture
def closed_port() -> int:
    """A loopback TCP/UDP port with nothing bound to it (bound once, then released)."""
    fd = rs.socket(rs.AF_INET, rs.SOCK_STREAM)
    try:
        rs.bind(fd, ("127.0.0.1", 0))
        addr = rs.getsockname(fd)
        assert isinstance(addr, rs.SockaddrIn)
        return addr.port
    finally:
        rs.close(fd)


@pytest.fixture
def not_a_socket(fds: Fds) -> int:
    """An open fd that is not a socket (/dev/null)."""
    return fds(os.open("/dev/null", os.O_RDWR))


@pytest.fixture
def closed_fd() -> int:
    """An fd number that is not open and that no test will be handed (the highest the limit allows)."""
    import resource

    fd = resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 1
    assert fd not in _open_fds()
    return fd


def main_prefix() -> str:
    """What rawsock's tracer puts before a line of the main thread: ``[pid N] `` while another thread runs (the
    watchdog's, here), as strace -f prefixes every line once it traces more than one task."""
    return f"[pid {threading.main_thread().native_id:5d}] " if threading.active_count() > 1 else ""


def errno_of(call: Callable[[], Any]) -> int:
    """The errno a call raised (fails the test if it did not raise an OSError)."""
    with pytest.raises(OSError) as info:
        call()
    assert isinstance(info.value, rs.SyscallError), f"not a rawsock error: {info.value!r}"
    return info.value.errno


_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000


def in_child(
    fn: Callable[[], Any], *, uid: int | None = None, netns: bool = False, mountns: bool = False
) -> Any:
    """Run fn in a forked child: as ``uid``, in a new network namespace (only ``lo``, and it down)
    and/or a new mount namespace.  Returns fn's result, or ("errno", n) if it raised an OSError."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 0
        try:
            os.close(r)
            libc = ctypes.CDLL(None, use_errno=True)
            flags = (_CLONE_NEWNET if netns else 0) | (_CLONE_NEWNS if mountns else 0)
            if flags and libc.unshare(flags) != 0:
                raise OSError(ctypes.get_errno(), "unshare")
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            try:
                result: Any = fn()
            except OSError as e:
                result = ("errno", e.errno)
            os.write(w, pickle.dumps(("ok", result)))
        except BaseException as e:  # report anything else to the parent
            os.write(w, pickle.dumps(("error", repr(e))))
            status = 1
        finally:
            os._exit(status)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    assert kind == "ok", f"child failed: {value}"
    return value


def mount(source: str, target: str, fstype: str, flags: int) -> None:
    """mount(2) through libc, for tests that build a private mount namespace."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None, flags, None) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


NOBODY = 65534


class Alarm:
    """A SIGALRM with a Python handler, armed with setitimer; records that the handler ran."""

    def __init__(self) -> None:
        self.fired = 0
        self.after: Callable[[], None] | None = None

    def _handler(self, signum: int, frame: object) -> None:
        self.fired += 1
        if self.after is not None:
            self.after()

    def arm(self, seconds: float, then: Callable[[], None] | None = None) -> None:
        self.after = then
        signal.setitimer(signal.ITIMER_REAL, seconds)


@pytest.fixture
def alarm() -> Iterator[Alarm]:
    a = Alarm()
    old = signal.signal(signal.SIGALRM, a._handler)
    try:
        yield a
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
