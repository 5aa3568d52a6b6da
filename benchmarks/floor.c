/* The floor of a Python-callable socket call that takes the fd as an argument and releases the GIL around the
 * syscall, as rawsock's and the standard library's do: a minimal CPython extension with the two calls of the
 * 1-byte ping-pong, and nothing a real binding needs (no errno mapping beyond OSError, no keyword arguments, no
 * tracing, no EINTR handling, no checks beyond what keeps memory safe).  What it costs over pingpong.c is what
 * the interpreter, the call protocol and the GIL's release cost.  (A binding that kept the GIL, or the fd inside
 * a C object, could be cheaper; neither is one rawsock can be.)
 *
 * Built by benchmarks/run.py (`cc -O2 -shared -fPIC` with the running interpreter's headers) into
 * benchmarks/.build/_floor*.so; used by the "floor" rows of bench_stream.py.
 *
 *     _floor.send(fd, buffer, flags) -> int          send(2)
 *     _floor.recv_into(fd, buffer) -> int            recv(2) into all of a writable buffer, flags 0
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>

/* an int argument that fits a C int */
static int floor_int(PyObject *o, int *out)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "does not fit a C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PyObject *floor_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer view;
    int fd, flags, err;
    ssize_t n;
    (void)self;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "send(fd, buffer, flags)");
        return NULL;
    }
    if (floor_int(args[0], &fd) < 0 || floor_int(args[2], &flags) < 0)
        return NULL;
    if (PyObject_GetBuffer(args[1], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = send(fd, view.buf, (size_t)view.len, flags);
    err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (n < 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *floor_recv_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer view;
    int fd, err;
    ssize_t n;
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "recv_into(fd, buffer)");
        return NULL;
    }
    if (floor_int(args[0], &fd) < 0)
        return NULL;
    if (PyObject_GetBuffer(args[1], &view, PyBUF_WRITABLE) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = recv(fd, view.buf, (size_t)view.len, 0);
    err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (n < 0) {
        errno = err;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    return PyLong_FromSsize_t(n);
}

static PyMethodDef floor_methods[] = {
    {"send", (PyCFunction)(void (*)(void))floor_send, METH_FASTCALL, "send(fd, buffer, flags)"},
    {"recv_into", (PyCFunction)(void (*)(void))floor_recv_into, METH_FASTCALL, "recv_into(fd, buffer)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef floor_module = {PyModuleDef_HEAD_INIT, "_floor", NULL, -1, floor_methods,
                                          NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__floor(void)
{
    return PyModule_Create(&floor_module);
}
