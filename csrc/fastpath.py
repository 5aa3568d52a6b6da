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
#ifndef RS_TRACE_HOOK
#define RS_TRACE_HOOK 1   /* benchmarks/trace_hook.py builds with -DRS_TRACE_HOOK=0 to measure the test's cost */
#endif
static PyObject *rs_error_factory;      /* rawsock._errors.error(neg_errno, syscall) */
static PyObject *rs_py_send, *rs_py_recv, *rs_py_recv_into;   /* the pure-Python implementations */
static PyObject *rs_py_sendto, *rs_py_recvfrom, *rs_py_recvfrom_into, *rs_py_sendmmsg, *rs_py_recvmmsg;
static PyObject *rs_py_poll, *rs_name_poll;
static PyObject *rs_name_send, *rs_name_recv, *rs_name_sendto, *rs_name_recvfrom, *rs_name_sendmmsg,
                *rs_name_recvmmsg;
static PyObject *rs_py_encode, *rs_py_decode;     /* rawsock._address.encode / decode */
static PyObject *rs_msgflag_zero, *rs_py_msgflag; /* MsgFlag(0), and rawsock._constants.to_enum-like MsgFlag */
static PyTypeObject *rs_recvmmsg_type;           /* rawsock._msg.RecvMmsg */
static PyObject *rs_encoded, *rs_decoded;        /* address caches: address -> sockaddr bytes, bytes -> address */
#define RS_CACHE_MAX 1024

static void rs_set_tracing(int on) { rs_tracing = on; }

/* The error path, as cheap as CPython's own OSError: per-errno caches of the exception class (made once by
   rawsock._errors.error_class) and of the strerror text (as os.strerror decodes it). */
#define RS_ERRNO_MAX 4096
static PyObject *rs_error_class_of;   /* rawsock._errors.error_class */
static PyObject *rs_classes[RS_ERRNO_MAX], *rs_texts[RS_ERRNO_MAX];
static PyObject *rs_attr_syscall;

