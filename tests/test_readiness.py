"""select(2), pselect(2), poll(2), ppoll(2), Poller: results, timeouts as the kernel leaves them, fds above
FD_SETSIZE, and signals (EINTR never retried; the sigmask race that pselect/ppoll exist for)."""

from __future__ import annotations

import errno
import os
import resource
import select as stdlib_select
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from conftest import Alarm, Fds, errno_of

import rawsock as rs


@pytest.fixture
def high_fd(fds: Fds, unix_pair: tuple[int, int]) -> Iterator[int]:
    """A duplicate of a socketpair end at fd 1500: above FD_SETSIZE and above 1100."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:  # raising the hard limit too needs CAP_SYS_RESOURCE
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1501), max(hard, 1501)))
    except (ValueError, PermissionError):
        pytest.skip(f"RLIMIT_NOFILE hard limit {hard} does not allow fd 1500, and raising it needs CAP_SYS_RESOURCE")
    try:
        yield fds(os.dup2(unix_pair[0], 1500))
    finally:
        fds.close_all()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- select(2) -----------------------------------------------------------------------------------------

def test_select_reports_the_fds_the_kernel_left_set(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    result = rs.select([a, b], [a], [a, b], 0)
    assert (result.readable, result.writable, result.exceptional, result.nready) == ([], [a], [], 1)
    rs.send(b, b"x")
    readable, writable, exceptional = rs.select([a, b], [a], [], 0)
    assert (readable, writable, exceptional) == ([a], [a], [])


def test_select_writes_the_remaining_time_back(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    result = rs.select([a], None, None, rs.Timeval(0, 200_000))
    assert result.nready == 0 and result.timeout == rs.Timeval(0, 0)  # Linux: slept the whole time
    rs.send(unix_pair[1], b"x")
    result = rs.select([a], None, None, 5.0)
    assert result.readable == [a] and result.timeout is not None
    assert 4.5 < result.timeout.to_seconds() <= 5.0  # time not slept, written back


def test_select_accepts_objects_with_fileno_and_returns_them() -> None:
    with rs.Socket(rs.AF_UNIX, rs.SOCK_DGRAM) as s:
        assert rs.select([], [s], [], 0).writable == [s]


def test_select_above_fd_setsize_where_the_standard_library_refuses(high_fd: int, unix_pair: tuple[int, int]) -> None:
    assert high_fd > 1100
    with pytest.raises(ValueError):
        stdlib_select.select([high_fd], [], [], 0)
    rs.send(unix_pair[1], b"x")
    result = rs.select([high_fd], [high_fd], [], 0)
    assert (result.readable, result.writable, result.nready) == ([high_fd], [high_fd], 2)


def test_select_nfds_is_passed_as_given(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    lowest = min(a, b)
    assert rs.select([a], [a], [], 0, nfds=0).nready == 0  # the kernel looks at no fd: bits left as they were
    assert errno_of(lambda: rs.select([a], [], [], 0, nfds=-1)) == errno.EINVAL
    result = rs.select([a, b], [a, b], [], 0, nfds=lowest + 1)  # too small: only the lowest fd is examined
    assert result.nready == 1 and lowest in result.writable


def test_select_errors(unix_pair: tuple[int, int]) -> None:
    gone = os.dup(unix_pair[0])
    os.close(gone)  # a closed fd inside the process's fd table
    assert errno_of(lambda: rs.select([gone], [], [], 0)) == errno.EBADF
    # Beyond the fd table the kernel clamps nfds to the table's size and never looks: no EBADF, nothing ready.
    # (In a new process, whose table is still small: this one's has grown with the tests before.)
    beyond = subprocess.run([sys.executable, "-c", "import rawsock as rs; print(rs.select([1000], [], [], 0).nready)"],
                            capture_output=True, text=True, check=True)
    assert beyond.stdout == "0\n"
    assert errno_of(lambda: rs.select([unix_pair[0]], [], [], rs.Timeval(-1, 0))) == errno.EINVAL
    assert errno_of(lambda: rs.select([unix_pair[0]], [], [], rs.Timeval(0, -1))) == errno.EINVAL
    with pytest.raises(ValueError, match="cannot be put in an fd set"):
        rs.select([-1], [], [], 0)


@pytest.mark.parametrize("call", ["select", "pselect", "poll", "ppoll", "Poller.poll", "Poller.ppoll"])
def test_waits_are_interrupted_the_handler_runs_and_nothing_retries(
    unix_pair: tuple[int, int], alarm: Alarm, call: str
) -> None:
    a, b = unix_pair
    poller = rs.Poller()
    poller.register(a, rs.POLLIN)
    waits = {
        "select": lambda: rs.select([a], [], [], 5),
        "pselect": lambda: rs.pselect([a], [], [], 5),
        "poll": lambda: rs.poll([(a, rs.POLLIN)], 5000),
        "ppoll": lambda: rs.ppoll([(a, rs.POLLIN)], 5),
        "Poller.poll": lambda: poller.poll(5000),
        "Poller.ppoll": lambda: poller.ppoll(5),
    }
    alarm.arm(0.05, then=lambda: rs.send(b, b"!"))  # a retry would find the fd readable and return
    with pytest.raises(InterruptedError) as info:
        waits[call]()
    assert info.value.errno == errno.EINTR and alarm.fired == 1
    assert info.value.syscall == call.replace("Poller.", "")  # type: ignore[attr-defined]


# --- pselect(2) ----------------------------------------------------------------------------------------

def test_pselect_leaves_the_timeout_alone(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    result = rs.pselect([a], [], [], rs.Timespec(0, 50_000_000))
    assert result.nready == 0 and result.timeout == rs.Timespec(0, 50_000_000)  # glibc passes a copy
    rs.send(b, b"x")
    result = rs.pselect([a], [b], [], 2.5, sigmask=[])
    assert (result.readable, result.writable, result.timeout) == ([a], [b], rs.Timespec(2, 500_000_000))


def test_pselect_above_fd_setsize(high_fd: int) -> None:
    assert rs.pselect([], [high_fd], [], 0).writable == [high_fd]


def test_pselect_errors(unix_pair: tuple[int, int]) -> None:
    assert errno_of(lambda: rs.pselect([unix_pair[0]], [], [], rs.Timespec(0, -1))) == errno.EINVAL
    assert errno_of(lambda: rs.pselect([unix_pair[0]], [], [], rs.Timespec(0, 10**9))) == errno.EINVAL
    with pytest.raises(OSError) as info:
        rs.pselect([], [], [], 0, sigmask=[0])  # sigaddset(3) refuses signal 0: no syscall was made
    assert info.value.errno == errno.EINVAL and info.value.syscall == "sigaddset"  # type: ignore[attr-defined]


# --- poll(2), ppoll(2) ---------------------------------------------------------------------------------

def test_poll_returns_the_marked_pairs_in_order(unix_pair: tuple[int, int], closed_fd: int) -> None:
    a, b = unix_pair
    rs.send(b, b"x")
    got = rs.poll([(b, rs.POLLIN), rs.PollFd(a, rs.POLLIN | rs.POLLOUT), (-1, rs.POLLIN), (closed_fd, rs.POLLIN)], 0)
    assert got == [(a, rs.POLLIN | rs.POLLOUT), (closed_fd, rs.POLLNVAL)]  # negative fd: ignored by the kernel


def test_poll_timeout_and_hangup(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert rs.poll([(a, rs.POLLIN)], 30) == []
    fds.close(b)
    assert rs.poll([(a, rs.POLLIN | rs.POLLRDHUP)], -1) == [(a, rs.POLLIN | rs.POLLRDHUP | rs.POLLHUP)]


def test_poll_errors(unix_pair: tuple[int, int]) -> None:
    many = [(unix_pair[0], rs.POLLIN)] * (resource.getrlimit(resource.RLIMIT_NOFILE)[0] + 1)
    assert errno_of(lambda: rs.poll(many, 0)) == errno.EINVAL  # nfds above RLIMIT_NOFILE


def test_ppoll_timespec_sigmask_and_einval(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    assert rs.ppoll([(a, rs.POLLIN)], rs.Timespec(0, 10_000_000), sigmask=[signal.SIGUSR1]) == []
    rs.send(b, b"x")
    assert rs.ppoll([(a, rs.POLLIN)], None) == [(a, rs.POLLIN)]
    assert errno_of(lambda: rs.ppoll([(a, rs.POLLIN)], rs.Timespec(-1, 0))) == errno.EINVAL


# --- Poller ----------------------------------------------------------------------------------------------

def test_poller_register_modify_unregister(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    poller = rs.Poller()
    poller.register(a, rs.POLLIN)
    poller.register(b)
    assert len(poller) == 2 and poller.poll(0) == [(b, rs.POLLOUT)]
    rs.send(b, b"x")
    assert poller.poll(0) == [(a, rs.POLLIN), (b, rs.POLLOUT)]
    poller.modify(b, rs.POLLIN)
    assert poller.ppoll(0, []) == [(a, rs.POLLIN)]
    poller.unregister(a)
    assert poller.poll(10) == []
    with pytest.raises(KeyError):
        poller.unregister(a)
    with pytest.raises(KeyError):
        poller.modify(a, rs.POLLIN)


def test_poller_over_many_idle_fds_and_one_ready(fds: Fds) -> None:
    poller = rs.Poller()
    pairs = [fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)) for _ in range(200)]
    for a, _ in pairs:
        poller.register(a, rs.POLLIN)
    assert poller.poll(0) == []
    rs.send(pairs[137][1], b"x")
    assert poller.poll(0) == [(pairs[137][0], rs.POLLIN)]


def test_poller_names_what_is_wrong_with_a_registration() -> None:
    poller = rs.Poller()
    with pytest.raises(TypeError, match=r"^fd must be an int or have a fileno\(\) method, not str$"):
        poller.register("x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^events must be an int \(POLLIN, ...\), not str$"):
        poller.register(0, "x")  # type: ignore[arg-type]
    assert len(poller) == 0


def test_poll_rebuilds_the_array_for_any_changed_pair(unix_pair: tuple[int, int]) -> None:
    """The engine reuses the array built from the same pair objects; any other pair, even an equal one in a new
    list, and any change in place converts afresh."""
    a, b = unix_pair
    pairs = [(a, rs.POLLIN), (b, rs.POLLIN)]
    assert rs.poll(pairs, 0) == [] and rs.poll(pairs, 0) == []
    rs.send(b, b"x")
    assert rs.poll(pairs, 0) == [(a, rs.POLLIN)]
    pairs[1] = (b, rs.POLLOUT)  # same length, one pair replaced
    assert rs.poll(pairs, 0) == [(a, rs.POLLIN), (b, rs.POLLOUT)]
    assert rs.poll(list(pairs), 0) == [(a, rs.POLLIN), (b, rs.POLLOUT)]  # another list of the same pairs
    assert rs.poll(tuple(pairs), 0) == [(a, rs.POLLIN), (b, rs.POLLOUT)]
    pairs[0] = (a, rs.POLLOUT)
    assert rs.poll(pairs, 0) == [(a, rs.POLLOUT), (b, rs.POLLOUT)]
    pairs.append((-1, rs.POLLIN))  # one more
    assert rs.poll(pairs, 0) == [(a, rs.POLLOUT), (b, rs.POLLOUT)]
    assert rs.poll(pairs[:1], 0) == [(a, rs.POLLOUT)]  # one fewer
    assert rs.poll([(a, rs.POLLIN), (b, rs.POLLIN)], 0) == [(a, rs.POLLIN)]  # equal pairs, new objects


def test_poll_keeps_no_object_with_a_finalizer_alive(unix_pair: tuple[int, int]) -> None:
    """The engine keeps the pairs of its last array alive, but only pairs of exact ints and PollFlag members: an
    int subclass's finalizer runs when the caller drops it, as without the cache."""
    a, b = unix_pair
    rs.send(b, b"x")
    finalized: list[int] = []

    class Events(int):
        def __del__(self) -> None:
            finalized.append(int(self))

    assert rs.poll([(a, Events(rs.POLLIN))], 0) == [(a, rs.POLLIN)]
    assert finalized == [rs.POLLIN]  # the list and its pair died with the call
    pairs = [(a, rs.POLLIN | rs.POLLOUT), (b, rs.POLLOUT)]  # PollFlag members: cached, and hit
    assert rs.poll(pairs, 0) == rs.poll(pairs, 0) == [(a, rs.POLLIN | rs.POLLOUT), (b, rs.POLLOUT)]


