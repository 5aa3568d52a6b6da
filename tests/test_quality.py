"""Lint (ruff) and types (mypy --strict), run as part of the suite so the README's one test command covers them."""

from __future__ import annotations

import pathlib
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