static PyObject *rs_raise(int err, PyObject *syscall)
{
    PyObject *cls, *text, *args, *exc;
    if (err <= 0 || err >= RS_ERRNO_MAX) {   /* not expected from the kernel: the general factory */
        exc = PyObject_CallFunction(rs_error_factory, "iO", -err, syscall);
        goto raise;
    }
    if (rs_classes[err] == NULL && (rs_classes[err] = PyObject_CallFunction(rs_error_class_of, "i", err)) == NULL)
        return NULL;
    if (rs_texts[err] == NULL && (rs_texts[err] = PyUnicode_DecodeLocale(strerror(err), "surrogateescape")) == NULL)
        return NULL;
    cls = rs_classes[err];
    text = rs_texts[err];
    args = Py_BuildValue("(iO)", err, text);
    if (args == NULL)
        return NULL;
    exc = PyObject_Call(cls, args, NULL);
    Py_DECREF(args);
    if (exc != NULL && PyObject_SetAttr(exc, rs_attr_syscall, syscall) < 0)
        Py_CLEAR(exc);
raise:
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

/* A writable buffer and the byte count to receive into it (nbytes 0: all of it); -1 with an exception set. */
static int rs_writable(PyObject *buffer, PyObject *nbytes_obj, Py_buffer *view, Py_ssize_t *nbytes)
{
    *nbytes = 0;
    if (nbytes_obj != NULL && rs_ssize(nbytes_obj, nbytes) == NULL)
        return -1;
    if (PyObject_GetBuffer(buffer, view, PyBUF_WRITABLE) < 0)
        return -1;
    if (*nbytes == 0)
        *nbytes = view->len;
    else if (*nbytes < 0 || *nbytes > view->len) {
        PyErr_Format(PyExc_ValueError, "nbytes %zd does not fit the %zd-byte buffer", *nbytes, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *rs_fast_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data", "flags"};
    PyObject *a[3];
    Py_buffer view;
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
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

/* A new bytes object of bufsize bytes to receive into (ValueError for a negative size). */
static PyObject *rs_receive_buffer(PyObject *bufsize_obj, Py_ssize_t *bufsize)
{
    if (rs_ssize(bufsize_obj, bufsize) == NULL)
        return NULL;
    if (*bufsize < 0) {
        PyErr_SetString(PyExc_ValueError, "negative bufsize: the buffer cannot be allocated");
        return NULL;
    }
    return PyBytes_FromStringAndSize(NULL, *bufsize);
}

static PyObject *rs_fast_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "bufsize", "flags"};
    PyObject *a[3], *bytes;
    Py_ssize_t bufsize;
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_recv, args, nargs, kwnames);
    if (rs_args("recv", args, nargs, kwnames, names, 3, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[2], 0, &flags) < 0 || (bytes = rs_receive_buffer(a[1], &bufsize)) == NULL)
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
    Py_ssize_t nbytes;
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_recv_into, args, nargs, kwnames);
    if (rs_args("recv_into", args, nargs, kwnames, names, 4, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[3], 0, &flags) < 0 || rs_writable(a[1], a[2], &view, &nbytes) < 0)
        return NULL;
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


/* --- addresses: encoded and decoded through caches, the Python encoder/decoder filling them ------------- */

/* Only addresses whose equality means "the same sockaddr" are cached: str paths, and tuples (Sockaddr*
   included) of exact str, int and bytes items. */
static int rs_cacheable(PyObject *addr)
{
    Py_ssize_t i, n;
    if (PyUnicode_CheckExact(addr))
        return 1;
    if (!PyTuple_Check(addr))
        return 0;
    n = PyTuple_GET_SIZE(addr);
    for (i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(addr, i);
        if (!PyUnicode_CheckExact(item) && !PyLong_CheckExact(item) && !PyBytes_CheckExact(item))
            return 0;
    }
    return 1;
}

static void rs_cache_put(PyObject *cache, PyObject *key, PyObject *value)
{
    if (PyDict_GET_SIZE(cache) >= RS_CACHE_MAX)
        PyDict_Clear(cache);
    if (PyDict_SetItem(cache, key, value) < 0)
        PyErr_Clear();   /* a cache that cannot store is only slower */
}

/* The sockaddr bytes for an address (a new reference): raw bytes as given, others through the cache. */
static PyObject *rs_encode(PyObject *addr)
{
    PyObject *raw, *pair;
    int cacheable;
    if (PyBytes_CheckExact(addr)) {
        Py_INCREF(addr);
        return addr;
    }
    cacheable = rs_cacheable(addr);
    if (cacheable) {
        raw = PyDict_GetItemWithError(rs_encoded, addr);
        if (raw != NULL) {
            Py_INCREF(raw);
            return raw;
        }
        if (PyErr_Occurred())
            PyErr_Clear();   /* e.g. unhashable: encode it every time */
    }
    pair = PyObject_CallOneArg(rs_py_encode, addr);   /* (bytes, addrlen == len(bytes)) */
    if (pair == NULL)
        return NULL;
    raw = PyTuple_GET_ITEM(pair, 0);
    Py_INCREF(raw);
    Py_DECREF(pair);
    if (cacheable)
        rs_cache_put(rs_encoded, addr, raw);
    return raw;
}

/* The address for sockaddr bytes the kernel returned (a new reference). */
static PyObject *rs_decode(const char *raw, Py_ssize_t n)
{
    PyObject *key = PyBytes_FromStringAndSize(raw, n), *addr;
    if (key == NULL)
        return NULL;
    addr = PyDict_GetItemWithError(rs_decoded, key);
    if (addr != NULL) {
        Py_INCREF(addr);
    } else if (!PyErr_Occurred()) {
        addr = PyObject_CallOneArg(rs_py_decode, key);
        if (addr != NULL)
            rs_cache_put(rs_decoded, key, addr);
    }
    Py_DECREF(key);
    return addr;
}

static PyObject *rs_pair(PyObject *first, PyObject *second)   /* steals both */
{
    PyObject *t;
    if (first == NULL || second == NULL) {
        Py_XDECREF(first);
        Py_XDECREF(second);
        return NULL;
    }
    t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(first);
        Py_DECREF(second);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, first);
    PyTuple_SET_ITEM(t, 1, second);
    return t;
}