def test_poll_reports_only_what_the_kernel_marked_in_this_call(unix_pair: tuple[int, int]) -> None:
    """The call is lent the cached array itself: the revents an earlier call left in it must never show."""
    a, b = unix_pair
    pairs = [(a, rs.POLLIN), (b, rs.POLLIN)]
    rs.send(b, b"x")
    assert rs.poll(pairs, 0) == [(a, rs.POLLIN)]
    assert rs.recv(a, 1) == b"x"
    assert rs.poll(pairs, 0) == []  # the same array, the same pairs: nothing left over
    snapshot = tuple(pairs)
    rs.send(a, b"y")
    assert rs.poll(snapshot, 0) == [(b, rs.POLLIN)] and rs.poll(snapshot, 0) == [(b, rs.POLLIN)]
    assert rs.recv(b, 1) == b"y"
    assert rs.poll(snapshot, 0) == []


def test_poll_inside_a_poll_call_gets_its_own_array(unix_pair: tuple[int, int]) -> None:
    """Python code that runs during a call (here the timeout's __index__, after the array is taken) may poll
    the same list: the inner call cannot have the array the outer one holds, and must not replace it."""
    a, b = unix_pair
    pairs = [(a, rs.POLLIN), (b, rs.POLLOUT)]
    assert rs.poll(pairs, 0) == [(b, rs.POLLOUT)]  # cached
    inner: list[list[tuple[int, int]]] = []

    class Timeout:
        def __index__(self) -> int:
            rs.send(b, b"x")
            inner.append(rs.poll(pairs, 0))  # the outer call holds the cached array
            inner.append(rs.poll([(a, rs.POLLOUT)], 0))  # a different list: must not replace it
            return 0

    assert rs.poll(pairs, Timeout()) == [(a, rs.POLLIN), (b, rs.POLLOUT)]  # type: ignore[arg-type]
    assert inner == [[(a, rs.POLLIN), (b, rs.POLLOUT)], [(a, rs.POLLOUT)]]
    assert rs.poll(pairs, 0) == [(a, rs.POLLIN), (b, rs.POLLOUT)]


