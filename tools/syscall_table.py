"""The README's table: the same scenarios done through rawsock and through the standard library, run under
strace; socket-related syscalls made (network, fcntl, ioctl, poll/select, close) against calls asked for.

    python tools/syscall_table.py            # prints the table (Markdown)
    python tools/syscall_table.py --write    # rewrites it in README.md

tests/test_fidelity.py checks that rawsock's column still equals the calls asked for.
"""

from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import textwrap

FILTER = "trace=network,fcntl,close,ioctl,poll,ppoll,select,pselect6"
START, END = "close(-1) = -1 EBADF (Bad file descriptor)", "close(-2) = -1 EBADF (Bad file descriptor)"

SETUP = """
import os, select, signal, socket
import rawsock as rs
lst = rs.socket(rs.AF_INET, rs.SOCK_STREAM); rs.bind(lst, ("127.0.0.1", 0)); rs.listen(lst, 8)
PORT = rs.getsockname(lst).port
"""

# (scenario, calls asked for, rawsock code, standard-library code)
SCENARIOS = [
    ("TCP client: create, connect, send, shut down, close", 5,
     """
     s = rs.socket(rs.AF_INET, rs.SOCK_STREAM); rs.connect(s, ("127.0.0.1", PORT)); rs.send(s, b"x")
     rs.shutdown(s, rs.SHUT_WR); rs.close(s)
     """,
     """
     s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.connect(("127.0.0.1", PORT)); s.send(b"x")
     s.shutdown(socket.SHUT_WR); s.close()
     """),
    ("accept one connection", 1,
     """
     MARK; fd, peer = rs.accept(lst); MARK2
     """,
     """
     MARK; conn, peer = L.accept(); MARK2
     """),
    ("receive with a 1 s timeout (data already there)", 2,
     """
     a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM); rs.send(b, b"x")
     MARK; rs.setsockopt(a, rs.SOL_SOCKET, rs.SO_RCVTIMEO, 1.0); rs.recv(a, 10); MARK2
     """,
     """
     a, b = socket.socketpair(); b.send(b"x")
     MARK; a.settimeout(1.0); a.recv(10); MARK2
     """),
    ("non-blocking connect to a listener", 2,
     """
     MARK; s = rs.socket(rs.AF_INET, rs.SOCK_STREAM | rs.SOCK_NONBLOCK)
     try:
         rs.connect(s, ("127.0.0.1", PORT))
     except BlockingIOError:
         pass
     MARK2
     """,
     """
     MARK; s = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
     try:
         s.connect(("127.0.0.1", PORT))
     except BlockingIOError:
         pass
     MARK2
     """),
    ("select() on fd 1500, readable", 1,
     """
     a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM); rs.send(b, b"x"); hi = os.dup2(a, 1500)
     MARK; rs.select([hi], [], [], 0); MARK2
     """,
     """
     a, b = socket.socketpair(); b.send(b"x"); hi = os.dup2(a.fileno(), 1500)
     MARK
     try:
         select.select([hi], [], [], 0)
     except ValueError:
         pass
     MARK2
     """),
    ("interrupted recv (a signal with a Python handler)", 1,
     """
     a, b = rs.socketpair(rs.AF_UNIX, rs.SOCK_STREAM); signal.signal(signal.SIGALRM, lambda *x: None)
     MARK; signal.setitimer(signal.ITIMER_REAL, 0.05)
     try:
         rs.recv(a, 10)
     except InterruptedError:
         pass
     MARK2
     """,
     """
     a, b = socket.socketpair(); signal.signal(signal.SIGALRM, lambda *x: b.send(b"!"))
     MARK; signal.setitimer(signal.ITIMER_REAL, 0.05); a.recv(10); MARK2
     """),
]