static PyObject *rs_sender(const struct sockaddr_storage *ss, socklen_t len)
{
    if (len == 0)
        Py_RETURN_NONE;
    return rs_decode((const char *)ss, len < sizeof(*ss) ? (Py_ssize_t)len : (Py_ssize_t)sizeof(*ss));
}

static PyObject *rs_fast_sendto(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data", "flags", "addr", "addrlen"};
    PyObject *a[5], *raw;
    Py_buffer view;
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_sendto, args, nargs, kwnames);
    if (rs_args("sendto", args, nargs, kwnames, names, 5, 4, a) < 0)
        return NULL;
    if (a[4] != NULL && a[4] != Py_None)   /* an explicit addrlen: the Python path checks it against the buffer */
        return PyObject_Vectorcall(rs_py_sendto, args, nargs, kwnames);
    if (rs_int(a[0], 0, &fd) < 0 || rs_int(a[2], 0, &flags) < 0 || (raw = rs_encode(a[3])) == NULL)
        return NULL;
    if (PyObject_GetBuffer(a[1], &view, PyBUF_SIMPLE) < 0) {
        Py_DECREF(raw);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    n = sendto(fd, view.buf, (size_t)view.len, flags, (const struct sockaddr *)PyBytes_AS_STRING(raw),
               (socklen_t)PyBytes_GET_SIZE(raw));
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    Py_DECREF(raw);
    if (n < 0)
        return rs_raise(err, rs_name_sendto);
    return PyLong_FromSsize_t(n);
}

static PyObject *rs_fast_recvfrom(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "bufsize", "flags"};
    PyObject *a[3], *bytes;
    Py_ssize_t bufsize;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_recvfrom, args, nargs, kwnames);
    if (rs_args("recvfrom", args, nargs, kwnames, names, 3, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[2], 0, &flags) < 0 || (bytes = rs_receive_buffer(a[1], &bufsize)) == NULL)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = recvfrom(fd, PyBytes_AS_STRING(bytes), (size_t)bufsize, flags, (struct sockaddr *)&ss, &len);
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    if (n < 0) {
        Py_DECREF(bytes);
        return rs_raise(err, rs_name_recvfrom);
    }
    if (n < bufsize && _PyBytes_Resize(&bytes, n) < 0)
        return NULL;
    return rs_pair(bytes, rs_sender(&ss, len));
}