def test_polls_of_one_list_from_two_threads_do_not_share_an_array(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    pairs = [(a, rs.POLLIN)]
    assert rs.poll(pairs, 0) == []  # cached
    result: list[list[tuple[int, int]]] = []
    waiter = threading.Thread(target=lambda: result.append(rs.poll(pairs, 10_000)))
    waiter.start()
    try:
        # Blocked in the kernel on the cached array (or about to be): this thread's polls of the same list
        # must leave it alone.
        for _ in range(200):
            assert rs.poll(pairs, 0) == []
    finally:
        rs.send(b, b"x")
        waiter.join(timeout=10)
    assert not waiter.is_alive() and result == [[(a, rs.POLLIN)]]
    assert rs.poll(pairs, 0) == [(a, rs.POLLIN)]


def test_poller_snapshots_its_registrations_when_they_change(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    poller = rs.Poller()
    poller.register(a, rs.POLLOUT)
    assert poller.poll(0) == [(a, rs.POLLOUT)] and poller.poll(0) == [(a, rs.POLLOUT)]
    poller.modify(a, rs.POLLIN)
    assert poller.poll(0) == []
    poller.register(b, rs.POLLOUT)
    assert poller.ppoll(0) == [(b, rs.POLLOUT)]
    poller.unregister(b)
    assert poller.poll(0) == [] and len(poller) == 1


# --- the sigmask race --------------------------------------------------------------------------------

@pytest.fixture
def usr1_blocked() -> Iterator[list[int]]:
    """SIGUSR1 with a Python handler, blocked in this thread; yields the list the handler appends to."""
    caught: list[int] = []
    old = signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signum))
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    try:
        yield caught
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
        signal.signal(signal.SIGUSR1, old)


