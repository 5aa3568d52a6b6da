"""Every socket constant the headers define, discovered at build time.

The C preprocessor lists the macros of each group's headers (``cc -E -dM``); the names that match the
group's pattern are then checked by compiling one integer constant expression per name, and only those
that compile are declared to cffi as ``#define NAME ...``.  Values therefore always come from the
compiler, and a constant that some system's headers lack (or define as something that is not an integer)
is simply absent from ``rawsock.lib`` instead of breaking the build.

The same names go into a table in the extension (``rs_constants``), each with the enum of
``rawsock._constants`` it belongs to, in canonical order: ``rawsock`` builds its constants and enums from that
table with one call at import, instead of classifying some thousand names each time.
"""

import os
import re
import shlex
import subprocess
import sysconfig
import tempfile

# Headers an older or smaller system may lack are included only where the compiler has them (their
# constants then drop out instead of breaking the build).
OPTIONAL = ["<linux/can.h>", "<linux/can/raw.h>", "<linux/can/j1939.h>", "<linux/vm_sockets.h>", "<linux/tls.h>"]
INCLUDES = """
#include <poll.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>
""" + "".join(f"#if __has_include({h})\n#include {h}\n#endif\n" for h in OPTIONAL)

TYPES = ""
FUNCTIONS = ""
CUSTOMIZATIONS = ""

# (headers whose macros are listed, pattern a name must match in full)
GROUPS = [
    (["<errno.h>"], r"E[A-Z0-9]+"),
    (["<fcntl.h>"], r"(F_[A-Z0-9_]+|O_[A-Z0-9_]+|FD_CLOEXEC)"),
    (
        ["<sys/socket.h>", "<netinet/in.h>", "<netinet/tcp.h>", "<netinet/ip.h>", "<netinet/udp.h>",
         "<arpa/inet.h>", "<sys/un.h>", "<sys/uio.h>", "<poll.h>", "<sys/ioctl.h>", "<linux/sockios.h>",
         "<net/if.h>", "<linux/errqueue.h>", *OPTIONAL],
        r"(AF|PF|SOCK|MSG|SOL|SO|SCM|IPPROTO|IP|IPV6|TCP|SHUT|INADDR|IN6ADDR|IPTOS|MCAST|INET|INET6|UIO|UDP|IFF)"
        r"_[A-Z0-9_]+|(SIOC|FIO)[A-Z0-9_]+|POLL[A-Z]+|SOMAXCONN|IFNAMSIZ",
    ),
    (["<sys/epoll.h>", "<fcntl.h>"], r"EPOLL[A-Z0-9_]+|SPLICE_F_[A-Z]+"),
    (["<linux/tls.h>"], r"TLS_[A-Z0-9_]+"),  # the kernel TLS ULP's options (SOL_TLS) and their values
    (["<linux/if_packet.h>", "<linux/if_ether.h>", "<linux/if_arp.h>", "<linux/netlink.h>", "<linux/vm_sockets.h>"],
     r"(ETH_P|PACKET|TPACKET|TP_STATUS|NETLINK|NLM_F|ARPHRD|VMADDR|SO_VM)_[A-Z0-9_]+"),
]

# Constants that the headers define as enum members rather than macros, so ``-dM`` cannot list them; the
# compile check still drops any that a system's headers lack.
ENUM_ONLY = [
    "SO_J1939_FILTER", "SO_J1939_PROMISC", "SO_J1939_SEND_PRIO", "SO_J1939_ERRQUEUE",
    "SCM_J1939_DEST_ADDR", "SCM_J1939_DEST_NAME", "SCM_J1939_PRIO", "SCM_J1939_ERRQUEUE",
    "SCM_TSTAMP_SND", "SCM_TSTAMP_SCHED", "SCM_TSTAMP_ACK",
    "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT",
    "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
    "F_OWNER_TID", "F_OWNER_PID", "F_OWNER_PGRP", "F_OWNER_GID",
    "TPACKET_V1", "TPACKET_V2", "TPACKET_V3",
    *(f"SK_MEMINFO_{n}" for n in ("RMEM_ALLOC", "RCVBUF", "WMEM_ALLOC", "SNDBUF", "FWD_ALLOC", "WMEM_QUEUED", "OPTMEM",
                                  "BACKLOG", "DROPS", "VARS")),
    *(f"SOF_TIMESTAMPING_{n}" for n in (
        "TX_HARDWARE", "TX_SOFTWARE", "RX_HARDWARE", "RX_SOFTWARE", "SOFTWARE", "SYS_HARDWARE", "RAW_HARDWARE",
        "OPT_ID", "TX_SCHED", "TX_ACK", "OPT_CMSG", "OPT_TSONLY", "OPT_STATS", "OPT_PKTINFO", "OPT_TX_SWHW",
        "BIND_PHC", "OPT_ID_TCP", "OPT_RX_FILTER", "TX_COMPLETION", "LAST", "MASK")),
]