static PyObject *rs_fast_recvfrom_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                       PyObject *kwnames)
{
    static const char *const names[] = {"fd", "buffer", "nbytes", "flags"};
    PyObject *a[4];
    Py_buffer view;
    Py_ssize_t nbytes;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd, flags, err = 0;
    ssize_t n;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_recvfrom_into, args, nargs, kwnames);
    if (rs_args("recvfrom_into", args, nargs, kwnames, names, 4, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[3], 0, &flags) < 0 || rs_writable(a[1], a[2], &view, &nbytes) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    n = recvfrom(fd, view.buf, (size_t)nbytes, flags, (struct sockaddr *)&ss, &len);
    if (n < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (n < 0)
        return rs_raise(err, rs_name_recvfrom);
    return rs_pair(PyLong_FromSsize_t(n), rs_sender(&ss, len));
}

/* --- batches -------------------------------------------------------------------------------------------- */

static int rs_is_sequence_of_buffers(PyObject *obj) { return PyList_Check(obj) || PyTuple_Check(obj); }

static PyObject *rs_fast_sendmmsg(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "messages", "flags"};
    PyObject *a[3], *seq = NULL, **raws = NULL, *result = NULL;
    struct mmsghdr *msgs = NULL;
    struct iovec *iovs = NULL;
    Py_buffer *views = NULL;
    Py_ssize_t n, i, j, total = 0, acquired = 0, k;
    int fd, flags, r = 0, err = 0;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_sendmmsg, args, nargs, kwnames);
    if (rs_args("sendmmsg", args, nargs, kwnames, names, 3, 2, a) < 0 || rs_int(a[0], 0, &fd) < 0
        || rs_int(a[2], 0, &flags) < 0)
        return NULL;
    seq = PySequence_Fast(a[1], "messages must be a sequence");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; i++) {   /* count the iovecs */
        PyObject *m = PySequence_Fast_GET_ITEM(seq, i), *bufs = m;
        if (PyTuple_Check(m)) {
            if (PyTuple_GET_SIZE(m) != 2) {
                PyErr_SetString(PyExc_ValueError, "a message tuple is (buffers, addr)");
                goto done;
            }
            bufs = PyTuple_GET_ITEM(m, 0);
        }
        total += rs_is_sequence_of_buffers(bufs) ? PySequence_Fast_GET_SIZE(bufs) : 1;
    }
    msgs = PyMem_Calloc(n ? n : 1, sizeof(*msgs));
    iovs = PyMem_Calloc(total ? total : 1, sizeof(*iovs));
    views = PyMem_Calloc(total ? total : 1, sizeof(*views));
    raws = PyMem_Calloc(n ? n : 1, sizeof(*raws));
    if (!msgs || !iovs || !views || !raws) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0, k = 0; i < n; i++) {
        PyObject *m = PySequence_Fast_GET_ITEM(seq, i), *bufs = m, *addr = Py_None;
        Py_ssize_t count;
        if (PyTuple_Check(m)) {
            bufs = PyTuple_GET_ITEM(m, 0);
            addr = PyTuple_GET_ITEM(m, 1);
        }
        count = rs_is_sequence_of_buffers(bufs) ? PySequence_Fast_GET_SIZE(bufs) : 1;
        msgs[i].msg_hdr.msg_iov = &iovs[k];
        msgs[i].msg_hdr.msg_iovlen = (size_t)count;
        for (j = 0; j < count; j++, k++) {
            PyObject *b = rs_is_sequence_of_buffers(bufs) ? PySequence_Fast_GET_ITEM(bufs, j) : bufs;
            if (PyObject_GetBuffer(b, &views[k], PyBUF_SIMPLE) < 0)
                goto done;
            acquired = k + 1;
            iovs[k].iov_base = views[k].buf;
            iovs[k].iov_len = (size_t)views[k].len;
        }
        if (addr != Py_None) {
            raws[i] = rs_encode(addr);
            if (raws[i] == NULL)
                goto done;
            msgs[i].msg_hdr.msg_name = PyBytes_AS_STRING(raws[i]);
            msgs[i].msg_hdr.msg_namelen = (socklen_t)PyBytes_GET_SIZE(raws[i]);
        }
    }
    Py_BEGIN_ALLOW_THREADS
    r = sendmmsg(fd, msgs, (unsigned int)n, flags);
    if (r < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    result = r < 0 ? rs_raise(err, rs_name_sendmmsg) : PyLong_FromLong(r);
done:
    for (k = 0; k < acquired; k++)
        PyBuffer_Release(&views[k]);
    if (raws != NULL)
        for (i = 0; i < n; i++)
            Py_XDECREF(raws[i]);
    PyMem_Free(msgs);
    PyMem_Free(iovs);
    PyMem_Free(views);
    PyMem_Free(raws);
    Py_DECREF(seq);
    return result;
}

