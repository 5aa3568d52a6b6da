"""The bugs of the first call layer (issue 10), each held to the behaviour that replaced it.

Memory corruption that a sequence mutated mid-call, a typed ioctl/fcntl argument or a freed temporary
could cause; sizes allocated before anything checked them; two implementations that disagreed; the
tracer's own syscalls; and the API mistakes found with them.  Several of these crashed the process or
corrupted its heap before: the sanitizer build (.ci/run) runs them too.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket as stdlib
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable

import pytest
from conftest import Alarm, Fds, _open_fds, errno_of, in_child, main_prefix

import rawsock as rs
from rawsock import ffi


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=dict(os.environ, **env), timeout=60)


# --- ioctl: the kernel writes what the request says, into memory rawsock sized for it -------------------

UdpPair = tuple[int, int, rs.SockaddrIn, rs.SockaddrIn]


def test_siocgstamp_returns_a_timeval_in_a_loop(fds: Fds, udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    assert errno_of(lambda: rs.ioctl(b, rs.SIOCGSTAMP)) == errno.ENOENT  # no packet received yet
    rs.sendto(a, b"stamp me", 0, addr_b)
    rs.recv(b, 16)
    for _ in range(2000):  # a 16-byte timeval into a 4-byte int: a loop of these crashed the process
        stamp = rs.ioctl(b, rs.SIOCGSTAMP)
        assert isinstance(stamp, rs.Timeval) and abs(stamp.to_seconds() - time.time()) < 60
        junk = [bytearray(24) for _ in range(8)]  # allocations in between: glibc aborted here
        del junk
    stamp_ns = rs.ioctl(b, rs.SIOCGSTAMPNS)
    assert isinstance(stamp_ns, rs.Timespec) and stamp_ns.sec == stamp.sec and 0 <= stamp_ns.nsec < 10**9


def test_siocgif_requests_take_and_return_an_ifreq(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    assert rs.ioctl(fd, rs.SIOCGIFINDEX, "lo") == rs.Ifreq("lo", 1)
    assert rs.ioctl(fd, rs.SIOCGIFNAME, rs.Ifreq("", 1)) == rs.Ifreq("lo", 1)
    flags = rs.ioctl(fd, rs.SIOCGIFFLAGS, rs.Ifreq("lo"))
    assert isinstance(flags, rs.Ifreq) and isinstance(flags.value, int) and flags.value & rs.IFF_LOOPBACK
    assert rs.ioctl(fd, rs.SIOCGIFMTU, "lo").value == 65536  # type: ignore[union-attr]
    assert rs.ioctl(fd, rs.SIOCGIFADDR, "lo") == rs.Ifreq("lo", rs.SockaddrIn("127.0.0.1", 0))
    assert errno_of(lambda: rs.ioctl(fd, rs.SIOCGIFINDEX, "nosuchif0")) == errno.ENODEV
    with pytest.raises(TypeError, match=r"ioctl\(\) argument 'arg': .*takes an Ifreq or an interface name"):
        rs.ioctl(fd, rs.SIOCGIFINDEX)
    with pytest.raises(ValueError, match="longer than IFNAMSIZ"):
        rs.ioctl(fd, rs.SIOCGIFINDEX, "x" * 16)


def test_siocgifconf_takes_and_returns_an_ifconf() -> None:
    """SIOCGIFCONF's ifc_buf is a pointer the kernel writes through: rawsock owns that buffer (issue 11)."""
    def in_a_new_namespace() -> object:
        fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
        try:
            down = rs.ioctl(fd, rs.SIOCGIFCONF, 400)  # lo is down, with no address: no entry
            flags = rs.ioctl(fd, rs.SIOCGIFFLAGS, "lo")
            assert isinstance(flags, rs.Ifreq) and isinstance(flags.value, int)
            rs.ioctl(fd, rs.SIOCSIFFLAGS, rs.Ifreq("lo", flags.value | rs.IFF_UP))
            size = ifreq = rs.lib.RS_IFREQ_SIZE
            return (down, rs.ioctl(fd, rs.SIOCGIFCONF, rs.Ifconf(0, None)), rs.ioctl(fd, rs.SIOCGIFCONF, 400),
                    rs.ioctl(fd, rs.SIOCGIFCONF, rs.Ifconf(ifreq - 1)), rs.ioctl(fd, rs.SIOCGIFCONF, -1),
                    rs.ioctl(fd, rs.SIOCGIFCONF, rs.Ifconf(size, rs.NULL)),
                    errno_of(lambda: rs.ioctl(fd, rs.SIOCGIFCONF, rs.Ifconf(size, rs.BADPTR))))
        finally:
            rs.close(fd)

    lo = rs.Ifreq("lo", rs.SockaddrIn("127.0.0.1", 0))
    n = rs.lib.RS_IFREQ_SIZE
    assert in_child(in_a_new_namespace, netns=True) == (
        rs.Ifconf(0, ()), rs.Ifconf(n, None), rs.Ifconf(n, (lo,)), rs.Ifconf(0, ()), rs.Ifconf(0, ()),
        rs.Ifconf(n, None), errno.EFAULT)
    with pytest.raises(TypeError, match="SIOCGIFCONF takes an Ifconf or its ifc_len as an int, not str"):
        rs.ioctl(-1, rs.SIOCGIFCONF, "lo")
    # never the struct's own bytes or a buffer: ifc_buf would be whatever address the caller wrote in it (from the
    # C review: the kernel wrote ifreqs into an immutable bytes object, then crashed the process)
    for raw in (bytes(16), bytearray(16), memoryview(bytearray(64))):
        with pytest.raises(TypeError, match="SIOCGIFCONF takes an Ifconf or its ifc_len as an int, not"):
            rs.ioctl(-1, rs.SIOCGIFCONF, raw)
    with pytest.raises(TypeError, match=r"Ifconf\.interfaces is a tuple, None, BADPTR or NULL, not list"):
        rs.ioctl(-1, rs.SIOCGIFCONF, rs.Ifconf(40, []))  # type: ignore[arg-type]


