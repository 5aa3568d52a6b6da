"""The Pythonic layer's hot paths (send, recv, recv_into) as C functions, for the benchmark targets.

A Python wrapper around a cffi call pays for a frame and, for a writable buffer, ``ffi.from_buffer`` (about
270 ns on the benchmark machine): more than the standard library's whole overhead.  These functions do what
CPython's socket module does in C: parse the arguments, take the buffer with PyObject_GetBuffer, release the
GIL around exactly one libc call, and build the result.  They are installed into ``rawsock._fast`` by
rs_fast_install (called once at import; it takes the GIL itself, since cffi calls release it).

Errors are raised by the same Python factory as everywhere else (rawsock._errors.error).  While a tracer is
active (rs_set_tracing), each function hands its arguments to the pure-Python implementation of the same
name in rawsock._sys_socket instead, whose C calls the tracer observes; when off, that costs one int test.
"""

INCLUDES = ""

TYPES = ""

FUNCTIONS = """
int rs_fast_install(const char *module);
void rs_set_tracing(int on);
"""

CUSTOMIZATIONS = r"""
static int rs_tracing;
static PyObject *rs_error_factory;      /* rawsock._errors.error(neg_errno, syscall) */
static PyObject *rs_py_send, *rs_py_recv, *rs_py_recv_into;   /* the pure-Python implementations */
static PyObject *rs_name_send, *rs_name_recv;

static void rs_set_tracing(int on) { rs_tracing = on; }

static PyObject *rs_raise(int err, PyObject *syscall)
{
    PyObject *exc = PyObject_CallFunction(rs_error_factory, "iO", -err, syscall);
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* Positional or keyword arguments into `out` (in `names` order); the first `required` are required. */
static int rs_args(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                   const char *const *names, Py_ssize_t nnames, Py_ssize_t required, PyObject **out)
{
    Py_ssize_t i, j, nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    if (nargs > nnames) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", fname, nnames, nargs);
        return -1;
    }
    for (i = 0; i < nnames; i++)
        out[i] = i < nargs ? args[i] : NULL;
    for (j = 0; j < nkw; j++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, j);
        for (i = 0; i < nnames; i++)
            if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0)
                break;
        if (i == nnames) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
            return -1;
        }
        if (out[i] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname, names[i]);
            return -1;
        }
        out[i] = args[nargs + j];
    }
    for (i = 0; i < required; i++)
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fname, names[i]);
            return -1;
        }
    return 0;
}

/* A C int from a Python int (OverflowError outside int's range, TypeError for a non-integer). */
static int rs_int(PyObject *obj, int dflt, int *out)
{
    long v;
    if (obj == NULL) { *out = dflt; return 0; }
    v = PyLong_AsLong(obj);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static PyObject *rs_ssize(PyObject *obj, Py_ssize_t *out)
{
    *out = PyLong_AsSsize_t(obj);
    if (*out == -1 && PyErr_Occurred())
        return NULL;
    return obj;
}

static PyObject *rs_fast_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data", "flags"};
    PyObject *a[3];
    Py_buffer view;
    int fd, flags, err = 0;
    ssize_t n;
    if (rs_tracing)
        return PyObject_Vectorcall(rs_py_send, args, nargs, kwnames);
    if (rs_args("send", args, nargs, kwnames, names, 3, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[2], 0, &flags) < 0)
        return NULL;
    if (PyObject_GetBuffer(a[1], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = send(fd, view.buf, (size_t)view.len, flags);
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (n < 0)
        return rs_raise(err, rs_name_send);
    return PyLong_FromSsize_t(n);
}

static PyObject *rs_fast_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "bufsize", "flags"};
    PyObject *a[3], *bytes;
    Py_ssize_t bufsize;
    int fd, flags, err = 0;
    ssize_t n;
    if (rs_tracing)
        return PyObject_Vectorcall(rs_py_recv, args, nargs, kwnames);
    if (rs_args("recv", args, nargs, kwnames, names, 3, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_ssize(a[1], &bufsize) == NULL || rs_int(a[2], 0, &flags) < 0)
        return NULL;
    if (bufsize < 0) {
        PyErr_SetString(PyExc_ValueError, "negative bufsize: the buffer cannot be allocated");
        return NULL;
    }
    bytes = PyBytes_FromStringAndSize(NULL, bufsize);
    if (bytes == NULL)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = recv(fd, PyBytes_AS_STRING(bytes), (size_t)bufsize, flags);
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    if (n < 0) {
        Py_DECREF(bytes);
        return rs_raise(err, rs_name_recv);
    }
    if (n < bufsize && _PyBytes_Resize(&bytes, n) < 0)   /* under MSG_TRUNC n may exceed bufsize: keep all */
        return NULL;
    return bytes;
}

static PyObject *rs_fast_recv_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                   PyObject *kwnames)
{
    static const char *const names[] = {"fd", "buffer", "nbytes", "flags"};
    PyObject *a[4];
    Py_buffer view;
    Py_ssize_t nbytes = 0;
    int fd, flags, err = 0;
    ssize_t n;
    if (rs_tracing)
        return PyObject_Vectorcall(rs_py_recv_into, args, nargs, kwnames);
    if (rs_args("recv_into", args, nargs, kwnames, names, 4, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || (a[2] != NULL && rs_ssize(a[2], &nbytes) == NULL) || rs_int(a[3], 0, &flags) < 0)
        return NULL;
    if (PyObject_GetBuffer(a[1], &view, PyBUF_WRITABLE) < 0)
        return NULL;
    if (nbytes == 0)
        nbytes = view.len;
    else if (nbytes < 0 || nbytes > view.len) {
        PyErr_Format(PyExc_ValueError, "nbytes %zd does not fit the %zd-byte buffer", nbytes, view.len);
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    n = recv(fd, view.buf, (size_t)nbytes, flags);
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (n < 0)
        return rs_raise(err, rs_name_recv);
    return PyLong_FromSsize_t(n);
}

#define RS_SEND_DOC "send($module, /, fd, data, flags=0)\n--\n\n" \
    "send(2): the number of bytes the kernel took.  One syscall (glibc issues it as sendto(2)).\n" \
    "data is any bytes-like object, passed without a copy."
#define RS_RECV_DOC "recv($module, /, fd, bufsize, flags=0)\n--\n\n" \
    "recv(2) into a new buffer of bufsize bytes: the bytes received.  One syscall (glibc issues it\n" \
    "as recvfrom(2)), made even for a zero bufsize.  Under MSG_TRUNC the kernel may report more than\n" \
    "bufsize; the bytes returned are those that fit (recv_into returns the kernel's count)."
#define RS_RECV_INTO_DOC "recv_into($module, /, fd, buffer, nbytes=0, flags=0)\n--\n\n" \
    "recv(2) into a writable buffer (nbytes 0: all of it): the kernel's return value as is, which\n" \
    "under MSG_TRUNC is the full datagram length.  One syscall."

static PyMethodDef rs_fast_methods[] = {
    {"send", (PyCFunction)(void (*)(void))rs_fast_send, METH_FASTCALL | METH_KEYWORDS, RS_SEND_DOC},
    {"recv", (PyCFunction)(void (*)(void))rs_fast_recv, METH_FASTCALL | METH_KEYWORDS, RS_RECV_DOC},
    {"recv_into", (PyCFunction)(void (*)(void))rs_fast_recv_into, METH_FASTCALL | METH_KEYWORDS, RS_RECV_INTO_DOC},
    {NULL, NULL, 0, NULL}
};

static PyObject *rs_attr(const char *module, const char *name)
{
    PyObject *mod = PyImport_ImportModule(module), *obj;
    if (mod == NULL)
        return NULL;
    obj = PyObject_GetAttrString(mod, name);
    Py_DECREF(mod);
    return obj;
}

static int rs_fast_install(const char *module)
{
    PyGILState_STATE gil = PyGILState_Ensure();   /* cffi released it for this call */
    int r = -1;
    PyObject *mod = PyImport_ImportModule(module);
    if (mod == NULL)
        goto done;
    if (rs_error_factory == NULL) {
        rs_error_factory = rs_attr("rawsock._errors", "error");
        rs_py_send = rs_attr("rawsock._sys_socket", "send");
        rs_py_recv = rs_attr("rawsock._sys_socket", "recv");
        rs_py_recv_into = rs_attr("rawsock._sys_socket", "recv_into");
        rs_name_send = PyUnicode_InternFromString("send");
        rs_name_recv = PyUnicode_InternFromString("recv");
        if (!rs_error_factory || !rs_py_send || !rs_py_recv || !rs_py_recv_into || !rs_name_send
            || !rs_name_recv)
            goto done;
    }
    r = PyModule_AddFunctions(mod, rs_fast_methods);
done:
    Py_XDECREF(mod);
    if (r < 0)
        PyErr_Print();   /* the caller only sees -1 */
    PyGILState_Release(gil);
    return r;
}
"""
