"""The compiled module, checked against the package version at import (a stale build fails loudly)."""

from __future__ import annotations

import sys

if not getattr(sys, "_is_gil_enabled", lambda: True)():  # pragma: no cover - a free-threaded CPython, GIL off
    raise ImportError("rawsock's call engine keeps shared state (its caches, the trace hook) that the GIL protects: "
                      "on a free-threaded Python, run with PYTHON_GIL=1 (or -X gil=1)")

from ._rawsock import ffi, lib
from ._version import __version__

_built = ffi.string(lib.rs_version).decode()
if _built != __version__:  # pragma: no cover - only a stale build gets here
    raise ImportError(
        f"rawsock's compiled module is version {_built} but the package is {__version__}: reinstall rawsock"
    )

__all__ = ["ffi", "lib"]
