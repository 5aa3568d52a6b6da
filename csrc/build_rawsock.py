"""The cffi build script (out-of-line API mode).

Each module beside this file describes one man-page family of C declarations with four strings, merged
here in a fixed order, the way pyca/cryptography splits its bindings:

- INCLUDES: the headers, in the C source;
- TYPES: struct and typedef declarations (``...`` so the compiler fills in the layouts);
- FUNCTIONS: the libc functions of the raw layer, with their C signatures, plus the ``rs_*`` helpers;
- CUSTOMIZATIONS: the ``rs_*`` helpers' C code.

The ``rs_*`` helpers make the same single libc call and return ``-errno`` instead of ``-1``, so that the
Pythonic layer reads the error atomically with the result.  Constants are discovered from the headers by
``constants.py`` and only those the compiler accepts are declared, so a header without some constant never
breaks the build.
"""

import os
import re
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import arpa_inet  # noqa: E402
import constants  # noqa: E402
import fastpath  # noqa: E402
import fcntl_h  # noqa: E402
import netinet_in  # noqa: E402
import sockopt  # noqa: E402
import sys_ioctl  # noqa: E402
import sys_select  # noqa: E402
import sys_socket  # noqa: E402
import sys_socket_msg  # noqa: E402
import sys_un  # noqa: E402

MODULES = [sys_socket, netinet_in, sys_un, arpa_inet, fcntl_h, sockopt, sys_select, sys_socket_msg, sys_ioctl,
           constants, fastpath]


def _version():
    path = os.path.join(HERE, os.pardir, "src", "rawsock", "_version.py")
    with open(path) as f:
        return re.search(r'__version__ = "([^"]+)"', f.read()).group(1)


PRELUDE = """
#define _GNU_SOURCE 1
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
/* The rs_* helpers: the same one call, with errno returned as -errno so it is read atomically. */
#define RS_RETURN(T, call) do { T _rs_r = (call); return _rs_r < 0 ? (T)-errno : _rs_r; } while (0)
"""

ffibuilder = cffi.FFI()
ffibuilder.cdef("const char *const rs_version;")
for module in MODULES:
    ffibuilder.cdef(module.TYPES)
for module in MODULES:
    ffibuilder.cdef(module.FUNCTIONS)

includes = "".join(m.INCLUDES for m in MODULES)
const_cdef = constants.cdef(PRELUDE + includes)
ffibuilder.cdef(const_cdef)

ffibuilder.set_source(
    "rawsock._rawsock",
    PRELUDE
    + includes
    + f'const char *const rs_version = "{_version()}";\n'
    + "".join(m.CUSTOMIZATIONS for m in MODULES),
    # the C fast paths (fastpath.py) use the buffer protocol and vectorcall, as CPython's socket module does
    py_limited_api=False,
    define_macros=[("_CFFI_NO_LIMITED_API", None)],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
