"""The fuzz smoke test: every public call and Socket method with hostile arguments, seeded, in child processes.

    python tests/fuzz_smoke.py [--seed N] [--calls N] [--workers N]

Each worker is a child process in a network namespace of its own (loopback up), so nothing it does (an
interface renamed, a firewall-free connect) reaches the host.  It makes its share of the calls, drawing each
argument from the call's description (rawsock._calls): fds from a pool (sockets of every kind, pipes, an epoll
fd, /dev/null) plus closed, negative and huge ones; flags, sizes and lengths at their boundaries; buffers of
every kind (read-only, released and non-contiguous memoryviews, arrays, objects that are none of these);
addresses typed, malformed, and raw bytes of every length 0..200 with mismatched addrlen; control-message junk;
signal sets with invalid signals; and hostile objects: an ``__index__`` that raises, lists mutated from
``__index__``, ``__hash__`` and ``__contains__`` while rawsock reads them.  A second thread closes pool fds at
random, and an interval timer interrupts any call that blocks.

A worker fails on: an exception other than OSError, TypeError, ValueError or OverflowError (MemoryError only
for a size no process could allocate); a crash or a hang (the parent sees the child's status); an fd left open
once it closed every fd the calls gave it.  The parent prints the seed and the counts, and exits 1 on any
failure; rerun with the same seed and worker count to reproduce one.
"""

from __future__ import annotations

import argparse
import array
import ctypes
import faulthandler
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any, Callable

ALLOWED = (OSError, TypeError, ValueError, OverflowError)
HUGE = 2**30  # a size at or above this may fail with MemoryError (the worker's address space is limited)
SIZES = [0, 1, 2, 3, 4, 7, 8, 15, 16, 28, 64, 100, 110, 111, 127, 128, 129, 256, 4096, 65535, 65536, 2**31 - 1,
         2**31, 2**32, 2**32 + 1, 2**40, 2**63 - 1, 2**63, 2**64, -1, -2, -(2**31), -(2**63), -(2**64)]


class Hostile(ValueError):
    """What the hostile objects raise: allowed, so that only rawsock's own mistakes count."""


class RaisingIndex:
    def __index__(self) -> int:
        raise Hostile("__index__ raised")


class MutatingIndex:
    """An int whose __index__ empties, then refills with junk, the list it was found in."""

    def __init__(self, value: int, victim: list[Any]) -> None:
        self.value, self.victim = value, victim

    def __index__(self) -> int:
        junk = list(self.victim[:3]) * 50
        self.victim.clear()
        self.victim.extend(junk)
        return self.value


class MutatingHost(str):
    """An IPv4 host whose ``in`` test (rawsock's encoder asks it for ':') grows a list."""

    victim: list[Any]

    def __contains__(self, item: object) -> bool:
        self.victim.extend([b"grown"] * 40)
        return super().__contains__(item)  # type: ignore[operator]


class MutatingHash:
    """Hashes (as an address, or a cache key) while emptying a list."""

    def __init__(self, victim: list[Any]) -> None:
        self.victim = victim

    def __hash__(self) -> int:
        self.victim.clear()
        return 1


class FileNo:
    def __init__(self, fd: Any) -> None:
        self.fd = fd

    def fileno(self) -> Any:
        return self.fd


_ISOLATED = False  # set by worker_main once this process has a network namespace and a directory of its own