def test_an_unknown_ioctl_request_takes_a_buffer_never_a_raw_address(fds: Fds) -> None:
    fd = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    unknown = rs.SIOCDEVPRIVATE + 15  # a device-private request: the kernel reads a struct ifreq from arg
    target = bytearray(40)
    address = int(ffi.cast("uintptr_t", ffi.from_buffer(target)))
    with pytest.raises(ValueError, match="not one rawsock knows"):
        rs.ioctl(fd, unknown, address)  # the kernel could take it for an address and write there
    assert errno_of(lambda: rs.ioctl(fd, unknown)) == errno.EFAULT  # 0 is passed as it is: NULL
    assert errno_of(lambda: rs.ioctl(fd, unknown, bytes(40))) == errno.ENODEV  # copied: an ifreq naming no device
    assert errno_of(lambda: rs.ioctl(fd, 0x12345678, bytes(8))) == errno.ENOTTY
    assert target == bytearray(40)
    # a known request given a raw buffer gets at least its own size
    assert rs.ioctl(fd, rs.FIONREAD, b"\xff") == b"\0"  # type: ignore[comparison-overlap]
    with pytest.raises(ValueError, match="FIONREAD writes 4 bytes: the 1-byte buffer is too small"):
        rs.ioctl(fd, rs.FIONREAD, bytearray(1))
    view = bytearray(4)
    assert rs.ioctl(fd, rs.FIONREAD, view) == 0 and view == bytes(4)


# --- fcntl: each command with its argument's type ------------------------------------------------------