static PyObject *rs_fast_recvmmsg(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "vlen", "bufsize", "flags", "timeout", "ancbufsize"};
    PyObject *a[6], *list = NULL;
    Py_ssize_t vlen, bufsize, i;
    struct mmsghdr *msgs = NULL;
    struct iovec *iovs = NULL;
    struct sockaddr_storage *addrs = NULL;
    char *buf = NULL;
    int fd, flags, r, err = 0;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_recvmmsg, args, nargs, kwnames);
    if (rs_args("recvmmsg", args, nargs, kwnames, names, 6, 3, a) < 0)
        return NULL;
    if ((a[4] != NULL && a[4] != Py_None) || (a[5] != NULL && PyObject_IsTrue(a[5])))
        return PyObject_Vectorcall(rs_py_recvmmsg, args, nargs, kwnames);   /* timeout, control buffers */
    if (rs_int(a[0], 0, &fd) < 0 || rs_ssize(a[1], &vlen) == NULL || rs_ssize(a[2], &bufsize) == NULL
        || rs_int(a[3], 0, &flags) < 0)
        return NULL;
    if (vlen < 0 || bufsize < 0 || vlen > UINT_MAX || (vlen && bufsize > PY_SSIZE_T_MAX / vlen)) {
        PyErr_SetString(PyExc_ValueError, "vlen and bufsize must be non-negative and fit in memory");
        return NULL;
    }
    msgs = PyMem_Calloc(vlen ? vlen : 1, sizeof(*msgs));
    iovs = PyMem_Calloc(vlen ? vlen : 1, sizeof(*iovs));
    addrs = PyMem_Calloc(vlen ? vlen : 1, sizeof(*addrs));
    buf = PyMem_Malloc(vlen * bufsize > 0 ? (size_t)(vlen * bufsize) : 1);
    if (!msgs || !iovs || !addrs || !buf) {
        PyErr_NoMemory();
        goto done;
    }
    rs_recvmmsg_setup(msgs, iovs, (unsigned int)vlen, buf, (size_t)bufsize, addrs, NULL, 0);
    Py_BEGIN_ALLOW_THREADS
    r = recvmmsg(fd, msgs, (unsigned int)vlen, flags, NULL);
    if (r < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    if (r < 0) {
        rs_raise(err, rs_name_recvmmsg);
        goto done;
    }
    list = PyList_New(r);
    if (list == NULL)
        goto done;
    for (i = 0; i < r; i++) {
        struct msghdr *h = &msgs[i].msg_hdr;
        Py_ssize_t got = (Py_ssize_t)msgs[i].msg_len < bufsize ? (Py_ssize_t)msgs[i].msg_len : bufsize;
        PyObject *item = rs_recvmmsg_type->tp_alloc(rs_recvmmsg_type, 4), *fl;
        if (item == NULL) {
            Py_CLEAR(list);
            goto done;
        }
        PyList_SET_ITEM(list, i, item);
        fl = h->msg_flags == 0 ? (Py_INCREF(rs_msgflag_zero), rs_msgflag_zero)
                               : PyObject_CallFunction(rs_py_msgflag, "i", h->msg_flags);
        PyTuple_SET_ITEM(item, 0, PyBytes_FromStringAndSize(buf + i * bufsize, got));
        PyTuple_SET_ITEM(item, 1, rs_sender(&addrs[i], h->msg_namelen));
        PyTuple_SET_ITEM(item, 2, fl);
        PyTuple_SET_ITEM(item, 3, PyList_New(0));
        if (!PyTuple_GET_ITEM(item, 0) || !PyTuple_GET_ITEM(item, 1) || !fl || !PyTuple_GET_ITEM(item, 3)) {
            Py_CLEAR(list);
            goto done;
        }
    }
done:
    PyMem_Free(msgs);
    PyMem_Free(iovs);
    PyMem_Free(addrs);
    PyMem_Free(buf);
    return list;
}

/* --- poll: the pollfd array built in C from the (fd, events) pairs ------------------------------------- */