@pytest.mark.parametrize("call", ["pselect", "ppoll", "Poller.ppoll"])
def test_a_signal_pending_before_the_call_interrupts_it_through_the_sigmask(
    unix_pair: tuple[int, int], usr1_blocked: list[int], call: str
) -> None:
    a, _ = unix_pair
    # Arrives "just before" the wait, directed at this thread (other threads, such as the test watchdog's, do
    # not block it): blocked here, so it stays pending.
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
    assert usr1_blocked == [] and signal.SIGUSR1 in signal.sigpending()
    # Without a sigmask the pending signal stays blocked and is lost for the whole wait: a timeout.
    assert rs.poll([(a, rs.POLLIN)], 50) == []
    assert usr1_blocked == [] and signal.SIGUSR1 in signal.sigpending()
    poller = rs.Poller()
    poller.register(a, rs.POLLIN)
    # sigmask None (NULL) leaves the mask as it is: still blocked, still pending, a timeout.
    leave_alone = {
        "pselect": lambda: rs.pselect([a], [], [], 0.05, sigmask=None).nready,
        "ppoll": lambda: len(rs.ppoll([(a, rs.POLLIN)], 0.05, sigmask=None)),
        "Poller.ppoll": lambda: len(poller.ppoll(0.05, sigmask=None)),
    }
    assert leave_alone[call]() == 0 and signal.SIGUSR1 in signal.sigpending()
    # The call's mask unblocks it atomically with starting to wait: EINTR at once, and the handler runs.
    waits = {
        "pselect": lambda: rs.pselect([a], [], [], 5.0, sigmask=[]),
        "ppoll": lambda: rs.ppoll([(a, rs.POLLIN)], 5.0, sigmask=[]),
        "Poller.ppoll": lambda: poller.ppoll(5.0, sigmask=[]),
    }
    with pytest.raises(InterruptedError) as info:
        waits[call]()
    assert info.value.errno == errno.EINTR
    signal.pthread_sigmask(signal.SIG_BLOCK, [])  # a bytecode boundary: Python runs its handler
    assert usr1_blocked == [signal.SIGUSR1] and signal.SIGUSR1 not in signal.sigpending()