def _script(body: str) -> str:
    body = textwrap.dedent(body).strip("\n")
    if "MARK" not in body:
        body = "MARK\n" + body + "\nMARK2"
    body = body.replace("MARK2", "rs.lib.close(-2)").replace("MARK", "rs.lib.close(-1)")
    extra = "import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))\n" if "1500" in body else ""
    extra += "L = socket.socket(fileno=os.dup(lst))\n" if "L.accept" in body else ""
    extra += "c = socket.create_connection(('127.0.0.1', PORT))\n" if "accept" in body else ""
    return SETUP + extra + body + "\n"


def strace_region(log: str) -> list[str]:
    """The syscall lines between the markers of an ``strace -f -o`` log, pid column and padding removed
    (signal deliveries, exits and the resumed halves of interrupted calls left out)."""
    lines, inside = [], False
    for raw in log.splitlines():
        line = re.sub(r"\)\s+= ", ") = ", raw.split(None, 1)[1])
        if line.startswith(("--- ", "+++ ")) or "resumed>" in line:
            continue
        if not inside:
            inside = line == START
        elif line == END:
            break
        else:
            lines.append(line.replace(" <unfinished ...>", ""))
    return lines


def strace_run(script: pathlib.Path, log: pathlib.Path, env: dict[str, str], timeout: float = 120,
               extra: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python script`` under ``strace -f`` with FILTER (and the syscalls ``extra`` lists, comma-separated),
    writing strace's log to ``log``.  In its own session:
    a script that hangs is killed after ``timeout`` seconds with strace (a killed strace alone would leave its
    tracee running), and raises TimeoutError; a script that fails raises CalledProcessError."""
    cmd = ["strace", "-f", "-qq", "-e", FILTER + ("," + extra if extra else ""), "-o", str(log), sys.executable,
           str(script)]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TimeoutError(f"{script} hung under strace: killed after {timeout} s") from None
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out, err)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def count(body: str) -> tuple[int, list[str]]:
    """The socket-related syscalls the script made between its markers."""
    with tempfile.TemporaryDirectory() as tmp:
        script, log = pathlib.Path(tmp, "s.py"), pathlib.Path(tmp, "strace.log")
        script.write_text(_script(body))
        strace_run(script, log, dict(os.environ, RAWSOCK_TRACE="0"))
        lines = strace_region(log.read_text())
    return len(lines), lines


def fd_1500_allowed() -> bool:
    """Whether this process may hold fd 1500: its hard RLIMIT_NOFILE allows it, or it may raise that limit
    (CAP_SYS_RESOURCE)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard >= 1501:
        return True
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, 1501))
    except (ValueError, PermissionError):
        return False
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return True


def rawsock_counts() -> list[tuple[str, int, int]]:
    """(scenario, calls asked for, syscalls rawsock made) for each scenario this process's limits allow."""
    high = fd_1500_allowed()
    return [(name, asked, count(ours)[0]) for name, asked, ours, _ in SCENARIOS if high or "1500" not in name]


def render() -> str:
    rows = ["| scenario | calls asked for | syscalls made: rawsock | syscalls made: standard library |",
            "|---|---:|---:|---|"]
    for name, asked, ours, theirs in SCENARIOS:
        n_ours, _ = count(ours)
        n_theirs, lines = count(theirs)
        names = ", ".join(line.split("(")[0] + (" +SOCK_CLOEXEC" if "SOCK_CLOEXEC" in line else "")
                          for line in lines) or "none (ValueError before any syscall)"
        rows.append(f"| {name} | {asked} | {n_ours} | {n_theirs}: {names} |")
    return "\n".join(rows)


def main() -> int:
    table = render()
    if "--write" in sys.argv:
        readme = pathlib.Path(__file__).resolve().parent.parent / "README.md"
        text = readme.read_text()
        text = re.sub(r"(<!-- syscall-table[^\n]*-->\n)(.*?)(\n<!-- end syscall-table -->)",
                      lambda m: m.group(1) + table + m.group(3), text, flags=re.S)
        readme.write_text(text)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