def test_f_getown_ex_takes_a_struct_not_an_address(fds: Fds, unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    target = bytearray(16)
    address = int(ffi.cast("uintptr_t", ffi.from_buffer(target)))
    with pytest.raises(TypeError, match=r"fcntl\(\) argument 'arg': F_GETOWN_EX takes a FOwnerEx, not int"):
        rs.fcntl(a, rs.F_GETOWN_EX, address)  # the kernel wrote 8 bytes wherever the int pointed
    assert target == bytearray(16)
    rs.fcntl(a, rs.F_SETOWN_EX, rs.FOwnerEx(rs.F_OWNER_PID, os.getpid()))
    assert rs.fcntl(a, rs.F_GETOWN_EX, rs.FOwnerEx(0, 0)) == rs.FOwnerEx(rs.F_OWNER_PID, os.getpid())
    assert rs.fcntl(a, rs.F_GETOWN) == os.getpid()


def test_f_getlk_returns_the_flock_the_kernel_left(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    fd = fds(os.open(os.path.join(tmp_path, "lock"), os.O_RDWR | os.O_CREAT))
    free = rs.fcntl(fd, rs.F_GETLK, rs.Flock(rs.F_WRLCK, os.SEEK_SET, 0, 10))
    assert free == rs.Flock(rs.F_UNLCK, os.SEEK_SET, 0, 10, 0)  # nothing holds it: l_type becomes F_UNLCK
    assert rs.fcntl(fd, rs.F_OFD_SETLK, rs.Flock(rs.F_WRLCK, os.SEEK_SET, 0, 10)) == rs.Flock(rs.F_WRLCK, 0, 0, 10, 0)
    other = fds(os.open(os.path.join(tmp_path, "lock"), os.O_RDWR))
    held = rs.fcntl(other, rs.F_OFD_GETLK, rs.Flock(rs.F_WRLCK, os.SEEK_SET, 0, 10))
    assert held == rs.Flock(rs.F_WRLCK, os.SEEK_SET, 0, 10, -1)  # an OFD lock reports pid -1
    with pytest.raises(ValueError, match="fcntl command 9999 is not one rawsock knows"):
        rs.fcntl(fd, 9999, 1)


# --- sequences snapshotted before pointers are taken -----------------------------------------------------

class _Grow(str):
    """A host whose ``in`` test (address encoding) grows a list it was given."""

    victim: list[object]

    def __contains__(self, item: object) -> bool:
        self.victim.extend([b"z"] * 200)
        return super().__contains__(item)  # type: ignore[operator]


def test_sendmmsg_keeps_its_snapshot_when_encoding_grows_the_caller_s_lists(udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    later: list[object] = [b"later"]
    host = _Grow(addr_b.host)
    host.victim = later
    messages: list[object] = [([b"first"], (host, addr_b.port)), (later, addr_b)]
    assert rs.sendmmsg(a, messages) == 2  # type: ignore[arg-type]
    got = rs.recvmmsg(b, 4, 4096, rs.MSG_DONTWAIT)
    # the second message's buffers were snapshotted after the first address grew them: 1 + 200 iovecs
    assert [m.data for m in got] == [b"first", b"later" + b"z" * 200]


class _Shrinks:
    """An fd whose __index__ empties the list it sits in (PyLong_AsLong calls it)."""

    def __init__(self, fd: int, victim: list[object]) -> None:
        self.fd, self.victim = fd, victim

    def __index__(self) -> int:
        self.victim.clear()
        return self.fd


def test_poll_keeps_its_snapshot_when_an_entry_empties_the_list(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    rs.send(b, b"x")
    entries: list[object] = []
    entries += [(_Shrinks(a, entries), rs.POLLIN)] + [(b, rs.POLLOUT)] * 100
    got = rs.poll(entries, 0)  # type: ignore[arg-type]
    assert entries == [] and got == [(a, rs.POLLIN)] + [(b, rs.POLLOUT)] * 100


def test_poller_counts_what_it_hands_the_kernel(unix_pair: tuple[int, int], fds: Fds) -> None:
    a, _b = unix_pair
    extra = [fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))[0] for _ in range(50)]
    poller = rs.Poller()

    class Events:
        def __index__(self) -> int:  # registering more fds while this one's events are read
            for fd in extra:
                poller.register(fd, rs.POLLOUT)
            return int(rs.POLLOUT)

    poller.register(a, Events())  # type: ignore[arg-type]
    assert len(poller) == 51
    assert sorted(poller.poll(0)) == sorted([(a, rs.POLLOUT)] + [(fd, rs.POLLOUT) for fd in extra])


def test_poll_accepts_what_select_poll_style_callers_pass(unix_pair: tuple[int, int]) -> None:
    a, _b = unix_pair
    assert rs.poll([[a, rs.POLLOUT]], 0) == [(a, rs.POLLOUT)]  # type: ignore[list-item]
    assert rs.poll(((a, ev) for ev in (rs.POLLOUT,)), 0) == [(a, rs.POLLOUT)]  # type: ignore[arg-type]
    assert rs.poll([(a, rs.PollFlag.POLLOUT)], 0.0001) == [(a, rs.POLLOUT)]  # a float timeout: rounded up
    assert rs.Poller().poll(1.5) == []


# --- freed memory read back --------------------------------------------------------------------------------

def test_a_cut_credentials_message_is_returned_as_the_bytes_that_arrived(fds: Fds) -> None:
    code = """
        import os, rawsock as rs
        a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM)
        rs.setsockopt(b, rs.SOL_SOCKET, rs.SO_PASSCRED, 1)
        rs.sendmsg(a, [b"x"])
        msg = rs.recvmsg(b, 4, rs.CMSG_LEN(4))
        assert msg.msg_flags & rs.MSG_CTRUNC, msg
        assert msg.cmsgs == [rs.Cmsg(rs.SOL_SOCKET, rs.SCM_CREDENTIALS, os.getpid().to_bytes(4, "little"))], msg.cmsgs
        rs.sendmsg(a, [b"y"])
        assert rs.recvmsg(b, 4, rs.CMSG_SPACE(12)).cmsgs == [rs.ScmCredentials(os.getpid(), os.getuid(), os.getgid())]
        print("ok")
    """
    run = _run(code, PYTHONMALLOC="debug")  # freed memory reads as 0xdd...: pid=-572662307 before
    assert run.stdout == "ok\n", run.stderr


def test_the_sender_address_of_recvmsg_survives_the_call() -> None:
    code = """
        import rawsock as rs
        a, b = rs.socket(rs.AF_INET, rs.SOCK_DGRAM), rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
        rs.bind(a, rs.SockaddrIn("127.0.0.1", 0)); rs.bind(b, rs.SockaddrIn("127.0.0.1", 0))
        for i in range(200):
            rs.sendto(a, b"x", 0, rs.getsockname(b))
            assert rs.recvmsg(b, 4).address == rs.getsockname(a)
            rs.sendto(a, b"x", 0, rs.getsockname(b))
            buf = bytearray(4)
            assert rs.recvmsg_into(b, [buf]).address == rs.getsockname(a)
        print("ok")
    """
    run = _run(code, PYTHONMALLOC="debug")
    assert run.stdout == "ok\n", run.stderr


def test_short_option_bytes_are_returned_raw_not_padded_from_a_temporary() -> None:
    from rawsock import _sockopt

    assert _sockopt.value_out("linger", b"\x01") == b"\x01"
    assert _sockopt.value_out("ucred", b"\x01\x00\x00\x00") == b"\x01\x00\x00\x00"


# --- sizes checked before anything is allocated ------------------------------------------------------------

def test_sizes_are_checked_before_allocating() -> None:
    code = """
        import os, resource, rawsock as rs
        if "asan" not in os.environ.get("LD_PRELOAD", ""):  # the sanitizer build limits sizes in ASAN_OPTIONS
            resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20))
        fd = rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
        try:
            rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 1), 2**32)
        except OverflowError as e:
            print("optlen:", type(e).__name__)
        try:
            rs.setsockopt(fd, rs.SOL_SOCKET, rs.SO_LINGER, rs.Linger(1, 1), 2**31 - 1)
        except ValueError as e:
            print("pad:", type(e).__name__)
        try:
            rs.recvmmsg(fd, 2**32 - 1, 64, rs.MSG_DONTWAIT)  # vlen slots (the kernel may fill them all) of 64
            # bytes each, plus their headers: no process has that much, and the kernel never sees the call
        except MemoryError as e:
            print("recvmmsg:", type(e).__name__)
        try:
            rs.getsockopt(fd, rs.SOL_SOCKET, rs.SO_TYPE, 2**31)
        except OverflowError as e:
            print("buflen:", type(e).__name__)
    """
    run = _run(code)
    assert run.stdout.splitlines() == ["optlen: OverflowError", "pad: ValueError", "recvmmsg: MemoryError",
                                       "buflen: OverflowError"], run.stderr


def test_recvmmsg_gives_the_kernel_every_one_of_vlen_entries() -> None:
    # recvmmsg(2) has no UIO_MAXIOV cap (sendmmsg has): with 1,100 datagrams queued, vlen 1,100 makes the kernel
    # fill 1,100 entries.  rawsock once allocated 1,024 and the kernel read entry 1,024 on from the memory after
    # them, writing datagrams where it pointed (the fuzz smoke test's "malloc(): unsorted double linked list
    # corrupted").  In a child process: memory corruption must not take the test run with it.
    code = """
        import rawsock as rs
        rx, tx = rs.socket(rs.AF_INET, rs.SOCK_DGRAM), rs.socket(rs.AF_INET, rs.SOCK_DGRAM)
        try:
            rs.setsockopt(rx, rs.SOL_SOCKET, rs.SO_RCVBUFFORCE, 64 << 20)  # room for them all (CAP_NET_ADMIN)
        except PermissionError:
            print("skip: SO_RCVBUFFORCE needs CAP_NET_ADMIN")
            raise SystemExit(0)
        rs.bind(rx, rs.SockaddrIn("127.0.0.1", 0))
        to = rs.getsockname(rx)
        for round in range(3):
            sent = [(round * 10000 + i).to_bytes(4, "big") for i in range(1100)]
            for data in sent:
                rs.sendto(tx, data, 0, to)
            got = rs.recvmmsg(rx, 1100, 8, rs.MSG_DONTWAIT)
            print(len(got), [m.data for m in got] == sent)
        rs.close(rx)
        rs.close(tx)
    """
    run = _run(code)
    if run.stdout.startswith("skip:"):
        pytest.skip(run.stdout.strip()[6:])
    assert (run.returncode, run.stdout.splitlines()) == (0, ["1100 True"] * 3), run.stderr[-2000:]


def test_tracing_a_select_with_a_huge_nfds_scans_only_the_fds_given(unix_pair: tuple[int, int]) -> None:
    import io

    a, _ = unix_pair
    out = io.StringIO()
    with rs.trace(out):
        assert rs.select([a], [a], None, 0, nfds=2**31 - 1).writable == [a]
    if rs.CALLS["select"].fallback and dict((n, s) for n, s, _ in rs._syscalls._table())["select"] == "pselect6":
        expected = (f"pselect6(2147483647, [{a}], [{a}], NULL, {{tv_sec=0, tv_nsec=0}}, NULL) = 1 (out [{a}], left "
                    "{tv_sec=0, tv_nsec=0})\n")  # an architecture without a select syscall
    else:
        expected = (f"select(2147483647, [{a}], [{a}], NULL, {{tv_sec=0, tv_usec=0}}) = 1 (out [{a}], left "
                    "{tv_sec=0, tv_usec=0})\n")
    assert out.getvalue() == main_prefix() + expected


def test_cmsg_space_of_a_huge_length_is_an_overflow_not_a_wrapped_size() -> None:
    for fn in (rs.CMSG_SPACE, rs.CMSG_LEN):
        with pytest.raises(OverflowError, match="argument out of range"):
            fn(2**64 - 1)
        with pytest.raises(OverflowError):
            fn(-1)
    assert rs.CMSG_SPACE(2**31 - 1 - 24) < 2**31


def test_a_failing_bool_is_a_clear_type_error(unix_pair: tuple[int, int]) -> None:
    class Broken:
        def __bool__(self) -> bool:
            raise RuntimeError("no truth")

    with pytest.raises(TypeError, match=r"recvmmsg\(\) argument 'ancbufsize': must be an integer, not Broken"):
        rs.recvmmsg(unix_pair[0], 1, 1, rs.MSG_DONTWAIT, None, Broken())  # type: ignore[arg-type]


def test_the_address_cache_never_lets_an_equal_value_of_another_type_through(udp_pair: UdpPair) -> None:
    a, b, _addr_a, addr_b = udp_pair
    raw = rs.RawSockaddr.from_bytes(rs._address.encode(addr_b))
    as_tuple = (raw.family, raw.data)  # equal to the RawSockaddr, but not an address
    with pytest.raises(TypeError, match="host must be a str"):
        rs.sendto(a, b"x", 0, as_tuple)  # type: ignore[arg-type]
    assert rs.sendto(a, b"x", 0, raw) == 1  # cached now
    with pytest.raises(TypeError, match="host must be a str"):
        rs.sendto(a, b"x", 0, as_tuple)  # type: ignore[arg-type]
    assert rs.recv(b, 4) == b"x"


# --- one behaviour, traced or not, and signals as CPython handles them ----------------------------------

def test_a_signal_handler_s_exception_surfaces_from_the_interrupted_call(unix_pair: tuple[int, int],
                                                                         alarm: Alarm) -> None:
    class Stop(Exception):
        pass

    def stop() -> None:
        raise Stop

    _a, b = unix_pair
    for _ in range(2):  # the first EINTR warms the engine's per-errno caches: the second takes the fast path
        alarm.arm(0.02)
        with pytest.raises(InterruptedError):
            rs.recv(b, 1)
    alarm.arm(0.02, then=stop)
    with pytest.raises(Stop) as info:  # PEP 475's order: the handler runs first, its exception is the call's
        rs.recv(b, 1)
    assert alarm.fired == 3
    assert info.value.__context__ is None  # not raised later, over an InterruptedError already on its way


def test_the_tracer_makes_no_syscall_but_the_write(tmp_path: os.PathLike[str]) -> None:
    import shutil

    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (.ci/run installs it)")
    log = os.path.join(tmp_path, "strace.log")
    script = os.path.join(tmp_path, "t.py")
    with open(script, "w") as f:
        f.write(textwrap.dedent("""
            import threading, rawsock as rs
            a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
            go = threading.Event()
            t = threading.Thread(target=lambda: (go.wait(), rs.send(a, b"y")))
            t.start()  # the threading module learns the thread's id here, before the traced region
            rs.lib.close(-1)
            rs.send(a, b"x"); rs.recv(b, 1)
            go.set(); t.join()
            rs.lib.close(-2)
        """))
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=gettid,getpid,close", "-o", log, sys.executable, script],
                   check=True, env=dict(os.environ, RAWSOCK_TRACE=os.path.join(tmp_path, "trace.log")), timeout=60)
    with open(log) as f:
        text = f.read()
    region = text.split("close(-1)", 1)[1].split("close(-2)", 1)[0]
    assert "gettid" not in region and "getpid" not in region
    with open(os.path.join(tmp_path, "trace.log")) as f:
        lines = f.read().splitlines()
    assert len(lines) == 4 and lines[0].startswith("socketpair(") and lines[3].startswith("[pid ")


# --- the API: accept's type, to_socket's blocking mode, addresses, argument errors ---------------------

def test_accepted_sockets_have_the_type_accept_gives_them() -> None:
    with rs.Socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK | rs.SOCK_CLOEXEC) as lst:
        lst.bind(rs.SockaddrIn("127.0.0.1", 0))
        lst.listen(4)
        with rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as c1, rs.Socket(rs.AF_INET, rs.SOCK_STREAM) as c2:
            c1.connect(lst.getsockname())
            c2.connect(lst.getsockname())
            time.sleep(0.01)
            conn, _ = lst.accept()
            with conn:  # accept(2) does not inherit O_NONBLOCK or FD_CLOEXEC
                assert conn.type == rs.SOCK_STREAM and not rs.fcntl(conn.fileno(), rs.F_GETFL) & rs.O_NONBLOCK
                assert repr(conn).endswith("family=AF_INET type=SOCK_STREAM proto=0>")
            conn2, _ = lst.accept4(rs.SOCK_CLOEXEC)
            with conn2:
                assert conn2.type == rs.SOCK_STREAM | rs.SOCK_CLOEXEC
                assert "type=SOCK_STREAM|SOCK_CLOEXEC" in repr(conn2)
    assert "type=SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC" in repr(lst)