static PyObject *rs_fast_poll(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fds", "timeout_ms"};
    PyObject *a[2], *seq, *list = NULL;
    struct pollfd *pfds;
    Py_ssize_t n, i, k;
    int timeout = -1, r, err = 0;
    if (RS_TRACE_HOOK && rs_tracing)
        return PyObject_Vectorcall(rs_py_poll, args, nargs, kwnames);
    if (rs_args("poll", args, nargs, kwnames, names, 2, 2, a) < 0)
        return NULL;
    if (a[1] != Py_None && rs_int(a[1], -1, &timeout) < 0)
        return NULL;
    seq = PySequence_Fast(a[0], "fds must be a sequence of (fd, events) pairs");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    pfds = PyMem_Calloc(n ? n : 1, sizeof(*pfds));
    if (pfds == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, i);
        int fd, events;
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "each entry of fds must be an (fd, events) tuple or a PollFd");
            goto done;
        }
        if (rs_int(PyTuple_GET_ITEM(pair, 0), 0, &fd) < 0 || rs_int(PyTuple_GET_ITEM(pair, 1), 0, &events) < 0)
            goto done;
        if (events < SHRT_MIN || events > SHRT_MAX) {   /* struct pollfd's events is a short */
            PyErr_SetString(PyExc_OverflowError, "events does not fit struct pollfd's short");
            goto done;
        }
        pfds[i].fd = fd;
        pfds[i].events = (short)events;
    }
    Py_BEGIN_ALLOW_THREADS
    r = poll(pfds, (nfds_t)n, timeout);
    if (r < 0)
        err = errno;
    Py_END_ALLOW_THREADS
    if (r < 0) {
        rs_raise(err, rs_name_poll);
        goto done;
    }
    list = PyList_New(r);
    for (i = 0, k = 0; list != NULL && i < n && k < r; i++) {
        if (pfds[i].revents) {
            PyObject *pair = Py_BuildValue("(ii)", pfds[i].fd, (int)pfds[i].revents);
            if (pair == NULL) {
                Py_CLEAR(list);
                break;
            }
            PyList_SET_ITEM(list, k++, pair);
        }
    }
done:
    PyMem_Free(pfds);
    Py_DECREF(seq);
    return list;
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

#define RS_SENDTO_DOC "sendto($module, /, fd, data, flags, addr, addrlen=None)\n--\n\n" \
    "sendto(2) to addr.  One syscall."
#define RS_RECVFROM_DOC "recvfrom($module, /, fd, bufsize, flags=0)\n--\n\n" \
    "recvfrom(2): the bytes and the sender's address (None when the kernel returned addrlen 0, as on\n" \
    "a connected stream).  One syscall."
#define RS_RECVFROM_INTO_DOC "recvfrom_into($module, /, fd, buffer, nbytes=0, flags=0)\n--\n\n" \
    "recvfrom(2) into a writable buffer: the kernel's return value and the sender's address.  One syscall."
#define RS_SENDMMSG_DOC "sendmmsg($module, /, fd, messages, flags=0)\n--\n\n" \
    "sendmmsg(2): send a batch in one syscall; each message is bytes-like, or (buffers, addr) where\n" \
    "buffers is a list or tuple of bytes-like objects (or one of them) and addr may be None.\n" \
    "Returns how many messages the kernel sent (a partial batch is reported as is)."
#define RS_RECVMMSG_DOC "recvmmsg($module, /, fd, vlen, bufsize, flags=0, timeout=None, ancbufsize=0)\n--\n\n" \
    "recvmmsg(2): up to vlen messages of up to bufsize bytes each, in one syscall.  timeout (a Timespec\n" \
    "or seconds; None: NULL) is recvmmsg's own, checked only after each datagram arrives (see the man\n" \
    "page's BUGS).  Each message is RecvMmsg(data, address, msg_flags, ancdata)."

#define RS_POLL_DOC "poll($module, /, fds, timeout_ms)\n--\n\n" \
    "poll(2): the (fd, revents) pairs the kernel marked, in the order given (POLLNVAL included).  One\n" \
    "syscall.  timeout_ms None is -1 (block); any int goes to the kernel as given."

