"""The compiled module, checked against the package version at import (a stale build fails loudly)."""

from __future__ import annotations

from ._rawsock import ffi, lib
from ._version import __version__

_built = ffi.string(lib.rs_version).decode()
if _built != __version__:  # pragma: no cover - only a stale build gets here
    raise ImportError(
        f"rawsock's compiled module is version {_built} but the package is {__version__}: reinstall rawsock"
    )

__all__ = ["ffi", "lib"]
