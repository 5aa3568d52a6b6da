"""Lint (ruff) and types (mypy --strict), run as part of the suite so the README's one test command covers them."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean() -> None:
    proc = _run("ruff", "check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_on_the_package() -> None:
    proc = _run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_installed_package_is_typed_for_users() -> None:
    # checked from a directory outside the source tree, so the installed package (py.typed, stubs) is used
    usage = str(ROOT / "tests" / "typing_usage.py")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", usage],
                          cwd="/", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_typed_overloads_reject_the_wrong_type() -> None:
    """Each line of tests/typing_errors.py marked ``# error`` is a mypy error, and no other line is."""
    path = ROOT / "tests" / "typing_errors.py"
    expected = {i for i, line in enumerate(path.read_text().splitlines(), 1) if line.endswith("# error")}
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
                           str(path)], cwd="/", capture_output=True, text=True)
    found = {int(m.group(1)) for m in re.finditer(r"typing_errors\.py:(\d+): error", proc.stdout)}
    assert len(expected) == 7 and found == expected, proc.stdout + proc.stderr


def test_every_public_function_names_its_man_page_and_syscalls() -> None:
    import inspect
    import re

    import rawsock as rs

    def documented(obj: object) -> bool:
        doc = inspect.getdoc(obj) or ""
        return bool(re.search(r"\w+\(\d\)", doc)) and bool(re.search(r"(?i)syscall", doc))

    missing = [name for name in rs.__all__ if not name.isupper() and (inspect.isroutine(getattr(rs, name)))
               and not documented(getattr(rs, name))]
    for cls in (rs.Socket, rs.Poller):
        missing += [f"{cls.__name__}.{name}" for name, member in vars(cls).items()
                    if inspect.isfunction(member) and (not name.startswith("_") or name == "__init__")
                    and not documented(member)]
    assert not missing, missing


def test_the_calls_type_stub_is_generated_from_the_descriptions() -> None:
    """src/rawsock/_syscalls.pyi is tools/gen_stubs.py's output for rawsock/_calls.py as it is now."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_stubs.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