_DEFINE = re.compile(r"^#define ([A-Za-z_][A-Za-z0-9_]*) (.+)$")


def _cc():
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shlex.split(cc)


def _macros(headers):
    src = "#define _GNU_SOURCE 1\n" + "".join(f"#if __has_include({h})\n#include {h}\n#endif\n" for h in headers)
    out = subprocess.run([*_cc(), "-E", "-dM", "-x", "c", "-"], input=src, capture_output=True,
                         text=True, check=True).stdout
    return [m.group(1) for m in map(_DEFINE.match, out.splitlines()) if m]


def candidates():
    names = set(ENUM_ONLY)
    for headers, pattern in GROUPS:
        names.update(n for n in _macros(headers) if re.fullmatch(pattern, n))
    return sorted(names)


def _compiles(source, names):
    """The subset of names whose value is an integer constant expression in the given C source."""
    lines = [source, "\n"]
    first = source.count("\n") + 2
    for i, name in enumerate(names):
        lines.append(f"static const long long rs_chk_{i} = (long long)({name});\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "chk.c")
        with open(path, "w") as f:
            f.write("".join(lines))
        proc = subprocess.run([*_cc(), "-fsyntax-only", "-w", path], capture_output=True, text=True)
    bad = set()
    for m in re.finditer(re.escape(path) + r":(\d+):\d+: error", proc.stderr):
        index = int(m.group(1)) - first
        if 0 <= index < len(names):
            bad.add(index)
    if proc.returncode != 0 and not bad:
        raise RuntimeError("constant check failed:\n" + proc.stderr[-4000:])
    return [n for i, n in enumerate(names) if i not in bad]


def declared(source):
    """Every constant that the given C source (prelude and includes) defines, sorted."""
    return _compiles(source, candidates())


def cdef(names):
    """The cdef block declaring the constants."""
    return "".join(f"#define {n} ...\n" for n in names)


# The enums of rawsock._constants, in this order (rawsock._constants.ENUMS follows it), each with the test a
# constant's name passes to be a member.  Other constants stay plain ints.
#: socket(2)'s types; other SOCK_* macros (SOCK_SNDBUF_LOCK, SOCK_IOC_TYPE, ...) are plain ints
_SOCK_TYPES = {"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET", "SOCK_DCCP", "SOCK_PACKET"}
ENUMS = [
    ("AddressFamily", lambda n: n.startswith("AF_")),
    ("SocketType", lambda n: n in _SOCK_TYPES),
    ("SocketFlag", lambda n: n in {"SOCK_NONBLOCK", "SOCK_CLOEXEC"}),
    ("MsgFlag", lambda n: n.startswith("MSG_")),
    ("ShutdownHow", lambda n: n.startswith("SHUT_")),
    ("SocketLevel", lambda n: n.startswith("SOL_")),
    ("IPProtocol", lambda n: n.startswith("IPPROTO_")),
    ("PollFlag", lambda n: n.startswith("POLL")),
    ("Errno", lambda n: n[0] == "E" and n[1:].isalnum() and not n.startswith("EPOLL")),
]
#: names put after the others of their value, so the member's canonical name is the one strace prints
DEMOTED = {"AF_FILE", "AF_LOCAL", "ENOTSUP", "EDEADLOCK", "EWOULDBLOCK", "MSG_TRYHARD", "IPPROTO_HOPOPTS"}


def _enum_of(name):
    for i, (_, accept) in enumerate(ENUMS):
        if accept(name):
            return i
    return -1


def table(names):
    """C: ``rs_constants[]``, every constant's name, value and enum (-1: none), in canonical order (by name,
    a demoted name after the others); values as cffi computes them (negative only where the value is)."""
    rows = [
        f'    {{"{n}", {_enum_of(n)}, ({n}) <= 0, (unsigned long long)(({n}) | 0)}},'
        for n in sorted(names, key=lambda n: (n in DEMOTED, n))
    ]
    enum_names = ", ".join(f'"{e}"' for e, _ in ENUMS)
    return ("const struct rs_constant rs_constants[] = {\n" + "\n".join(rows) + "\n};\n"
            f"const int rs_nconstants = {len(names)};\n"
            f"const char *const rs_enum_names[] = {{{enum_names}}};\n"
            f"const int rs_nenums = {len(ENUMS)};\n")
