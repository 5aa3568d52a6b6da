"""Every call of the Pythonic layer: each is the call engine (csrc/engine.c) running its description in
rawsock._calls.  The engine installs them into this module when it is imported; the type stub beside it
(_syscalls.pyi) is generated from the same descriptions by tools/gen_stubs.py.
"""

from ._binding import lib

if lib.rs_install(__name__.encode()) != 0:  # pragma: no cover - the C side printed why
    raise ImportError("rawsock: installing the call engine failed")
