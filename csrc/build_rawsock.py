"""The cffi build script (out-of-line API mode).

Two parts go into one extension, ``rawsock._rawsock``:

- the raw layer, ``rawsock.lib``/``rawsock.ffi``: libc's socket calls and structs with C semantics.  Each
  module beside this file describes one man-page family with four strings, merged here in a fixed order, the
  way pyca/cryptography splits its bindings: INCLUDES (the headers), TYPES (struct and typedef declarations,
  with ``...`` so the compiler fills in the layouts), FUNCTIONS (the libc functions) and CUSTOMIZATIONS (C
  for the few helpers).  Constants are discovered from the headers by ``constants.py``, and only those the
  compiler accepts are declared, so a header without some constant never breaks the build;
- the call engine (``engine.c``, ``kinds*.c``, ``address.c``; see ``rawsock.h``), which makes every call of the
  Pythonic layer, and its table, generated from ``src/rawsock/_calls.py`` by ``gen_calls.py``.

``RAWSOCK_CFLAGS`` adds compiler flags to the whole extension (CI builds with ``-Wall -Wextra -Werror``, and
with the sanitizers).
"""

import os
import re
import shlex
import sys

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import arpa_inet  # noqa: E402
import constants  # noqa: E402
import fcntl_h  # noqa: E402
import gen_calls  # noqa: E402
import linux_sockaddr  # noqa: E402
import netinet_in  # noqa: E402
import sockopt  # noqa: E402
import sys_ioctl  # noqa: E402
import sys_select  # noqa: E402
import sys_socket  # noqa: E402
import sys_socket_msg  # noqa: E402
import sys_un  # noqa: E402
import tcp_info  # noqa: E402
import unistd_io  # noqa: E402

MODULES = [sys_socket, netinet_in, sys_un, arpa_inet, fcntl_h, sockopt, sys_select, sys_socket_msg, sys_ioctl,
           unistd_io, linux_sockaddr, constants]
ENGINE = ["engine.c", "kinds.c", "kinds_msg.c", "kinds_ready.c", "kinds_io.c", "address.c", "tcp_info.c"]
# headers the build generates (csrc/tcp_info.py): in the build directory of the current one, as setuptools' is
GENERATED = os.path.join("build", "rawsock-generated")


def _version():
    path = os.path.join(HERE, os.pardir, "src", "rawsock", "_version.py")
    with open(path) as f:
        return re.search(r'__version__ = "([^"]+)"', f.read()).group(1)


PRELUDE = """
#define _GNU_SOURCE 1
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
"""

ffibuilder = cffi.FFI()
ffibuilder.cdef("const char *const rs_version;\nint rs_install(const char *module);\n"
               "int rs_install_constants(const char *module);\nuintptr_t rs_badptr(void);")
for module in MODULES:
    ffibuilder.cdef(module.TYPES)
for module in MODULES:
    ffibuilder.cdef(module.FUNCTIONS)

includes = "".join(m.INCLUDES for m in MODULES)
constant_names = constants.declared(PRELUDE + includes)
ffibuilder.cdef(constants.cdef(constant_names))

extra = shlex.split(os.environ.get("RAWSOCK_CFLAGS", ""))
ffibuilder.set_source(
    "rawsock._rawsock",
    PRELUDE
    + includes
    + f'const char *const rs_version = "{_version()}";\n'
    + "int rs_install(const char *module);\nint rs_install_constants(const char *module);\n"
    + "uintptr_t rs_badptr(void);\n"
    + "".join(m.CUSTOMIZATIONS for m in MODULES)
    + '#include "rawsock.h"\n'
    + constants.table(constant_names)
    + gen_calls.render(),
    sources=[os.path.relpath(os.path.join(HERE, name)) for name in ENGINE],
    include_dirs=[os.path.relpath(HERE), os.path.dirname(tcp_info.generate(GENERATED))],
    define_macros=[("_GNU_SOURCE", "1"), ("_CFFI_NO_LIMITED_API", None)],
    # the engine uses the buffer protocol and the full C API, as CPython's socket module does
    py_limited_api=False,
    extra_compile_args=extra,
    extra_link_args=[f for f in extra if f.startswith("-fsanitize")],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