static PyMethodDef rs_fast_methods[] = {
    {"send", (PyCFunction)(void (*)(void))rs_fast_send, METH_FASTCALL | METH_KEYWORDS, RS_SEND_DOC},
    {"recv", (PyCFunction)(void (*)(void))rs_fast_recv, METH_FASTCALL | METH_KEYWORDS, RS_RECV_DOC},
    {"recv_into", (PyCFunction)(void (*)(void))rs_fast_recv_into, METH_FASTCALL | METH_KEYWORDS, RS_RECV_INTO_DOC},
    {"sendto", (PyCFunction)(void (*)(void))rs_fast_sendto, METH_FASTCALL | METH_KEYWORDS, RS_SENDTO_DOC},
    {"recvfrom", (PyCFunction)(void (*)(void))rs_fast_recvfrom, METH_FASTCALL | METH_KEYWORDS, RS_RECVFROM_DOC},
    {"recvfrom_into", (PyCFunction)(void (*)(void))rs_fast_recvfrom_into, METH_FASTCALL | METH_KEYWORDS,
     RS_RECVFROM_INTO_DOC},
    {"sendmmsg", (PyCFunction)(void (*)(void))rs_fast_sendmmsg, METH_FASTCALL | METH_KEYWORDS, RS_SENDMMSG_DOC},
    {"recvmmsg", (PyCFunction)(void (*)(void))rs_fast_recvmmsg, METH_FASTCALL | METH_KEYWORDS, RS_RECVMMSG_DOC},
    {"poll", (PyCFunction)(void (*)(void))rs_fast_poll, METH_FASTCALL | METH_KEYWORDS, RS_POLL_DOC},
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
        rs_error_class_of = rs_attr("rawsock._errors", "error_class");
        rs_attr_syscall = PyUnicode_InternFromString("syscall");
        rs_py_send = rs_attr("rawsock._sys_socket", "send");
        rs_py_recv = rs_attr("rawsock._sys_socket", "recv");
        rs_py_recv_into = rs_attr("rawsock._sys_socket", "recv_into");
        rs_py_sendto = rs_attr("rawsock._sys_socket", "sendto");
        rs_py_recvfrom = rs_attr("rawsock._sys_socket", "recvfrom");
        rs_py_recvfrom_into = rs_attr("rawsock._sys_socket", "recvfrom_into");
        rs_py_sendmmsg = rs_attr("rawsock._msg", "sendmmsg");
        rs_py_recvmmsg = rs_attr("rawsock._msg", "recvmmsg");
        rs_py_poll = rs_attr("rawsock._select", "poll");
        rs_name_poll = PyUnicode_InternFromString("poll");
        rs_py_msgflag = rs_attr("rawsock._msg", "msg_flags");
        rs_py_encode = rs_attr("rawsock._address", "encode");
        rs_py_decode = rs_attr("rawsock._address", "decode");
        rs_recvmmsg_type = (PyTypeObject *)rs_attr("rawsock._msg", "RecvMmsg");
        rs_name_send = PyUnicode_InternFromString("send");
        rs_name_recv = PyUnicode_InternFromString("recv");
        rs_name_sendto = PyUnicode_InternFromString("sendto");
        rs_name_recvfrom = PyUnicode_InternFromString("recvfrom");
        rs_name_sendmmsg = PyUnicode_InternFromString("sendmmsg");
        rs_name_recvmmsg = PyUnicode_InternFromString("recvmmsg");
        rs_encoded = PyDict_New();
        rs_decoded = PyDict_New();
        if (!rs_error_factory || !rs_error_class_of || !rs_attr_syscall || !rs_py_send || !rs_py_recv
            || !rs_py_recv_into || !rs_py_sendto || !rs_py_recvfrom
            || !rs_py_recvfrom_into || !rs_py_sendmmsg || !rs_py_recvmmsg || !rs_py_msgflag || !rs_py_encode
            || !rs_py_decode || !rs_recvmmsg_type || !rs_name_send || !rs_name_recv || !rs_name_sendto
            || !rs_name_recvfrom || !rs_name_sendmmsg || !rs_name_recvmmsg || !rs_encoded || !rs_decoded
            || !rs_py_poll || !rs_name_poll)
            goto done;
        rs_msgflag_zero = PyObject_CallFunction(rs_py_msgflag, "i", 0);
        if (rs_msgflag_zero == NULL)
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