class Worker:
    def __init__(self, seed: int) -> None:
        import rawsock

        assert _ISOLATED, "run workers through worker_main: the calls reconfigure interfaces and bind paths"
        self.rs = rawsock
        self.r = random.Random(seed)
        self.lock = threading.Lock()
        self.pool: list[int] = []
        self.stats: Counter[str] = Counter()
        self.huge = False
        self.sizes: list[Any] = []
        self.failures: list[str] = []
        self.calls = self._calls()

    # --- the fd pool --------------------------------------------------------------------------------------

    def add(self, fd: object) -> None:
        if isinstance(fd, int) and fd > 2:
            with self.lock:
                self.pool.append(fd)

    def add_nonblocking(self, fd: object) -> None:
        """A new fd that may be blocking (accept's, pipe's): the pool holds only fds no call can block on."""
        if isinstance(fd, int) and fd > 2:
            try:
                os.set_blocking(fd, False)
            except OSError:
                pass
            self.add(fd)

    def refill(self) -> None:
        rs = self.rs
        kinds = [(rs.AF_INET, rs.SOCK_STREAM), (rs.AF_INET, rs.SOCK_DGRAM), (rs.AF_INET6, rs.SOCK_STREAM),
                 (rs.AF_INET6, rs.SOCK_DGRAM), (rs.AF_UNIX, rs.SOCK_STREAM), (rs.AF_UNIX, rs.SOCK_DGRAM),
                 (rs.AF_UNIX, rs.SOCK_SEQPACKET), (rs.AF_NETLINK, rs.SOCK_RAW), (rs.AF_INET, rs.SOCK_RAW),
                 (rs.AF_PACKET, rs.SOCK_DGRAM)]
        for family, type_ in kinds:
            try:
                self.add(rs.socket(family, type_ | rs.SOCK_NONBLOCK))
            except OSError:
                pass
        for type_ in (rs.SOCK_STREAM, rs.SOCK_DGRAM):
            a, b = rs.socketpair(rs.AF_UNIX, type_ | rs.SOCK_NONBLOCK)
            self.add(a)
            self.add(b)
        r, w = os.pipe2(os.O_NONBLOCK)
        self.add(r)
        self.add(w)
        self.add(os.open("/dev/null", os.O_RDWR))
        libc = ctypes.CDLL(None, use_errno=True)
        self.add(libc.epoll_create1(0))
        listener = rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK)
        self.add(listener)
        try:
            rs.bind(listener, rs.SockaddrIn("127.0.0.1", 0))
            rs.listen(listener, 8)
            self.port = rs.getsockname(listener).port  # type: ignore[union-attr]
            client = rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK)
            self.add(client)
            try:
                rs.connect(client, rs.SockaddrIn("127.0.0.1", self.port))
            except BlockingIOError:
                pass
        except OSError:
            self.port = 9

    def close_all(self) -> None:
        with self.lock:
            pool, self.pool = self.pool, []
        for fd in set(pool):
            try:
                os.close(fd)
            except OSError:
                pass

    def fd(self) -> Any:
        r = self.r.random()
        with self.lock:
            pool = list(self.pool)
        if pool and r < 0.85:
            return self.r.choice(pool)
        return self.r.choice([-1, -(2**31), 2**31 - 1, 2**31, 100000, 9999, RaisingIndex(), "3", 3.0, None, 2**64,
                              FileNo(3)])

    # --- values ------------------------------------------------------------------------------------------------

    def size(self) -> Any:
        r = self.r.random()
        if r < 0.6:
            value: Any = self.r.choice(SIZES[:20])
        elif r < 0.9:
            value = self.r.choice(SIZES)
        else:
            value = self.r.choice([RaisingIndex(), None, "8", 8.5, b"8", [], -0.0])
        self.sizes.append(value)
        if isinstance(value, int) and abs(value) >= HUGE:
            self.huge = True  # a MemoryError is this size's, and allowed
        return value

    def flags(self) -> Any:
        rs = self.rs
        r = self.r.random()
        if r < 0.3:
            return 0
        if r < 0.7:
            return self.r.choice([rs.MSG_DONTWAIT, rs.MSG_PEEK, rs.MSG_TRUNC, rs.MSG_OOB, rs.MSG_WAITALL,
                                  rs.MSG_ERRQUEUE, rs.MSG_NOSIGNAL, rs.MSG_CMSG_CLOEXEC]) | rs.MSG_DONTWAIT
        if r < 0.95:
            return self.r.choice([self.r.getrandbits(32) | int(rs.MSG_DONTWAIT), -1, 2**32 - 1, 2**32, -(2**31) - 1])
        return self.r.choice([RaisingIndex(), "0", None, 1.0])

    def pointer(self) -> Any:
        """BADPTR or NULL, for a pointer argument."""
        return self.rs.BADPTR if self.r.random() < 0.6 else self.rs.NULL

    def maybe_pointer(self, value: Any, p: float = 0.05) -> Any:
        """``value``, or now and then BADPTR or NULL instead."""
        return self.pointer() if self.r.random() < p else value

    def length(self) -> Any:
        """A length that goes with a pointer: None, or an int of any size and sign."""
        return self.r.choice([None, 0, 1, 2, 3, 16, 128, 1024, 1025, -1, 2**31 - 1, 2**31, 2**32 - 1, 2**32 + 1,
                              2**32 + 3, 2**32 + 2000, -(2**32) + 3, 2**63 - 1, -(2**63), RaisingIndex()])

    def integer(self) -> Any:
        r = self.r.random()
        if r < 0.85:
            return self.r.choice([0, 1, 2, 3, 6, 10, 17, 41, 255, 256, 65535, self.r.getrandbits(16),
                                  self.r.getrandbits(31), -1, 2**31 - 1, -(2**31)])
        return self.r.choice([2**31, 2**64, RaisingIndex(), "1", 1.5, None])

    def buffer(self, writable: bool = False) -> Any:
        n = self.r.choice([0, 1, 3, 16, 100, 1000, 65536])
        r = self.r.random()
        if r < 0.05:
            return self.pointer()
        if r < 0.3:
            return bytearray(n)
        if r < 0.5:
            return bytes(self.r.getrandbits(8) for _ in range(min(n, 64))) * (n // 64 + 1)
        if r < 0.6:
            return memoryview(bytearray(n))[::2]  # not contiguous
        if r < 0.7:
            view = memoryview(bytearray(n))
            view.release()
            return view
        if r < 0.75:
            return memoryview(b"x" * n)  # read-only
        if r < 0.85:
            return array.array("i", range(n // 4))
        return self.r.choice([None, 42, "text", [b"x"], object(), RaisingIndex()])

    def buffers(self, writable: bool = False) -> Any:
        r = self.r.random()
        if r < 0.2:
            return self.buffer(writable)
        items: list[Any] = [self.buffer(writable) if self.r.random() < 0.8 else bytearray(8)
                            for _ in range(self.r.choice([0, 1, 2, 3, 8] * 20 + [1025]))]
        if r < 0.25 and items:  # an iovec given as (pointer, length)
            items[0] = (self.pointer(), self.r.choice([0, 1, 100, -1, 2**63, 2**64 - 1]))
        if r < 0.3 and items:
            items.append(MutatingIndex(1, items))
        if r < 0.35:
            return (b for b in items)
        return items if r < 0.9 else tuple(items)

    def address(self) -> Any:
        rs = self.rs
        port = getattr(self, "port", 9)
        r = self.r.random()
        if r < 0.03:
            return self.pointer()
        if r < 0.25:
            return self.r.choice([rs.SockaddrIn("127.0.0.1", port), rs.SockaddrIn6("::1", port),
                                  rs.SockaddrIn("0.0.0.0", 0), rs.SockaddrIn6("", 0), rs.SockaddrUnspec(),
                                  ("127.0.0.1", port), ("::1", port, 0, 0)])
        if r < 0.4:
            raw = bytes(self.r.getrandbits(8) for _ in range(self.r.randint(0, 200)))
            return rs.RawSockaddr.from_bytes(raw)
        if r < 0.5:
            n = self.r.randint(0, 120)
            path = "\0" * (self.r.random() < 0.5) + "p" * n
            return path if self.r.random() < 0.5 else path.encode()
        if r < 0.55:
            return self.r.choice([rs.SockaddrLl(1, rs.ETH_P_IP), rs.SockaddrLl(self.r.getrandbits(31), 0, 1, 2, 9,
                                                                               b"\1" * 8),
                                  rs.SockaddrLl(-1, 2**16), rs.SockaddrLl(1, addr=bytes(9)), rs.SockaddrNl(0, 1),
                                  rs.SockaddrNl(2**32, 0), rs.SockaddrVm(rs.VMADDR_CID_ANY, 1234),
                                  rs.SockaddrVm(2, 80, 256), rs.SockaddrLl(1, addr="str")])  # type: ignore[arg-type]
        if r < 0.6:
            victim: list[Any] = [b"x"]
            host = MutatingHost("127.0.0.1")
            host.victim = victim
            return (host, port)
        return self.r.choice([("", 80), ("localhost", 80), ("127.0.0.1", "80"), ("127.0.0.1", -1),
                              ("127.0.0.1", 2**16), (1, 2), (), ("::1", 1, 2**32, 0), 42, None, bytearray(b"ab"),
                              rs.SockaddrIn("1.2.3", 0), rs.RawSockaddr(2**16, b""), MutatingHash([])])

    def addrlen(self) -> Any:
        return None if self.r.random() < 0.6 else self.size()

    def ancdata(self) -> Any:
        rs = self.rs
        r = self.r.random()
        if r < 0.4:
            return ()
        items: list[Any] = []
        for _ in range(self.r.choice([1, 2, 5])):
            items.append(self.r.choice([
                rs.ScmRights([self.fd() if isinstance(self.fd(), int) else 0]), rs.ScmRights([]),
                rs.ScmCredentials(os.getpid(), 0, 0), rs.ScmCredentials(-1, -1, -1), rs.IpTtl(64), rs.IpTos(2**40),
                rs.Timestamp(0, 0), rs.Cmsg(1, 2, b"junk"), (rs.SOL_SOCKET, rs.SCM_RIGHTS, b"\x01\x02\x03"),
                (1, 2), (1, 2, 3), (2**40, 1, b""), rs.SockExtendedErr(0, 0, 0, 0, 0, 0, None), None, b"raw",
                rs.InPktinfo(1, "127.0.0.1", "x"), rs.In6Pktinfo("::1", 1)]))
        if r < 0.5:
            items.append(MutatingIndex(0, items))
        return items if r < 0.9 else self.r.choice([42, self.rs.BADPTR, self.rs.NULL])

    def timeout(self) -> Any:
        rs = self.rs
        return self.r.choice([None, 0, 0.0, 0.001, 0.002, -1, -0.5, rs.Timeval(0, 1000), rs.Timespec(0, 1000),
                              rs.Timeval(-1, 0), rs.Timespec(0, 10**9), rs.Timespec(2**62, 0), float("nan"),
                              float("inf"), 1e300, "1", RaisingIndex(), rs.Timeval(0, 2**63), rs.BADPTR, rs.NULL])

    def sigmask(self) -> Any:
        # never SIGALRM: the interval timer that interrupts blocked calls must get through
        every = [s for s in range(1, 65) if s != signal.SIGALRM]
        return self.r.choice([None, [], [signal.SIGUSR1], [0], [32], [33], [64], [65], [-1], [2**40], ["x"], 5,
                              every, [0, signal.SIGUSR1], self.rs.BADPTR, self.rs.NULL])

    def fdlist(self) -> Any:
        r = self.r.random()
        if r < 0.2:
            return None
        if r < 0.23:
            return self.pointer()
        items: list[Any] = [self.fd() if self.r.random() < 0.9 else FileNo(self.fd()) for _ in
                            range(self.r.choice([0, 1, 2, 5]))]
        for item in items:  # select's bitmaps are sized to the highest fd
            fd = item.fd if isinstance(item, FileNo) else item
            self.huge_if(fd if isinstance(fd, int) else 0)
        if r < 0.25:
            items.append(self.r.choice([-1, 1 << 20, None, FileNo("x")]))
        if r < 0.3 and items:
            items.append(MutatingIndex(3, items))
        return items

    def pollfds(self) -> Any:
        rs = self.rs
        r = self.r.random()
        items: list[Any] = [(self.fd(), self.r.choice([rs.POLLIN, rs.POLLOUT, rs.POLLIN | rs.POLLPRI, 0, 0xFFFF,
                                                        -1, 1 << 20]))
                            for _ in range(self.r.choice([0, 1, 3, 10]))]
        if r < 0.1 and items:
            items.append((MutatingIndex(3, items), rs.POLLIN))
        elif r < 0.15:
            items.append([3, rs.POLLIN])
        elif r < 0.2:
            items.append(3)
        if r > 0.95:
            return self.pointer()
        return items if r < 0.9 else (p for p in items)

    def option(self) -> tuple[Any, Any]:
        rs = self.rs
        if self.r.random() < 0.8:
            level, optname = self.r.choice(list(rs.OPTIONS))
            return level, optname
        return self.integer(), self.integer()

    def option_value(self) -> Any:
        rs = self.rs
        return self.r.choice([0, 1, -1, 2**31, 2**64, rs.Linger(1, 0), rs.Linger(2**40, 0), rs.Timeval(0, 100),
                              rs.Timeval(-1, -1), 0.5, float("nan"), "reno", "bbr", "x" * 100, b"", b"\1\0\0\0",
                              bytes(200), bytearray(4), memoryview(b"abcd"), rs.Ucred(1, 2, 3), None, [1], True,
                              rs.BADPTR, rs.NULL])

    def fcntl_arg(self) -> Any:
        rs = self.rs
        return self.r.choice([0, 1, 100, -1, 2**31, rs.O_NONBLOCK, rs.FD_CLOEXEC, rs.Flock(rs.F_RDLCK),
                              rs.Flock(rs.F_WRLCK, 0, 0, 2**70), rs.FOwnerEx(rs.F_OWNER_PID, os.getpid()), b"",
                              bytes(64), bytearray(1), bytearray(64), None, "x", RaisingIndex()])

    def ioctl_request(self) -> Any:
        rs = self.rs
        return self.r.choice([*rs._ioctl.REQUESTS, rs.FIONREAD, rs.SIOCOUTQ, 0x12345678, rs.SIOCDEVPRIVATE, 0, -1,
                              2**64 - 1, RaisingIndex()])

    def ioctl_arg(self) -> Any:
        rs = self.rs
        return self.r.choice([0, 1, 12345, -1, "lo", "nosuch", "x" * 20, rs.Ifreq("lo"), rs.Ifreq("", 1),
                              rs.Ifreq("lo", rs.SockaddrIn("127.0.0.1", 0)), rs.Ifreq("lo", "newname"), bytes(40),
                              bytes(2), bytearray(1), bytearray(64), None, 1.5, rs.BADPTR, rs.NULL])

    def messages(self) -> Any:
        port = getattr(self, "port", 9)
        items: list[Any] = []
        for _ in range(self.r.choice([0, 1, 2, 8] * 5 + [70])):
            shape = self.r.random()
            if shape < 0.4:
                items.append(self.buffer())
            elif shape < 0.8:
                items.append((self.buffers(), self.address() if self.r.random() < 0.5 else None))
            else:
                items.append(self.r.choice([(b"x",), (b"x", None, 3), None, 42]))
        if items and self.r.random() < 0.2:
            victim: list[Any] = [b"x"]
            host = MutatingHost("127.0.0.1")
            host.victim = victim
            items.insert(0, ([b"first"], (host, port)))
            items.append((victim, None))
        return items

    # --- the calls --------------------------------------------------------------------------------------------

    def _calls(self) -> dict[str, Callable[[], Any]]:
        rs = self.rs
        g = self
        families = [rs.AF_INET, rs.AF_INET6, rs.AF_UNIX, rs.AF_NETLINK, rs.AF_PACKET, 0, -1, 9999, RaisingIndex()]
        types = [rs.SOCK_STREAM, rs.SOCK_DGRAM, rs.SOCK_RAW, rs.SOCK_SEQPACKET, 999, -1]
        calls: dict[str, Callable[[], Any]] = {
            "socket": lambda: g.add(rs.socket(g.r.choice(families), g.r.choice(types) | rs.SOCK_NONBLOCK,
                                              g.integer() if g.r.random() < 0.3 else 0)),
            "socketpair": lambda: [g.add(fd) for fd in rs.socketpair(g.r.choice(families),
                                                                     g.r.choice(types) | rs.SOCK_NONBLOCK, 0,
                                                                     sv=g.maybe_pointer(None))],
            "bind": lambda: rs.bind(g.fd(), g.address(), g.addrlen()),
            "listen": lambda: rs.listen(g.fd(), g.integer()),
            "accept": lambda: g.add_nonblocking(rs.accept(g.fd(), addr=g.maybe_pointer(None, 0.2),
                                                          addrlen=g.maybe_pointer(g.length(), 0.2))[0]),
            "accept4": lambda: g.add_nonblocking(rs.accept4(g.fd(), g.r.choice([0, rs.SOCK_NONBLOCK, rs.SOCK_CLOEXEC,
                                                                                 -1]))[0]),
            "connect": lambda: rs.connect(g.fd(), g.address(), g.addrlen()),
            "shutdown": lambda: rs.shutdown(g.fd(), g.r.choice([0, 1, 2, 3, -1])),
            "getsockname": lambda: rs.getsockname(g.fd(), addr=g.maybe_pointer(None, 0.2),
                                                  addrlen=g.maybe_pointer(g.length(), 0.2)),
            "getpeername": lambda: rs.getpeername(g.fd(), addr=g.maybe_pointer(None, 0.2),
                                                  addrlen=g.maybe_pointer(g.length(), 0.2)),
            "send": lambda: rs.send(g.fd(), g.buffer(), g.flags(), nbytes=g.length() if g.r.random() < 0.2 else None),
            "sendto": lambda: rs.sendto(g.fd(), g.buffer(), g.flags(), g.address(), g.addrlen()),
            "recv": lambda: rs.recv(g.fd(), g.size(), g.flags()),
            "recv_into": lambda: rs.recv_into(g.fd(), g.buffer(True), g.size(), g.flags()),
            "recvfrom": lambda: rs.recvfrom(g.fd(), g.size(), g.flags()),
            "recvfrom_into": lambda: rs.recvfrom_into(g.fd(), g.buffer(True), g.size(), g.flags()),
            "sendmsg": lambda: rs.sendmsg(g.fd(), g.maybe_pointer(g.buffers()), g.ancdata(),
                                          g.flags(), g.address() if g.r.random() < 0.5 else None,
                                          **g.msg_lengths(("iovlen", "controllen", "namelen"))),
            "recvmsg": lambda: g.received(rs.recvmsg(g.fd(), g.size(), g.size(), g.flags(),
                                                     **g.msg_lengths(("iovlen", "namelen"), out=True))),
            "recvmsg_into": lambda: g.received(rs.recvmsg_into(g.fd(), g.maybe_pointer(g.buffers(True)), g.size(),
                                                               g.flags(), **g.msg_lengths(("iovlen",), out=True))),
            "sendmmsg": lambda: rs.sendmmsg(g.fd(), g.maybe_pointer(g.messages()), g.flags(),
                                            vlen=g.length() if g.r.random() < 0.2 else None),
            "recvmmsg": lambda: g.recvmmsg(),
            "getsockopt": lambda: rs.getsockopt(g.fd(), *g.option(), g.r.choice([None, None, 0, 4, 64, 4096,
                                                                                 -1, 2**31]),
                                                optval=g.maybe_pointer(None, 0.1), optlen=g.maybe_pointer(None, 0.1),
                                                value=g.zerocopy() if g.r.random() < 0.1 else None),
            "setsockopt": lambda: rs.setsockopt(g.fd(), *g.option(), g.option_value(), g.addrlen()),
            "fcntl": lambda: g.fcntl(),
            "close": lambda: rs.close(g.fd()),
            "ioctl": lambda: g.ioctl(),
            "sockatmark": lambda: rs.sockatmark(g.fd()),
            "select": lambda: rs.select(g.fdlist(), g.fdlist(), g.fdlist(), g.timeout(),
                                        nfds=g.huge_if(g.r.choice([None, None, 0, 1, 64, -1, 2**31 - 1, 2**31]))),
            "pselect": lambda: rs.pselect(g.fdlist(), g.fdlist(), g.fdlist(), g.timeout(), g.sigmask(),
                                          nfds=g.r.choice([None, None, 0, 1, 64, -1])),
            "poll": lambda: rs.poll(g.pollfds(), g.r.choice([0, 0, 1, 0.5, -0.5, None, 2**31, float("nan"), "1"]),
                                    nfds=g.length() if g.r.random() < 0.2 else None),
            "ppoll": lambda: rs.ppoll(g.pollfds(), g.timeout(), g.sigmask(),
                                      nfds=g.length() if g.r.random() < 0.2 else None),
            "send_fds": lambda: rs.send_fds(g.fd(), g.buffers(), [g.fd() for _ in range(g.r.choice([0, 1, 3]))],
                                            g.flags()),
            "recv_fds": lambda: g.received_fds(rs.recv_fds(g.fd(), g.size(), g.r.choice([0, 1, 4, -1, 2**40]),
                                                           g.flags())),
            # (never off for a pool fd: read, write and the others have no MSG_DONTWAIT, and would block)
            "set_nonblocking": lambda: rs.set_nonblocking(*g.r.choice([(g.fd(), True), (-1, False), (2**31, False)])),
            "CMSG_SPACE": lambda: rs.CMSG_SPACE(g.size()),
            "CMSG_LEN": lambda: rs.CMSG_LEN(g.size()),
            "inet_pton": lambda: rs.inet_pton(g.r.choice(families), g.r.choice(["1.2.3.4", "::1", "x", "", "1" * 100,
                                                                                 b"1.2.3.4", None])),
            "inet_ntop": lambda: rs.inet_ntop(g.r.choice(families), g.buffer()),
            "read": lambda: rs.read(g.fd(), g.size()),
            "read_into": lambda: rs.read_into(g.fd(), g.buffer(True), g.size()),
            "write": lambda: rs.write(g.fd(), g.buffer(), nbytes=g.length() if g.r.random() < 0.2 else None),
            "readv": lambda: rs.readv(g.fd(), g.maybe_pointer(g.buffers(True)),
                                      iovcnt=g.length() if g.r.random() < 0.2 else None),
            "writev": lambda: rs.writev(g.fd(), g.maybe_pointer(g.buffers()),
                                        iovcnt=g.length() if g.r.random() < 0.2 else None),
            "pipe": lambda: [g.add_nonblocking(fd) for fd in rs.pipe()],
            "pipe2": lambda: [g.add_nonblocking(fd) for fd in rs.pipe2(g.r.choice([0, rs.O_CLOEXEC, rs.O_DIRECT, -1])
                                                                       | rs.O_NONBLOCK)],
            "dup": lambda: g.add(rs.dup(g.fd())),
            "dup3": lambda: g.add(rs.dup3(g.fd(), g.newfd(), g.r.choice([0, rs.O_CLOEXEC, -1, 2**32]))),
            "sendfile": lambda: rs.sendfile(g.fd(), g.fd(), g.offset(), g.size()),
            "splice": lambda: rs.splice(g.fd(), g.offset(), g.fd(), g.offset(), g.size(),
                                        g.r.choice([0, rs.SPLICE_F_NONBLOCK, -1, 2**32, RaisingIndex()])),
            "epoll_create": lambda: g.add(rs.epoll_create(g.r.choice([1, 0, -1, 2**31 - 1, 2**31, RaisingIndex()]))),
            "epoll_create1": lambda: g.add(rs.epoll_create1(g.r.choice([0, rs.EPOLL_CLOEXEC, 1, -1, None]))),
            "epoll_ctl": lambda: rs.epoll_ctl(g.fd(), g.r.choice([1, 2, 3, 0, 99, -1]), g.fd(), g.epoll_event()),
            "epoll_wait": lambda: rs.epoll_wait(g.fd(), g.maxevents(), g.r.choice([0, 0, 1, 0.5, -0.0, 2**31, "1"])),
            "epoll_pwait": lambda: rs.epoll_pwait(g.fd(), g.maxevents(), g.r.choice([0, 1, 0.5]), g.sigmask()),
            "epoll_pwait2": lambda: rs.epoll_pwait2(g.fd(), g.maxevents(), g.r.choice([0, 0.001, (0, -1), 1e-9,
                                                                                      "x"]), g.sigmask()),
            "Epoll": lambda: g.epoll(),
            "Poller": lambda: g.poller(),
            "Socket": lambda: g.socket_methods(),
        }
        return calls

    def msg_lengths(self, names: tuple[str, ...], out: bool = False) -> dict[str, Any]:
        """Some of a message call's keyword lengths and pointers."""
        kw: dict[str, Any] = {name: self.length() for name in names if self.r.random() < 0.15}
        for name in (("name", "control", "msghdr") if out else ("msghdr",)):
            if self.r.random() < 0.05:
                kw[name] = self.pointer()
        return kw

    def zerocopy(self) -> Any:
        """TCP_ZEROCOPY_RECEIVE's input: fields of any size, buffers of odd lengths, and non-values."""
        rs = self.rs
        return self.r.choice([
            rs.TcpZerocopyReceive(), rs.TcpZerocopyReceive(copybuf_len=self.r.choice([1, 64, 4096, -1, 2**31 - 1])),
            rs.TcpZerocopyReceive(address=self.r.getrandbits(64), length=self.r.getrandbits(32),
                                  msg_controllen=self.r.choice([0, 16, 64, 2**31])),
            rs.TcpZerocopyReceive(length=2**32), rs.TcpZerocopyReceive(copybuf_len=RaisingIndex()), 5, b"raw"])

    def newfd(self) -> Any:
        """dup3's newfd: a pool fd (replaced in place) or one the kernel refuses; never the worker's own files."""
        with self.lock:
            pool = list(self.pool)
        if pool and self.r.random() < 0.8:
            return self.r.choice(pool)
        return self.r.choice([-1, 2**31 - 1, 2**31, RaisingIndex(), None])

    def offset(self) -> Any:
        return self.r.choice([None, None, 0, 1, 4096, -1, 2**63 - 1, 2**63, RaisingIndex(), "0"])

    def maxevents(self) -> Any:
        if self.r.random() < 0.005:  # EP_MAX_EVENTS: 2 GiB allocated for the kernel (rare: slow under ASAN)
            self.huge = True
            return 178956970
        return self.r.choice([1, 4, 64, 0, -1, 2**31 - 1, 2**31, 178956971, RaisingIndex(), None])

    def epoll_event(self) -> Any:
        rs = self.rs
        return self.r.choice([None, rs.EpollEvent(rs.EPOLLIN, 1), (rs.EPOLLOUT | rs.EPOLLET, -1),
                              (self.r.getrandbits(32), self.r.getrandbits(64)), (1,), (1, 2, 3), "ab", 5,
                              (RaisingIndex(), 0), (0, 2**64), [rs.EPOLLIN, 0], rs.BADPTR, rs.NULL])

    def epoll(self) -> None:
        rs = self.rs
        with rs.Epoll(self.r.choice([0, rs.EPOLL_CLOEXEC])) as ep:
            for _ in range(self.r.choice([0, 1, 3])):
                try:
                    ep.register(self.fd(), self.r.choice([rs.EPOLLIN, rs.EPOLLOUT, 0, -1, RaisingIndex()]))
                except ALLOWED:
                    pass
            ep.poll(self.r.choice([0, 0.0005]), self.r.choice([1, 8, 0]))

    def ioctl(self) -> None:
        rs = self.rs
        request, arg = self.ioctl_request(), self.ioctl_arg()
        if request == rs.FIONBIO and arg == 0:  # the pool's fds stay non-blocking (see set_nonblocking)
            arg = 1
        rs.ioctl(self.fd(), request, arg)

    def huge_if(self, value: Any) -> Any:
        if isinstance(value, int) and abs(value) >= 2**24:
            self.huge = True
        return value

    def fcntl(self) -> None:
        rs = self.rs
        cmd = self.r.choice([c for c in rs._fcntl.COMMANDS] + [9999, -1, RaisingIndex()])
        arg = self.fcntl_arg()
        if cmd in (rs.F_SETFL,) and isinstance(arg, int):
            arg &= ~rs.O_ASYNC  # no SIGIO to this process
            arg |= rs.O_NONBLOCK  # the pool's fds stay non-blocking: read and write have no MSG_DONTWAIT
        if cmd in (rs.F_SETOWN, rs.F_SETOWN_EX, rs.F_SETSIG):
            return
        result = rs.fcntl(self.fd(), cmd, arg)
        if cmd in (rs.F_DUPFD, rs.F_DUPFD_CLOEXEC):
            self.add(result)

    def recvmmsg(self) -> None:
        fd, vlen, bufsize, flags, timeout, ancbufsize = (self.fd(), self.size(), self.size(), self.flags(),
                                                         self.timeout(), self.size())
        sizes = (vlen, bufsize, ancbufsize)
        if all(isinstance(n, int) and n >= 0 for n in sizes) and vlen * (256 + bufsize + ancbufsize) >= HUGE:
            self.huge = True  # the kernel may fill all vlen entries: rawsock allocates them all
        msgvec = self.pointer() if self.r.random() < 0.1 else None
        for m in self.rs.recvmmsg(fd, vlen, bufsize, flags, timeout, ancbufsize, msgvec=msgvec):
            self.received(m)

    def received(self, msg: Any) -> None:
        """Adds the fds that arrived through SCM_RIGHTS (RecvMsg and RecvMmsg both have .ancdata)."""
        for level, type_, data in msg.ancdata:
            if (level, type_) == (self.rs.SOL_SOCKET, self.rs.SCM_RIGHTS):
                for i in range(0, len(data) - 3, 4):
                    self.add(int.from_bytes(data[i:i + 4], sys.byteorder, signed=True))

    def received_fds(self, result: Any) -> None:
        for fd in result[1]:
            self.add(fd)

    def poller(self) -> None:
        rs = self.rs
        p = rs.Poller()
        for _ in range(self.r.choice([0, 1, 3])):
            try:
                p.register(self.fd(), self.r.choice([rs.POLLIN, rs.POLLOUT, 0, -1, 1 << 20, RaisingIndex()]))
            except ALLOWED:
                pass
        if self.r.random() < 0.5:
            p.poll(self.r.choice([0, 1, 0.5, None if not len(p) else 0]))
        else:
            p.ppoll(self.timeout(), self.sigmask())

    def socket_methods(self) -> None:
        rs = self.rs
        fd = self.fd()
        if not isinstance(fd, int) or fd < 0:
            return
        s = rs.Socket.from_fd(fd, self.r.choice([rs.AF_INET, rs.AF_INET6, rs.AF_UNIX, None]),
                              self.r.choice([rs.SOCK_STREAM, rs.SOCK_DGRAM, None]), 0)
        try:
            method = self.r.choice(["bind", "connect", "sendto", "send", "recv", "recvfrom", "getsockname",
                                    "sendmsg", "recvmsg", "getsockopt", "fcntl", "ioctl", "sockatmark", "repr"])
            if method == "bind":
                s.bind(self.address(), self.addrlen())
            elif method == "connect":
                s.connect(self.address(), self.addrlen())
            elif method == "sendto":
                s.sendto(self.buffer(), self.flags(), self.address())
            elif method == "send":
                s.send(self.buffer(), self.flags())
            elif method == "recv":
                s.recv(self.size(), self.flags())
            elif method == "recvfrom":
                s.recvfrom(self.size(), self.flags())
            elif method == "getsockname":
                s.getsockname()
            elif method == "sendmsg":
                s.sendmsg(self.buffers(), self.ancdata(), self.flags(), self.address())
            elif method == "recvmsg":
                self.received(s.recvmsg(self.size(), self.size(), self.flags()))
            elif method == "getsockopt":
                s.getsockopt(*self.option())
            elif method == "fcntl":
                s.fcntl(self.rs.F_GETFL)
            elif method == "ioctl":
                s.ioctl(self.ioctl_request(), self.ioctl_arg())
            elif method == "sockatmark":
                s.sockatmark()
            else:
                repr(s)
        finally:
            s.detach()

    # --- running ----------------------------------------------------------------------------------------------

    def closer(self, stop: threading.Event) -> None:
        """Closes pool fds at random while calls use them."""
        while not stop.wait(0.002):
            with self.lock:  # held while closing: the worker's own files (statm) are opened under it too, so a
                # pool number that went stale and was reused for one of them is never closed under the worker
                if len(self.pool) < 8:
                    continue
                fd = self.pool.pop(self.r.randrange(len(self.pool)))
                try:
                    os.close(fd)
                except OSError:
                    pass

    def run(self, ncalls: int) -> dict[str, Any]:
        names = sorted(self.calls)
        before = set(os.listdir("/proc/self/fd"))
        signal.signal(signal.SIGALRM, lambda *a: None)
        signal.signal(signal.SIGIO, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0.003, 0.003)  # any call that blocks is interrupted (EINTR)
        self.refill()
        stop = threading.Event()
        closer = threading.Thread(target=self.closer, args=(stop,), daemon=True)
        closer.start()
        vm_warm = 0
        try:
            for i in range(ncalls):
                if i == ncalls // 10:
                    with self.lock:
                        vm_warm = _vm_size()
                if i % 500 == 0:
                    self.refill()
                name = self.r.choice(names)
                self.stats["calls"] += 1
                self.huge = False
                self.sizes = []
                try:
                    self.calls[name]()
                    self.stats["ok"] += 1
                except MemoryError:
                    self.stats["MemoryError"] += 1
                    if not self.huge:
                        self.failures.append(f"call {i} {name}: MemoryError without a huge size: {self.sizes}")
                except ALLOWED as e:
                    self.stats[type(e).__name__ if not isinstance(e, OSError) else "OSError"] += 1
                except BaseException as e:  # the finding this test exists for
                    self.failures.append(f"call {i} {name}: {type(e).__name__}: {e}")
        finally:
            stop.set()
            closer.join()
            signal.setitimer(signal.ITIMER_REAL, 0)
        self.close_all()
        grown = _vm_size() - vm_warm
        if vm_warm and grown > 256 << 20:  # a size, a buffer or a bitmap never freed
            self.failures.append(f"the address space grew by {grown >> 20} MiB after the first tenth of the calls")
        self.stats["vm_growth_MiB"] = max(0, grown >> 20)
        leaked = sorted(set(os.listdir("/proc/self/fd")) - before)
        leaked = [fd for fd in leaked if os.path.exists(f"/proc/self/fd/{fd}")]
        if leaked:
            self.failures.append(f"fds left open: {[(fd, os.readlink(f'/proc/self/fd/{fd}')) for fd in leaked]}")
        return {"stats": dict(self.stats), "failures": self.failures[:20], "nfailures": len(self.failures)}


def _vm_size() -> int:
    """The process's address space in bytes (/proc/self/statm's first field, in pages)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def worker_main(seed: int, ncalls: int) -> int:
    """One worker: in a network namespace of its own (the calls rename, reconfigure and bring down interfaces)
    and a directory of its own (they bind AF_UNIX paths), never the host's."""
    import resource
    import tempfile

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(0x40000000) != 0:  # CLONE_NEWNET
        print(json.dumps({"skip": f"no network namespace: {os.strerror(ctypes.get_errno())}"}))
        return 0
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True, capture_output=True)
    if "asan" not in os.environ.get("LD_PRELOAD", ""):  # AddressSanitizer needs its address space (its own
        # allocator limits sizes instead: max_allocation_size_mb, allocator_may_return_null in ASAN_OPTIONS)
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a huge size fails with MemoryError, quickly
    faulthandler.enable()
    global _ISOLATED
    _ISOLATED = True
    with tempfile.TemporaryDirectory(prefix="rawsock-fuzz-") as home:
        os.chdir(home)
        result = Worker(seed).run(ncalls)
        os.chdir("/")
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("RAWSOCK_FUZZ_SEED", time.time_ns() % 10**9)))
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds a worker may take")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        return worker_main(args.worker, args.calls)
    per = -(-args.calls // args.workers)
    print(f"fuzz smoke: seed {args.seed}, {per * args.workers} calls in {args.workers} child processes", flush=True)
    start = time.monotonic()
    procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(args.seed * 1000 + i), "--calls", str(per)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(args.workers)]
    total: Counter[str] = Counter()
    problems: list[str] = []
    for i, proc in enumerate(procs):
        try:
            out, err = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            problems.append(f"worker {i} (seed {args.seed * 1000 + i}) hung: {err[-2000:]}")
            continue
        if proc.returncode != 0:
            problems.append(f"worker {i} (seed {args.seed * 1000 + i}) died with status {proc.returncode}:\n"
                            f"{err[-4000:]}")
            continue
        result = json.loads(out.strip().splitlines()[-1])
        if "skip" in result:
            print(f"fuzz smoke: skipped: {result['skip']}")
            return 77
        total.update(result["stats"])
        problems += [f"worker {i} (seed {args.seed * 1000 + i}): {f}" for f in result["failures"]]
    elapsed = time.monotonic() - start
    print(f"fuzz smoke: {total['calls']} calls in {elapsed:.1f} s: " +
          ", ".join(f"{k} {v}" for k, v in sorted(total.items()) if k != "calls"))
    for p in problems:
        print("FAILURE:", p)
    print(f"fuzz smoke: {len(problems)} failures (seed {args.seed}; rerun: python tests/fuzz_smoke.py "
          f"--seed {args.seed} --workers {args.workers} --calls {args.calls})")
    return 1 if problems or total["calls"] < args.calls * 0.99 else 0


if __name__ == "__main__":
    sys.exit(main())