def test_to_socket_tells_the_standard_library_the_real_blocking_mode() -> None:
    with rs.Socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK) as lst:
        lst.bind(rs.SockaddrIn("127.0.0.1", 0))
        lst.listen(4)
        client = stdlib.create_connection(lst.getsockname())
        with client:
            time.sleep(0.01)
            conn, _ = lst.accept()  # blocking, though the listener's type says SOCK_NONBLOCK
            blocking = conn.to_socket()
            with blocking:
                assert blocking.getblocking() and blocking.gettimeout() is None
                client.send(b"hi")
                assert blocking.recv(2) == b"hi"
        std = lst.to_socket()  # the non-blocking listener
        with std:
            assert not std.getblocking()

    async def main() -> bytes:  # asyncio takes a non-blocking socket whatever type it was created with
        a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM)
        rs.set_nonblocking(b)
        with rs.Socket.from_fd(a, rs.AF_UNIX, rs.SOCK_STREAM) as sa, \
                rs.Socket.from_fd(b, rs.AF_UNIX, rs.SOCK_STREAM).to_socket() as sb:
            sa.send(b"async")
            return await asyncio.get_running_loop().sock_recv(sb, 16)

    assert asyncio.run(main()) == b"async"


def test_a_108_byte_unix_path_decodes_as_a_path(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    directory = str(tmp_path)
    path = os.path.join(directory, "p" * (108 - len(directory) - 1))
    assert len(path) == 108
    fd = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(fd, path)
    assert rs.getsockname(fd) == rs.SockaddrUn(path)  # the kernel's addrlen is 111, its NUL included


def test_bytes_are_an_af_unix_path_as_in_the_standard_library(fds: Fds, tmp_path: os.PathLike[str]) -> None:
    a = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    b = fds(rs.socket(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.bind(a, os.fsencode(os.path.join(tmp_path, "a")))
    rs.bind(b, b"\0rawsock-bytes-%d" % os.getpid())
    where = rs.getsockname(b)
    assert isinstance(where, rs.SockaddrUn)
    assert rs.sendto(a, b"x", 0, where.path) == 1  # an address's own .path passed back
    assert rs.recvfrom(b, 4) == (b"x", rs.SockaddrUn(os.path.join(tmp_path, "a")))


def test_argument_errors_name_the_argument(unix_pair: tuple[int, int]) -> None:
    a, _ = unix_pair
    with pytest.raises(TypeError, match=r"sendto\(\) argument 'addr': port must be an int, not str"):
        rs.sendto(a, b"x", 0, ("127.0.0.1", "80"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"select\(\) argument 'rlist': entries must be ints or have a fileno"):
        rs.select([None], [], [], 0)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"sendmsg\(\) argument 'ancdata': a control message is a typed value or a "
                                        r"\(level, type, data\) triple"):
        rs.sendmsg(a, [b"x"], [(1, 2)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"recv\(\) argument 'bufsize': a size cannot be negative \(-1\)"):
        rs.recv(a, -1)
    with pytest.raises(TypeError, match=r"send\(\) argument 'fd': must be an integer, not float"):
        rs.send(1.5, b"x")  # type: ignore[arg-type]
    with pytest.raises(OverflowError, match=r"send\(\) argument 'fd'"):
        rs.send(2**31, b"x")


def test_a_shutdown_and_close_from_another_thread_ends_a_blocked_call(unix_pair: tuple[int, int]) -> None:
    a, b = unix_pair
    dup = os.dup(b)
    threading.Timer(0.05, lambda: (rs.shutdown(dup, rs.SHUT_RDWR), os.close(dup))).start()
    assert rs.recv(b, 4) == b""
    del a


# --- found in review: fds the kernel made for a call whose result could not be built ----------------------------

def _at_recursion_limit(call: Callable[[], object]) -> list[str]:
    """Runs ``call`` ever less deep below the recursion limit until it succeeds: each outcome in order."""
    def deep(n: int) -> object:
        return deep(n - 1) if n else call()

    outcomes = []
    for depth in range(sys.getrecursionlimit(), sys.getrecursionlimit() - 300, -1):
        try:
            result = deep(depth)
        except RecursionError:
            outcomes.append("RecursionError")
            continue
        outcomes.append("ok")
        for fd in (result.fds if isinstance(result, rs.ScmRights) else [result[0]]):  # type: ignore[index]
            rs.close(fd)
        break
    return outcomes


def test_accept_closes_the_new_fd_when_its_result_cannot_be_built(fds: Fds) -> None:
    """CPython's sock_accept closes the new fd when building its result fails; so does rawsock's engine (the
    peer address's decoding is a Python call, which fails with RecursionError at the limit)."""
    lst = fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM))
    rs.bind(lst, ("127.0.0.1", 0))
    rs.listen(lst, 300)
    clients = [fds(rs.socket(rs.AF_INET, rs.SOCK_STREAM)) for _ in range(200)]
    for c in clients:
        rs.connect(c, rs.getsockname(lst))
    before = _open_fds()
    outcomes = _at_recursion_limit(lambda: rs.accept(lst))
    assert outcomes[-1] == "ok" and "RecursionError" in outcomes, outcomes
    assert _open_fds() == before
    # the connections accepted on the failing calls were closed by rawsock: their clients see the end of file
    closed = [c for c in clients if rs.poll([(c, rs.POLLIN)], 0) and rs.recv(c, 1, rs.MSG_DONTWAIT) == b""]
    assert len(closed) >= 2, outcomes  # at least one RecursionError after the syscall, and the one that worked


def test_recvmsg_closes_the_fds_that_arrived_when_its_result_cannot_be_built(fds: Fds) -> None:
    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
    r, w = os.pipe()
    try:
        for _ in range(60):  # each byte carries two fds; a receive at the limit consumes one
            rs.sendmsg(a, [b"x"], [rs.ScmRights([r, w])])
        before = _open_fds()
        outcomes = _at_recursion_limit(lambda: rs.recvmsg(b, 1, rs.CMSG_SPACE(8)).cmsgs[0])
        assert outcomes[-1] == "ok" and "RecursionError" in outcomes, outcomes
        assert _open_fds() == before
    finally:
        os.close(r)
        os.close(w)


# --- found in review: the engine's C --------------------------------------------------------------------------

def _debug_malloc(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a child with CPython's debug allocator, which aborts on a use-after-free or an overrun."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONMALLOC="debug", RAWSOCK_TRACE="0"))


def test_an_out_of_range_index_result_is_named_before_it_is_released() -> None:
    """The OverflowError's message showed the int __index__ made after releasing it (PYTHONMALLOC=debug: a crash)."""
    run = _debug_malloc("""
        import rawsock as rs
        class J(int):
            pass
        for _ in range(50):
            try:
                rs.close(J(2**70))
            except OverflowError as e:
                message = str(e)
        print(message)
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"close() argument 'fd': {2**70} is outside -2147483648..2147483647"


def test_an_unknown_ioctl_request_gets_room_for_what_the_kernel_writes(fds: Fds) -> None:
    """SIOCGIFMAP (unknown to rawsock) writes a whole 40-byte ifreq: a 3-byte argument was handed to the kernel
    as it was (a writable one by address, bytes copied into 3 bytes), and the kernel wrote past it."""
    s = fds(rs.socket(rs.AF_INET, rs.SOCK_DGRAM))
    big = bytearray(b"\xaa" * 64)
    big[:3] = b"lo\0"
    assert rs.ioctl(s, 0x8970, memoryview(big)[:3]) == 0  # copied in and back: the kernel wrote 40 bytes
    assert big == b"lo\0" + b"\xaa" * 61
    assert {rs.ioctl(s, 0x8970, b"lo\0") for _ in range(300)} == {b"lo\0"}  # bytes: as many as were given
    assert errno_of(lambda: rs.ioctl(s, 0x8970, bytearray(1024))) == errno.ENODEV  # big enough: by address


def test_fcntl_int_commands_take_ints_only(fds: Fds) -> None:
    a, _ = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM))
    with pytest.raises(TypeError, match=r"^fcntl\(\) argument 'arg': F_SETFL takes an int, not bytearray$"):
        rs.fcntl(a, rs.F_SETFL, bytearray(4))  # type: ignore[arg-type]  # was passed as a pointer for flags


class _Interrupted(Exception):
    pass


@pytest.mark.parametrize("traced", [False, True])
def test_a_signal_handlers_exception_is_the_calls_with_tracing_on_or_off(alarm: Alarm, unix_pair: tuple[int, int],
                                                                          traced: bool) -> None:
    """The trace hook is Python code: it used to run the pending handler itself and report its exception as
    unraisable, then InterruptedError was raised.  Now the handler runs first, as untraced."""
    import io

    def interrupt() -> None:
        raise _Interrupted

    out = io.StringIO()
    alarm.arm(0.05, interrupt)
    with pytest.raises(_Interrupted), (rs.trace(out) if traced else _nothing()):
        rs.recv(unix_pair[0], 1)  # blocks until SIGALRM
    assert alarm.fired == 1
    if traced:
        assert out.getvalue().startswith(f"{main_prefix()}recvfrom({unix_pair[0]}, ") and "EINTR" in out.getvalue()


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_recvmmsg_items_are_what_their_class_makes(fds: Fds) -> None:
    """RecvMmsg items are made by tuple's own constructor, as RecvMmsg(...) makes them (tp_alloc alone skipped
    the set-up newer CPythons do there, such as 3.14's cached hash)."""
    import pickle

    a, b = fds.pair(rs.socketpair(rs.AF_UNIX, rs.SOCK_DGRAM))
    rs.send(a, b"one")
    rs.send(a, b"two")
    got = rs.recvmmsg(b, 2, 16, rs.MSG_DONTWAIT)
    assert [type(m) for m in got] == [rs.RecvMmsg, rs.RecvMmsg]
    for m, data in zip(got, (b"one", b"two")):
        assert m == rs.RecvMmsg(data, None, 0, []) and m == tuple(m) and pickle.loads(pickle.dumps(m)) == m
        assert hash(m[:3]) == hash((data, None, 0))


def test_a_poll_entry_of_the_wrong_length_is_named(unix_pair: tuple[int, int]) -> None:
    with pytest.raises(TypeError,
                       match=r"^poll\(\) argument 'fds': entry 0 must be an \(fd, events\) pair, not 3 items$"):
        rs.poll([[unix_pair[0], rs.POLLIN, 0]], 0)  # type: ignore[list-item]


def test_every_typed_ioctl_request_gets_at_least_the_size_its_number_encodes() -> None:
    # Where a 64-bit time_t makes SIOCGSTAMP the number of SIOCGSTAMP_NEW (32-bit systems), the kernel writes 16
    # bytes: a request is never given less than the size its number encodes (_IOC_SIZE), whatever its row says.
    from rawsock import _ioctl

    sizes = {name: (number, _ioctl._size(request, number), _ioctl.ioc_size(number))
             for number, request in _ioctl.REQUESTS.items() for name in [request.name]}
    assert all(given >= encoded for _, given, encoded in sizes.values()), sizes
    assert sizes["SIOCGSTAMP_NEW"][1:] == (16, 16) and sizes["SIOCGSTAMPNS_NEW"][1:] == (16, 16)
    assert _ioctl.REQUESTS[rs.SIOCGSTAMP].kind == ("timeval64" if rs.SIOCGSTAMP == rs.SIOCGSTAMP_NEW else "timeval")