def test_poll_checks_its_entries(unix_pair: tuple[int, int]) -> None:
    with pytest.raises(TypeError, match=r"poll\(\) argument 'fds': entry 0 must be an \(fd, events\) pair, not int"):
        rs.poll([unix_pair[0]], 0)  # type: ignore[list-item]  # an fd without its events
    with pytest.raises(OverflowError, match="argument 'fds'"):
        rs.poll([(unix_pair[0], 1 << 20)], 0)  # events is a C short


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (.ci/run installs it)")
def test_the_lent_array_is_fresh_even_for_a_call_the_kernel_never_ran(tmp_path: os.PathLike[str]) -> None:
    """strace answers every poll after the first with 1 without running it (fault injection): the lent array
    must then hold what a fresh one would (revents 0), not the first call's revents."""
    script = os.path.join(tmp_path, "inject.py")
    with open(script, "w") as f:
        f.write("import os, rawsock\nr, w = os.pipe()\nos.write(w, b'x')\npairs = [(r, rawsock.POLLIN)]\n"
                "print(rawsock.poll(pairs, 0))\nos.read(r, 1)\nprint(rawsock.poll(pairs, 0))\n"
                "print(rawsock.poll([(r, rawsock.POLLIN)], 0))\n")
    out = subprocess.run(["strace", "-qq", "-o", os.devnull, "-e", "inject=poll,ppoll:retval=1:when=2+", sys.executable,
                          script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[1] == out[2] == "[]" and out[0].endswith(", 1)]")
