/* The field kinds of single values: integers, constants, buffers, addresses, out-parameters, timeouts,
   signal masks, and the typed arguments whose meaning depends on another argument (getsockopt/setsockopt's
   option value, ioctl's and fcntl's argument).  The message and readiness kinds are in kinds_msg.c and
   kinds_ready.c; the table of all kinds is at the end of this file. */
#include "rawsock.h"

#include <fcntl.h>
#include <net/if.h>

#include <math.h>
#include <signal.h>
#include <string.h>

#define FIELD(ctx, f) (&(ctx)->call->fields[f])
#define ARG(ctx, f, k) ((ctx)->a[FIELD(ctx, f)->first + (k)])
#define RS_STRUCT_MAX 4096   /* bytes of a struct-like memory the trace hook gets */
#define RS_SIGSETSIZE (_NSIG / 8)
/* The least rawsock allocates for memory the kernel writes by an option's or a request's type while being told
   a length: some handlers write their type's size whatever the length says (L2CAP_LM and RFCOMM_LM put a u32
   whatever optlen is, ATM's SO_SETCLP an unsigned long into a 4-byte optlen), and the 0x89 socket requests a
   family does not handle are read as a 40-byte struct ifreq.  The kernel is still told the length given. */
#define RS_OUT_MIN 64

static size_t rs_min(size_t a, size_t b) { return a < b ? a : b; }
static size_t rs_max(size_t a, size_t b) { return a > b ? a : b; }

/* What the call returned, as a size (0 for a failure). */
static size_t rs_ret_size(struct rs_ctx *ctx) { return ctx->ret < 0 ? 0 : (size_t)ctx->ret; }

/* --- int, const --------------------------------------------------------------------------------------------- */

const struct rs_range rs_ranges[] = {
    [RS_C_INT] = {INT_MIN, INT_MAX},
    [RS_C_UNSIGNED] = {INT_MIN, UINT_MAX},   /* a flags word: any 32-bit pattern */
    [RS_C_LONG] = {LONG_MIN, LONG_MAX},
    [RS_C_ULONG] = {LONG_MIN, ULONG_MAX},
    [RS_C_SIZE] = {0, SIZE_MAX},
    [RS_C_SHORT] = {SHRT_MIN, USHRT_MAX},
};

/* (the engine runs these two inline: rawsock.h) */
static int k_int_prepare(struct rs_ctx *ctx, int f)
{
    return rs_int_prepare(ctx, f);
}

static int k_const_prepare(struct rs_ctx *ctx, int f)
{
    ctx->a[FIELD(ctx, f)->first] = FIELD(ctx, f)->value;
    return 0;
}

static PyObject *k_no_out(struct rs_ctx *ctx, int f)
{
    (void)ctx, (void)f;
    Py_RETURN_NONE;
}

/* --- buffers ------------------------------------------------------------------------------------------------ */

/* A buffer of the i-th parameter, contiguous (and writable if asked): TypeError naming the argument, as
   CPython's argument clinic does, when the object cannot give one. */
int rs_get_buffer(struct rs_ctx *ctx, int f, int i, PyObject *o, Py_buffer *view, int writable)
{
    if (PyObject_GetBuffer(o, view, writable ? PyBUF_WRITABLE : PyBUF_SIMPLE) == 0)
        return 0;
    if (PyErr_ExceptionMatches(PyExc_BufferError) || PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        return rs_arg_error(ctx, f, i, PyExc_TypeError, "must be a contiguous%s bytes-like object, not %s",
                            writable ? ", writable" : "", Py_TYPE(o)->tp_name);
    }
    return -1;   /* ValueError from a released memoryview, MemoryError, a __buffer__'s own exception */
}

/* The trace of a field whose first argument was BADPTR or NULL: that object (the tracer prints the address). */
static PyObject *rs_pointer_trace(struct rs_ctx *ctx, int f)
{
    return rs_pointer_object(ARG(ctx, f, 0));
}

/* A pointer given as BADPTR or NULL for the field's first argument, its length (parameter 1, the kernel's int:
   None is 0) passed as given in the second: the slot's state 1, its length in scalar. */
static int rs_pointer_and_length(struct rs_ctx *ctx, int f, long addr)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *o = rs_param(ctx, f, 1);
    long length = 0;
    if (o != NULL && o != Py_None && rs_long(ctx, f, 1, o, INT_MIN, UINT_MAX, &length) < 0)
        return -1;
    s->state = 1;
    s->size = 0;
    s->scalar = length;
    ARG(ctx, f, 0) = addr;
    ARG(ctx, f, 1) = length;
    return 0;
}

/* A buffer's length parameter (``nbytes``): None, or an int.  With a buffer it must fit the buffer (the kernel
   would read or write past it otherwise); with BADPTR or NULL it is passed as given, as a size_t. */
static int rs_nbytes(struct rs_ctx *ctx, int f, int i, int pointer, Py_ssize_t buflen, long *out)
{
    PyObject *o = rs_param(ctx, f, i);
    long n = 0;
    if (o == NULL || o == Py_None) {
        *out = pointer ? 0 : (long)buflen;
        return 0;
    }
    if (rs_long(ctx, f, i, o, LONG_MIN, ULONG_MAX, &n) < 0)
        return -1;
    if (!pointer && (n < 0 || n > buflen))
        return rs_arg_error(ctx, f, i, PyExc_ValueError, "nbytes %R does not fit the %zd-byte buffer", o, buflen);
    *out = n;
    return 0;
}

static int k_buf_in_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *o = rs_param(ctx, f, 0);
    long addr, n = 0;
    if (rs_pointer(o, &addr)) {   /* BADPTR or NULL: the length as given */
        if (rs_nbytes(ctx, f, 1, 1, 0, &n) < 0)
            return -1;
        s->state = 1;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = n;
        return 0;
    }
    if (rs_get_buffer(ctx, f, 0, o, &s->view, 0) < 0)
        return -1;
    s->has_view = 1;
    s->state = 0;
    if (rs_nbytes(ctx, f, 1, 0, s->view.len, &n) < 0)
        return -1;
    ARG(ctx, f, 0) = (long)s->view.buf;
    ARG(ctx, f, 1) = n;
    return 0;
}

static PyObject *k_buf_in_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (after)
        Py_RETURN_NONE;
    if (s->state == 1)
        return rs_pointer_trace(ctx, f);
    return PyBytes_FromStringAndSize(s->view.buf, (Py_ssize_t)rs_min((size_t)ARG(ctx, f, 1), rs_trace_cap()));
}

static int k_buf_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    Py_ssize_t size;
    if (rs_ssize(ctx, f, 0, rs_param(ctx, f, 0), &size) < 0)
        return -1;
    s->ref[0] = PyBytes_FromStringAndSize(NULL, size);
    if (s->ref[0] == NULL)
        return -1;
    s->size = (size_t)size;
    ARG(ctx, f, 0) = (long)PyBytes_AS_STRING(s->ref[0]);
    ARG(ctx, f, 1) = (long)size;
    return 0;
}

static PyObject *k_buf_out_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(PyBytes_AS_STRING(s->ref[0]),
                                     (Py_ssize_t)rs_min(rs_min(rs_ret_size(ctx), s->size), rs_trace_cap()));
}

/* The bytes received: the new buffer cut to what the kernel wrote (under MSG_TRUNC it may report more). */
static PyObject *k_buf_out_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *b = s->ref[0];
    size_t n = rs_min(rs_ret_size(ctx), s->size);
    s->ref[0] = NULL;
    if (n < s->size && _PyBytes_Resize(&b, (Py_ssize_t)n) < 0)
        return NULL;
    return b;
}

static int k_buf_into_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s;
    PyObject *nbytes_obj = rs_param(ctx, f, 1);
    long nbytes = 0, addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {   /* BADPTR or NULL: nbytes as given, 0 included */
        s = rs_slot(ctx, f);
        if (nbytes_obj != NULL && rs_long(ctx, f, 1, nbytes_obj, LONG_MIN, ULONG_MAX, &nbytes) < 0)
            return -1;
        s->state = 1;
        s->size = 0;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = nbytes;
        return 0;
    }
    if (nbytes_obj != NULL && rs_long(ctx, f, 1, nbytes_obj, LONG_MIN, LONG_MAX, &nbytes) < 0)
        return -1;
    s = rs_slot(ctx, f);
    s->state = 0;
    if (rs_get_buffer(ctx, f, 0, rs_param(ctx, f, 0), &s->view, 1) < 0)
        return -1;
    s->has_view = 1;
    if (nbytes == 0)
        nbytes = (long)s->view.len;
    else if (nbytes < 0 || nbytes > s->view.len)
        return rs_arg_error(ctx, f, 1, PyExc_ValueError, "nbytes %ld does not fit the %zd-byte buffer", nbytes,
                            s->view.len);
    s->size = (size_t)nbytes;
    ARG(ctx, f, 0) = (long)s->view.buf;
    ARG(ctx, f, 1) = nbytes;
    return 0;
}

static PyObject *k_buf_into_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (s->state == 1)
        return rs_pointer_trace(ctx, f);
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(s->view.buf,
                                     (Py_ssize_t)rs_min(rs_min(rs_ret_size(ctx), s->size), rs_trace_cap()));
}

/* --- addresses ---------------------------------------------------------------------------------------------- */

static int k_sockaddr_in_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *addrlen_obj = rs_param(ctx, f, 1);
    const char *p;
    int limit;
    long addrlen, addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr))   /* BADPTR or NULL: addrlen as given (None: 0) */
        return rs_pointer_and_length(ctx, f, addr);
    s->state = 0;
    s->ref[0] = rs_address_encode(rs_param(ctx, f, 0), &limit);
    if (s->ref[0] == NULL)
        return rs_arg_wrap(ctx, f, 0);
    p = PyBytes_AS_STRING(s->ref[0]);
    s->size = (size_t)PyBytes_GET_SIZE(s->ref[0]);
    if (addrlen_obj == NULL || addrlen_obj == Py_None) {
        addrlen = (long)s->size;
    } else {
        if (rs_long(ctx, f, 1, addrlen_obj, INT_MIN, UINT_MAX, &addrlen) < 0)
            return -1;
        addrlen = (long)(int)(unsigned int)addrlen;   /* the kernel's int: 2**32 - 1 is -1, its EINVAL */
        if (addrlen > limit)
            return rs_arg_error(ctx, f, 1, PyExc_ValueError,
                                "addrlen %ld is longer than the %d-byte address buffer", addrlen, limit);
        if (addrlen > (long)s->size) {   /* a typed address, zero-padded up to sockaddr_storage */
            memset(&s->u.ss, 0, sizeof(s->u.ss));
            memcpy(&s->u.ss, p, s->size);
            p = (const char *)&s->u.ss;
            s->size = sizeof(s->u.ss);
        }
    }
    s->scalar = addrlen;
    ARG(ctx, f, 0) = (long)p;
    ARG(ctx, f, 1) = addrlen;
    return 0;
}

static PyObject *k_sockaddr_in_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (after)
        Py_RETURN_NONE;
    if (s->state == 1)
        return rs_pointer_trace(ctx, f);
    return PyBytes_FromStringAndSize((const char *)ARG(ctx, f, 0),
                                     s->scalar < 0 ? 0 : (Py_ssize_t)rs_min((size_t)s->scalar, s->size));
}

/* The address and its value-result length: rawsock's sockaddr_storage and socklen_t, unless the call's ``addr``
   (None, BADPTR or NULL) or ``addrlen`` (None, an int: the length the kernel is told, as given; BADPTR or NULL:
   the socklen_t pointer itself) say otherwise.  Any int is safe: the kernel writes at most its own address's
   length, which a sockaddr_storage holds, and refuses a negative one.  state: bit 0, addr was a pointer given;
   bit 1, addrlen was. */
static int k_sockaddr_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *addrlen = rs_param(ctx, f, 1);
    long v;
    s->state = 0;
    s->len = s->len_before = (socklen_t)sizeof(s->u.ss);
    ARG(ctx, f, 0) = (long)&s->u.ss;
    ARG(ctx, f, 1) = (long)&s->len;
    switch (rs_pointer_param(ctx, f, 0, &v)) {
    case -1:
        return -1;
    case 1:
        s->state |= 1;
        ARG(ctx, f, 0) = v;
    }
    if (addrlen != NULL && addrlen != Py_None) {
        if (rs_pointer(addrlen, &v)) {
            s->state |= 2;
            ARG(ctx, f, 1) = v;
        } else if (rs_long(ctx, f, 1, addrlen, INT_MIN, UINT_MAX, &v) < 0) {
            return -1;
        } else {
            s->len = s->len_before = (socklen_t)v;
        }
    }
    return 0;
}

/* before: the length given (BADPTR or NULL for a length pointer given); after: (the bytes the kernel wrote,
   None when it wrote none into rawsock's memory, and the length it left) */
static PyObject *k_sockaddr_out_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (!after) {
        if (s->state & 2)
            return rs_pointer_object(ARG(ctx, f, 1));
        return PyLong_FromUnsignedLong(s->len_before);
    }
    if (ctx->ret < 0 || s->state != 0)   /* (a pointer given for the address or its length) */
        return Py_BuildValue("(OI)", Py_None, (unsigned int)s->len);
    return Py_BuildValue("(y#I)", (const char *)&s->u.ss,
                         (Py_ssize_t)rs_min(rs_min(s->len, s->len_before), sizeof(s->u.ss)), (unsigned int)s->len);
}

/* The address the kernel wrote, as far as it wrote it (a length given shorter than the address truncates it);
   None when the address went elsewhere (a pointer given). */
static PyObject *k_sockaddr_out_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    if (s->state != 0 || (s->len == 0 && FIELD(ctx, f)->ctype == RS_C_NULLABLE))
        Py_RETURN_NONE;
    return rs_address_decode(&s->u.ss, (socklen_t)rs_min(s->len, s->len_before));
}

/* --- int_out, fd_pair ------------------------------------------------------------------------------------------ */

static int k_int_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    s->u.ints[0] = 0;
    ARG(ctx, f, 0) = (long)&s->u.ints[0];
    return 0;
}

static PyObject *k_int_out_trace(struct rs_ctx *ctx, int f, int after)
{
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    return PyLong_FromLong(ctx->s[f].u.ints[0]);
}

static PyObject *k_int_out_out(struct rs_ctx *ctx, int f)
{
    return PyLong_FromLong(ctx->s[f].u.ints[0]);
}

static int k_fd_pair_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    long addr;
    s->u.ints[0] = s->u.ints[1] = -1;
    s->state = 0;
    switch (rs_pointer_param(ctx, f, 0, &addr)) {   /* ``sv``: BADPTR or NULL for the int[2] */
    case -1:
        return -1;
    case 1:
        s->state = 1;
        ARG(ctx, f, 0) = addr;
        return 0;
    }
    ARG(ctx, f, 0) = (long)s->u.ints;
    return 0;
}

static PyObject *k_fd_pair_out(struct rs_ctx *ctx, int f)
{
    if (ctx->s[f].state == 1)   /* (the kernel cannot have written there: only a failure gets here) */
        Py_RETURN_NONE;
    return Py_BuildValue("(ii)", ctx->s[f].u.ints[0], ctx->s[f].u.ints[1]);
}

static void k_fd_pair_abandon(struct rs_ctx *ctx, int f)
{
    rs_close_fd(ctx->s[f].u.ints[0]);
    rs_close_fd(ctx->s[f].u.ints[1]);
}

static PyObject *k_fd_pair_trace(struct rs_ctx *ctx, int f, int after)
{
    if (ctx->s[f].state == 1)
        return rs_pointer_trace(ctx, f);
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    return k_fd_pair_out(ctx, f);
}

/* --- time ------------------------------------------------------------------------------------------------------ */

static int rs_is_timeval(const struct rs_field *fd) { return fd->ctype != RS_C_TIMESPEC; }

/* The struct the kernel gets, as bytes (the value given, converted for a timeval passed as a timespec). */
static PyObject *rs_time_bytes(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    const struct rs_field *fd = FIELD(ctx, f);
    if (ARG(ctx, f, 0) == 0)
        Py_RETURN_NONE;
    if (fd->ctype == RS_C_TIMEVAL_AS_TIMESPEC) {   /* what glibc's select does where there is no select syscall */
        struct rs_ktv tv = {s->u.ts.tv_sec, s->u.ts.tv_nsec / 1000};
        return PyBytes_FromStringAndSize((const char *)&tv, sizeof(tv));
    }
    return rs_is_timeval(fd) ? PyBytes_FromStringAndSize((const char *)&s->u.tv, sizeof(s->u.tv))
                             : PyBytes_FromStringAndSize((const char *)&s->u.ts, sizeof(s->u.ts));
}

static int k_time_prepare(struct rs_ctx *ctx, int f)
{
    const struct rs_field *fd = FIELD(ctx, f);
    struct rs_slot *s = rs_slot(ctx, f);
    size_t want = rs_is_timeval(fd) ? sizeof(struct rs_ktv) : sizeof(struct rs_kts);
    PyObject *raw;
    long addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {   /* NULL is None; BADPTR goes to the kernel (EFAULT) */
        s->state = addr != 0;
        s->ref[0] = addr ? rs_py.badptr : Py_None;
        Py_INCREF(s->ref[0]);
        ARG(ctx, f, 0) = addr;
        return 0;
    }
    s->state = 0;
    raw = PyObject_CallFunction(rs_py.time_encode, "sO", fd->codec, rs_param(ctx, f, 0));
    if (raw == NULL)
        return rs_arg_wrap(ctx, f, 0);
    s->ref[0] = raw;   /* the value given, as the kernel's struct (or None) */
    if (raw == Py_None) {
        ARG(ctx, f, 0) = 0;
        return 0;
    }
    if (!PyBytes_CheckExact(raw) || (size_t)PyBytes_GET_SIZE(raw) != want) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.time_encode(%s) must return %zu bytes or None", fd->codec, want);
        return -1;
    }
    if (fd->ctype == RS_C_TIMEVAL_AS_TIMESPEC) {
        struct rs_ktv tv;
        memcpy(&tv, PyBytes_AS_STRING(raw), sizeof(tv));
        s->u.ts.tv_sec = tv.tv_sec;
        s->u.ts.tv_nsec = tv.tv_usec > LONG_MAX / 1000 ? LONG_MAX : tv.tv_usec < LONG_MIN / 1000 ? LONG_MIN
                          : tv.tv_usec * 1000;
        ARG(ctx, f, 0) = (long)&s->u.ts;
    } else if (rs_is_timeval(fd)) {
        memcpy(&s->u.tv, PyBytes_AS_STRING(raw), sizeof(s->u.tv));
        ARG(ctx, f, 0) = (long)&s->u.tv;
    } else {
        memcpy(&s->u.ts, PyBytes_AS_STRING(raw), sizeof(s->u.ts));
        ARG(ctx, f, 0) = (long)&s->u.ts;
    }
    return 0;
}

static PyObject *k_time_trace(struct rs_ctx *ctx, int f, int after)
{
    if (!after || ctx->s[f].state == 1) {
        Py_INCREF(ctx->s[f].ref[0]);
        return ctx->s[f].ref[0];
    }
    if (FIELD(ctx, f)->ctype == RS_C_TIMEVAL_AS_TIMESPEC && ARG(ctx, f, 0) != 0)   /* the timespec the kernel left */
        return PyBytes_FromStringAndSize((const char *)&ctx->s[f].u.ts, sizeof(ctx->s[f].u.ts));
    return rs_time_bytes(ctx, f);
}

/* (the value given, the value the kernel left): Timeval or Timespec, None for NULL */
static PyObject *k_time_out(struct rs_ctx *ctx, int f)
{
    const char *codec = FIELD(ctx, f)->codec;
    PyObject *after, *given, *left, *pair;
    if (ctx->s[f].state == 1)   /* BADPTR (the kernel refuses it: only a fault injection gets here) */
        return PyTuple_Pack(2, rs_py.badptr, rs_py.badptr);
    after = rs_time_bytes(ctx, f);
    if (after == NULL)
        return NULL;
    given = PyObject_CallFunction(rs_py.time_decode, "sO", codec, ctx->s[f].ref[0]);
    left = given == NULL ? NULL : PyObject_CallFunction(rs_py.time_decode, "sO", codec, after);
    Py_DECREF(after);
    pair = left == NULL ? NULL : PyTuple_Pack(2, given, left);
    Py_XDECREF(given);
    Py_XDECREF(left);
    return pair;
}

static int k_timeout_ms_prepare(struct rs_ctx *ctx, int f)
{
    PyObject *o = rs_param(ctx, f, 0);
    struct rs_slot *s = &ctx->s[f];
    long ms;
    if (o == Py_None) {
        ms = -1;
    } else if (PyFloat_Check(o)) {   /* rounded away from zero, as select.poll rounds a timeout */
        double d = PyFloat_AS_DOUBLE(o);
        if (isnan(d))
            return rs_arg_error(ctx, f, 0, PyExc_ValueError, "a timeout cannot be NaN");
        d = d < 0 ? floor(d) : ceil(d);
        if (!(d >= INT_MIN && d <= INT_MAX))
            return rs_arg_error(ctx, f, 0, PyExc_OverflowError, "%R milliseconds does not fit a C int", o);
        ms = (long)d;
    } else if (rs_long(ctx, f, 0, o, INT_MIN, INT_MAX, &ms) < 0) {
        return -1;
    }
    s->scalar = ms;
    if (FIELD(ctx, f)->ctype == RS_C_TIMESPEC) {   /* glibc's poll where there is only ppoll */
        if (ms < 0) {
            ARG(ctx, f, 0) = 0;
            return 0;
        }
        s->u.ts.tv_sec = ms / 1000;
        s->u.ts.tv_nsec = (ms % 1000) * 1000000;
        ARG(ctx, f, 0) = (long)&s->u.ts;
        return 0;
    }
    ARG(ctx, f, 0) = ms;
    return 0;
}

static PyObject *k_timeout_ms_trace(struct rs_ctx *ctx, int f, int after)
{
    if (FIELD(ctx, f)->ctype != RS_C_TIMESPEC || ARG(ctx, f, 0) == 0)
        Py_RETURN_NONE;
    (void)after;
    return PyBytes_FromStringAndSize((const char *)&ctx->s[f].u.ts, sizeof(ctx->s[f].u.ts));
}

/* --- signal masks ------------------------------------------------------------------------------------------------ */

/* The kernel's sigset for the parameter (None: NULL), in rawsock's memory. */
static int rs_sigset(struct rs_ctx *ctx, int f, const void **out)
{
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *raw;
    long addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {   /* NULL is None; BADPTR goes to the kernel (EFAULT) */
        s->ref[0] = addr ? rs_py.badptr : Py_None;
        Py_INCREF(s->ref[0]);
        *out = (const void *)addr;
        return 0;
    }
    raw = PyObject_CallOneArg(rs_py.sigset, rs_param(ctx, f, 0));
    if (raw == NULL)
        return rs_arg_wrap(ctx, f, 0);
    s->ref[0] = raw;
    if (raw == Py_None) {
        *out = NULL;
        return 0;
    }
    if (!PyBytes_CheckExact(raw) || PyBytes_GET_SIZE(raw) != RS_SIGSETSIZE) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.sigset must return %d bytes or None", (int)RS_SIGSETSIZE);
        return -1;
    }
    s->mem = PyMem_Calloc(1, sizeof(sigset_t));   /* at least what libc calls a sigset */
    if (s->mem == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(s->mem, PyBytes_AS_STRING(raw), RS_SIGSETSIZE);
    *out = s->mem;
    return 0;
}

static int k_sigmask_prepare(struct rs_ctx *ctx, int f)
{
    const void *set = NULL;
    if (rs_sigset(ctx, f, &set) < 0)
        return -1;
    ARG(ctx, f, 0) = (long)set;
    ARG(ctx, f, 1) = RS_SIGSETSIZE;
    return 0;
}

static int k_sigdata_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    const void *set = NULL;
    if (rs_sigset(ctx, f, &set) < 0)
        return -1;
    s->u.sigdata.set = set;
    s->u.sigdata.len = RS_SIGSETSIZE;   /* pselect6's {sigset, sigsetsize}, as glibc passes it */
    ARG(ctx, f, 0) = (long)&s->u.sigdata;
    return 0;
}

static PyObject *k_sigmask_trace(struct rs_ctx *ctx, int f, int after)
{
    if (after)
        Py_RETURN_NONE;
    Py_INCREF(ctx->s[f].ref[0]);
    return ctx->s[f].ref[0];
}

/* --- typed values: a codec of rawsock._codecs says what an argument is, from the arguments before it --------- */

static PyObject *rs_before_args(struct rs_ctx *ctx, int f)
{
    int n = FIELD(ctx, f)->first, i;
    PyObject *t = PyTuple_New(n);
    for (i = 0; t != NULL && i < n; i++) {
        PyObject *v = PyLong_FromLong(ctx->a[i]);
        if (v == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

enum { RS_TYPED_VALUE, RS_TYPED_COPY, RS_TYPED_BUFFER, RS_TYPED_POINTER, RS_TYPED_IFCONF };

/* ioctl, fcntl: codec.typed_in(name, args before, value, None) -> (mode, payload, size, token):
   mode VALUE passes the int payload itself; COPY copies the bytes payload into a new zeroed buffer of
   size bytes (size >= len) and passes its address; BUFFER passes the address of the payload's writable
   buffer. */
static int k_typed_arg_prepare(struct rs_ctx *ctx, int f)
{
    const struct rs_field *fd = FIELD(ctx, f);
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *before, *spec, *payload;
    long mode, size, addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {   /* BADPTR or NULL, whatever the request or command */
        s->state = RS_TYPED_POINTER;
        ARG(ctx, f, 0) = addr;
        return 0;
    }
    if ((before = rs_before_args(ctx, f)) == NULL)
        return -1;
    spec = PyObject_CallFunction(rs_py.typed_in, "sOOO", fd->codec, before, rs_param(ctx, f, 0), Py_None);
    Py_DECREF(before);
    if (spec == NULL)
        return rs_arg_wrap(ctx, f, 0);
    s->ref[0] = spec;
    if (!PyTuple_CheckExact(spec) || PyTuple_GET_SIZE(spec) != 4) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.typed_in(%s) must return a 4-tuple", fd->codec);
        return -1;
    }
    mode = PyLong_AsLong(PyTuple_GET_ITEM(spec, 0));
    payload = PyTuple_GET_ITEM(spec, 1);
    size = PyLong_AsLong(PyTuple_GET_ITEM(spec, 2));
    if ((mode == -1 || size == -1) && PyErr_Occurred())
        return -1;
    s->state = (unsigned char)mode;
    switch (mode) {
    case RS_TYPED_VALUE:
        return rs_long(ctx, f, 0, payload, LONG_MIN, ULONG_MAX, &ARG(ctx, f, 0));
    case RS_TYPED_COPY:
        if (!PyBytes_CheckExact(payload) || size < PyBytes_GET_SIZE(payload)) {
            PyErr_Format(PyExc_TypeError, "rawsock._codecs.typed_in(%s): bytes no longer than the size", fd->codec);
            return -1;
        }
        s->mem = PyMem_Calloc(rs_max((size_t)size, RS_OUT_MIN), 1);
        if (s->mem == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(s->mem, PyBytes_AS_STRING(payload), (size_t)PyBytes_GET_SIZE(payload));
        s->size = (size_t)size;
        ARG(ctx, f, 0) = (long)s->mem;
        return 0;
    case RS_TYPED_BUFFER:   /* the caller's buffer, by address: it must hold the ``size`` bytes the kernel may
                               write (checked here, on the buffer the kernel gets: the codec saw another export) */
        if (rs_get_buffer(ctx, f, 0, payload, &s->view, 1) < 0)
            return -1;
        s->has_view = 1;
        if (size < 0 || s->view.len < size)
            return rs_arg_error(ctx, f, 0, PyExc_ValueError, "the kernel may write %ld bytes: the %zd-byte buffer is "
                                "too small", size, s->view.len);
        s->size = (size_t)s->view.len;
        ARG(ctx, f, 0) = (long)s->view.buf;
        return 0;
    case RS_TYPED_IFCONF: {   /* SIOCGIFCONF: payload (ifc_len, the buffer's size, None for NULL, or BADPTR or
                                 NULL): a struct ifconf whose ifc_buf is a second buffer rawsock owns, of at least
                                 ifc_len bytes (the kernel writes whole ifreqs within ifc_len, and no further) */
        struct ifconf *ifc;
        PyObject *buf;
        long len, bufsize, addr;
        if (!PyTuple_CheckExact(payload) || PyTuple_GET_SIZE(payload) != 2) {
            PyErr_Format(PyExc_TypeError, "rawsock._codecs.typed_in(%s): an ifconf is (ifc_len, buffer)", fd->codec);
            return -1;
        }
        if (rs_long(ctx, f, 0, PyTuple_GET_ITEM(payload, 0), INT_MIN, INT_MAX, &len) < 0)
            return -1;
        if ((ifc = s->mem = PyMem_Calloc(rs_max(sizeof(struct ifconf), RS_OUT_MIN), 1)) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        ifc->ifc_len = (int)len;
        buf = PyTuple_GET_ITEM(payload, 1);
        s->n = 0;
        if (rs_pointer(buf, &addr)) {
            ifc->ifc_buf = (char *)addr;
        } else if (buf != Py_None) {
            if (rs_long(ctx, f, 0, buf, 0, INT_MAX, &bufsize) < 0)
                return -1;
            if (bufsize < len) {
                PyErr_Format(PyExc_ValueError, "an ifc_len of %ld needs a buffer of as many bytes, not %ld", len,
                             bufsize);
                return -1;
            }
            if ((s->mem2 = PyMem_Calloc(bufsize ? (size_t)bufsize : 1, 1)) == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            ifc->ifc_buf = s->mem2;
            s->n = (size_t)bufsize;
        }
        s->size = sizeof(struct ifconf);
        ARG(ctx, f, 0) = (long)ifc;
        return 0;
    }
    default:
        PyErr_Format(PyExc_ValueError, "rawsock._codecs.typed_in(%s): unknown mode %ld", fd->codec, mode);
        return -1;
    }
}

/* SIOCGIFCONF's memory, as bytes: the struct ifconf, then the bytes of ifc_buf the kernel may have written (none
   before the call, or when ifc_buf is not rawsock's) */
static PyObject *rs_ifconf_bytes(struct rs_slot *s, int after)
{
    const struct ifconf *ifc = s->mem;
    size_t n = after && ifc->ifc_len > 0 && s->mem2 != NULL ? rs_min((size_t)ifc->ifc_len, s->n) : 0;
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(sizeof(*ifc) + n));
    if (b == NULL)
        return NULL;
    memcpy(PyBytes_AS_STRING(b), ifc, sizeof(*ifc));
    if (n)
        memcpy(PyBytes_AS_STRING(b) + sizeof(*ifc), s->mem2, n);
    return b;
}

static const void *rs_typed_mem(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    return s->state == RS_TYPED_BUFFER ? s->view.buf : s->mem;
}

static PyObject *k_typed_arg_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    (void)after;
    if (s->state == RS_TYPED_POINTER)
        return rs_pointer_trace(ctx, f);
    if (s->state == RS_TYPED_IFCONF)
        return rs_ifconf_bytes(s, after && ctx->ret >= 0);
    if (s->state == RS_TYPED_VALUE)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(rs_typed_mem(ctx, f), (Py_ssize_t)rs_min(s->size, RS_STRUCT_MAX));
}

/* codec.typed_out(name, token, the memory after the call or None) */
static PyObject *k_typed_arg_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *after, *value;
    if (s->state == RS_TYPED_POINTER)   /* nothing of rawsock's to read: the result is the return value */
        Py_RETURN_NONE;
    if (s->state == RS_TYPED_IFCONF) {
        after = rs_ifconf_bytes(s, 1);
        if (after == NULL)
            return NULL;
    } else if (s->state == RS_TYPED_VALUE) {
        Py_INCREF(Py_None);
        after = Py_None;
    } else {
        after = PyBytes_FromStringAndSize(rs_typed_mem(ctx, f), (Py_ssize_t)s->size);
        if (after == NULL)
            return NULL;
    }
    value = PyObject_CallFunction(rs_py.typed_out, "sOO", FIELD(ctx, f)->codec, PyTuple_GET_ITEM(s->ref[0], 3), after);
    Py_DECREF(after);
    return value;
}

/* fcntl's F_DUPFD and F_DUPFD_CLOEXEC return a new fd: the command is the syscall argument before this one */
static void k_fcntl_arg_abandon(struct rs_ctx *ctx, int f)
{
    long cmd = ctx->a[FIELD(ctx, f)->first - 1];
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        rs_close_fd((int)ctx->ret);
}

/* setsockopt: codec.typed_in(name, args before, value, optlen) -> (mode COPY, bytes, optlen, token); the
   kernel never gets an optlen longer than the bytes (a negative one it refuses itself). */
static int k_optval_in_prepare(struct rs_ctx *ctx, int f)
{
    const struct rs_field *fd = FIELD(ctx, f);
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *before, *spec, *payload, *optlen = rs_param(ctx, f, 1);
    long length, addr;
    if (rs_pointer(rs_param(ctx, f, 0), &addr))   /* BADPTR or NULL: optlen as given (None: 0) */
        return rs_pointer_and_length(ctx, f, addr);
    s->state = 0;
    if ((before = rs_before_args(ctx, f)) == NULL)
        return -1;
    spec = PyObject_CallFunction(rs_py.typed_in, "sOOO", fd->codec, before, rs_param(ctx, f, 0),
                                 optlen == NULL ? Py_None : optlen);
    Py_DECREF(before);
    if (spec == NULL)
        return rs_arg_wrap(ctx, f, 0);
    s->ref[0] = spec;
    if (!PyTuple_CheckExact(spec) || PyTuple_GET_SIZE(spec) != 4 || !PyBytes_CheckExact(PyTuple_GET_ITEM(spec, 1))) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.typed_in(%s) must return (mode, bytes, optlen, token)",
                     fd->codec);
        return -1;
    }
    payload = PyTuple_GET_ITEM(spec, 1);
    if (rs_long(ctx, f, 1, PyTuple_GET_ITEM(spec, 2), INT_MIN, UINT_MAX, &length) < 0)
        return -1;
    length = (long)(int)(unsigned int)length;   /* the kernel's int optlen */
    if (length > PyBytes_GET_SIZE(payload))
        return rs_arg_error(ctx, f, 1, PyExc_ValueError, "optlen %ld is longer than the %zd-byte value", length,
                            PyBytes_GET_SIZE(payload));
    s->size = (size_t)PyBytes_GET_SIZE(payload);
    s->scalar = length;
    ARG(ctx, f, 0) = (long)PyBytes_AS_STRING(payload);   /* immutable, and held until the call ends */
    ARG(ctx, f, 1) = length;
    return 0;
}

static PyObject *k_optval_in_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (after)
        Py_RETURN_NONE;
    if (s->state == 1)
        return rs_pointer_trace(ctx, f);
    return PyBytes_FromStringAndSize((const char *)ARG(ctx, f, 0),
                                     s->scalar < 0 ? 0 : (Py_ssize_t)rs_min(rs_min((size_t)s->scalar, s->size),
                                                                            RS_STRUCT_MAX));
}

/* An option the kernel reads before it writes (TCP_ZEROCOPY_RECEIVE): ``initial``, the value's bytes, at most
   the optval's size; ``attached``, up to two (offset, size) pairs, each a second buffer rawsock allocates
   (zeroed) whose address it writes at that offset of the optval, as the u64 the struct has there (the kernel
   writes through it: at most the size that goes with it in the struct, which the codec wrote as that size). */
static int rs_optval_attach(struct rs_ctx *ctx, int f, PyObject *initial, PyObject *attached)
{
    struct rs_slot *s = &ctx->s[f];
    Py_ssize_t k;
    if (!PyBytes_CheckExact(initial) || (size_t)PyBytes_GET_SIZE(initial) > s->size || !PyTuple_CheckExact(attached)
        || PyTuple_GET_SIZE(attached) > 2) {
        PyErr_SetString(PyExc_TypeError, "rawsock._codecs.typed_out_spec: initial bytes no longer than the value, "
                        "and at most two attached buffers");
        return -1;
    }
    memcpy(s->mem, PyBytes_AS_STRING(initial), (size_t)PyBytes_GET_SIZE(initial));
    for (k = 0; k < PyTuple_GET_SIZE(attached); k++) {
        PyObject *pair = PyTuple_GET_ITEM(attached, k);
        long offset, size;
        uint64_t address;
        void *buf;
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2
            || rs_long(ctx, f, 0, PyTuple_GET_ITEM(pair, 0), 0, INT_MAX, &offset) < 0
            || rs_long(ctx, f, 0, PyTuple_GET_ITEM(pair, 1), 0, INT_MAX, &size) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "rawsock._codecs.typed_out_spec: an attached buffer is (offset, size)");
            return -1;
        }
        if ((size_t)offset + sizeof(address) > s->size) {
            PyErr_SetString(PyExc_ValueError, "rawsock._codecs.typed_out_spec: an attached buffer's address is past "
                            "the value");
            return -1;
        }
        if (size == 0)
            continue;   /* a NULL address: no buffer */
        if ((buf = PyMem_Calloc((size_t)size, 1)) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (k == 0) {
            s->mem2 = buf;
            s->n = (size_t)size;
        } else {
            s->mem3 = buf;
            s->scalar = size;
        }
        address = (uint64_t)(uintptr_t)buf;
        memcpy((char *)s->mem + offset, &address, sizeof(address));
    }
    return 0;
}

/* getsockopt: codec.typed_out_spec(name, args before, buflen) -> (size, token); the kernel gets a zeroed
   buffer of size bytes and optlen = size; codec.typed_out(name, token, what it wrote) is the result.  A negative
   size (buflen -1) is passed as given, with a buffer the kernel never writes (it refuses a negative optlen
   first).  ``optval`` BADPTR or NULL passes that pointer (optlen: buflen as given, 0 if None); ``optlen`` BADPTR
   or NULL passes that pointer for the socklen_t.  state: bit 0, optval was a pointer given; bit 1, optlen was. */
static int k_optval_out_prepare(struct rs_ctx *ctx, int f)
{
    const struct rs_field *fd = FIELD(ctx, f);
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *before, *spec, *buflen = rs_param(ctx, f, 0);
    long size, addr = 0, lenaddr = 0;
    int state = 0, r;
    if ((r = rs_pointer_param(ctx, f, 2, &lenaddr)) < 0)
        return -1;
    state |= r ? 2 : 0;
    if ((r = rs_pointer_param(ctx, f, 1, &addr)) < 0)
        return -1;
    if (r) {
        size = 0;
        if (buflen != NULL && buflen != Py_None && rs_long(ctx, f, 0, buflen, INT_MIN, UINT_MAX, &size) < 0)
            return -1;
        s->state = (unsigned char)(state | 1);
        s->size = 0;
        s->len = s->len_before = (socklen_t)size;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = state & 2 ? lenaddr : (long)&s->len;
        return 0;
    }
    s->state = (unsigned char)state;
    s->n = 0;
    s->scalar = 0;
    if ((before = rs_before_args(ctx, f)) == NULL)
        return -1;
    spec = PyObject_CallFunction(rs_py.typed_out_spec, "sOOO", fd->codec, before, buflen == NULL ? Py_None : buflen,
                                 rs_param(ctx, f, 3) == NULL ? Py_None : rs_param(ctx, f, 3));
    Py_DECREF(before);
    if (spec == NULL)
        return rs_arg_wrap(ctx, f, rs_param(ctx, f, 3) != NULL && rs_param(ctx, f, 3) != Py_None ? 3 : 0);
    s->ref[0] = spec;
    if (!PyTuple_CheckExact(spec) || (PyTuple_GET_SIZE(spec) != 2 && PyTuple_GET_SIZE(spec) != 4)) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.typed_out_spec(%s) must return (size, token[, initial, "
                     "attached])", fd->codec);
        return -1;
    }
    if (rs_long(ctx, f, 0, PyTuple_GET_ITEM(spec, 0), INT_MIN, INT_MAX, &size) < 0)
        return -1;
    s->mem = PyMem_Calloc(size < 0 ? RS_OUT_MIN : rs_max((size_t)size, RS_OUT_MIN), 1);
    if (s->mem == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    s->size = size < 0 ? 0 : (size_t)size;
    s->len = s->len_before = (socklen_t)size;
    if (PyTuple_GET_SIZE(spec) == 4 && rs_optval_attach(ctx, f, PyTuple_GET_ITEM(spec, 2), PyTuple_GET_ITEM(spec, 3)) < 0)
        return -1;
    ARG(ctx, f, 0) = (long)s->mem;
    ARG(ctx, f, 1) = state & 2 ? lenaddr : (long)&s->len;
    return 0;
}

static PyObject *k_optval_out_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (s->state & 2)   /* the length pointer given: shown as that pointer */
        return rs_pointer_object(ARG(ctx, f, 1));
    if (!after)
        return PyLong_FromUnsignedLong(s->len_before);
    if (ctx->ret < 0 || (s->state & 1))
        return Py_BuildValue("(OI)", Py_None, (unsigned int)s->len);
    return Py_BuildValue("(y#I)", (const char *)s->mem, (Py_ssize_t)rs_min(rs_min(s->len, s->size), RS_STRUCT_MAX),
                         (unsigned int)s->len);
}

static PyObject *k_optval_out_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *raw, *value;
    if (s->state != 0)   /* the value or its length went to a pointer given: nothing of rawsock's to decode */
        Py_RETURN_NONE;
    raw = PyBytes_FromStringAndSize((const char *)s->mem, (Py_ssize_t)rs_min(s->len, s->size));
    if (raw != NULL && PyTuple_GET_SIZE(s->ref[0]) == 4)   /* (the value, then each attached buffer whole) */
        Py_SETREF(raw, Py_BuildValue("(ONN)", raw, rs_bytes_or_none(s->mem2, s->n),
                                     rs_bytes_or_none(s->mem3, (size_t)s->scalar)));
    if (raw == NULL)
        return NULL;
    value = PyObject_CallFunction(rs_py.typed_out, "sOO", FIELD(ctx, f)->codec, PyTuple_GET_ITEM(s->ref[0], 1), raw);
    Py_DECREF(raw);
    return value;
}

/* --- the table of kinds --------------------------------------------------------------------------------------- */

int rs_k_msghdr_in_prepare(struct rs_ctx *, int);
PyObject *rs_k_msghdr_in_trace(struct rs_ctx *, int, int);
int rs_k_msghdr_out_prepare(struct rs_ctx *, int);
PyObject *rs_k_msghdr_out_trace(struct rs_ctx *, int, int);
PyObject *rs_k_msghdr_out_out(struct rs_ctx *, int);
void rs_k_msghdr_out_abandon(struct rs_ctx *, int);
int rs_k_mmsg_in_prepare(struct rs_ctx *, int);
PyObject *rs_k_mmsg_in_trace(struct rs_ctx *, int, int);
PyObject *rs_k_mmsg_in_out(struct rs_ctx *, int);
int rs_k_mmsg_out_prepare(struct rs_ctx *, int);
PyObject *rs_k_mmsg_out_trace(struct rs_ctx *, int, int);
PyObject *rs_k_mmsg_out_out(struct rs_ctx *, int);
void rs_k_mmsg_out_abandon(struct rs_ctx *, int);
int rs_k_fdsets_prepare(struct rs_ctx *, int);
PyObject *rs_k_fdsets_trace(struct rs_ctx *, int, int);
PyObject *rs_k_fdsets_out(struct rs_ctx *, int);
int rs_k_pollfds_prepare(struct rs_ctx *, int);
PyObject *rs_k_pollfds_trace(struct rs_ctx *, int, int);
PyObject *rs_k_pollfds_out(struct rs_ctx *, int);
int rs_k_iovec_prepare(struct rs_ctx *, int);
PyObject *rs_k_iovec_trace(struct rs_ctx *, int, int);
int rs_k_offset_prepare(struct rs_ctx *, int);
PyObject *rs_k_offset_trace(struct rs_ctx *, int, int);
PyObject *rs_k_offset_out(struct rs_ctx *, int);
int rs_k_struct_in_prepare(struct rs_ctx *, int);
PyObject *rs_k_struct_in_trace(struct rs_ctx *, int, int);
int rs_k_struct_array_out_prepare(struct rs_ctx *, int);
PyObject *rs_k_struct_array_out_trace(struct rs_ctx *, int, int);
PyObject *rs_k_struct_array_out_out(struct rs_ctx *, int);

const struct rs_kindops rs_kinds[RS_NKINDS] = {
    [RS_K_INT] = {k_int_prepare, rs_none, k_no_out},
    [RS_K_CONST] = {k_const_prepare, rs_none, k_no_out},
    [RS_K_BUF_IN] = {k_buf_in_prepare, k_buf_in_trace, k_no_out},
    [RS_K_BUF_OUT] = {k_buf_out_prepare, k_buf_out_trace, k_buf_out_out},
    [RS_K_BUF_INTO] = {k_buf_into_prepare, k_buf_into_trace, k_no_out},
    [RS_K_SOCKADDR_IN] = {k_sockaddr_in_prepare, k_sockaddr_in_trace, k_no_out},
    [RS_K_SOCKADDR_OUT] = {k_sockaddr_out_prepare, k_sockaddr_out_trace, k_sockaddr_out_out},
    [RS_K_INT_OUT] = {k_int_out_prepare, k_int_out_trace, k_int_out_out},
    [RS_K_FD_PAIR] = {k_fd_pair_prepare, k_fd_pair_trace, k_fd_pair_out, k_fd_pair_abandon},
    [RS_K_MSGHDR_IN] = {rs_k_msghdr_in_prepare, rs_k_msghdr_in_trace, k_no_out},
    [RS_K_MSGHDR_OUT] = {rs_k_msghdr_out_prepare, rs_k_msghdr_out_trace, rs_k_msghdr_out_out,
                         rs_k_msghdr_out_abandon},
    [RS_K_MMSG_IN] = {rs_k_mmsg_in_prepare, rs_k_mmsg_in_trace, rs_k_mmsg_in_out},
    [RS_K_MMSG_OUT] = {rs_k_mmsg_out_prepare, rs_k_mmsg_out_trace, rs_k_mmsg_out_out, rs_k_mmsg_out_abandon},
    [RS_K_FDSETS] = {rs_k_fdsets_prepare, rs_k_fdsets_trace, rs_k_fdsets_out},
    [RS_K_TIME] = {k_time_prepare, k_time_trace, k_time_out},
    [RS_K_SIGMASK] = {k_sigmask_prepare, k_sigmask_trace, k_no_out},
    [RS_K_SIGDATA] = {k_sigdata_prepare, k_sigmask_trace, k_no_out},
    [RS_K_POLLFDS] = {rs_k_pollfds_prepare, rs_k_pollfds_trace, rs_k_pollfds_out},
    [RS_K_TIMEOUT_MS] = {k_timeout_ms_prepare, k_timeout_ms_trace, k_no_out},
    [RS_K_OPTVAL_IN] = {k_optval_in_prepare, k_optval_in_trace, k_no_out},
    [RS_K_OPTVAL_OUT] = {k_optval_out_prepare, k_optval_out_trace, k_optval_out_out},
    [RS_K_IOCTL_ARG] = {k_typed_arg_prepare, k_typed_arg_trace, k_typed_arg_out},
    [RS_K_FCNTL_ARG] = {k_typed_arg_prepare, k_typed_arg_trace, k_typed_arg_out, k_fcntl_arg_abandon},
    [RS_K_IOVEC] = {rs_k_iovec_prepare, rs_k_iovec_trace, k_no_out},
    [RS_K_OFFSET] = {rs_k_offset_prepare, rs_k_offset_trace, rs_k_offset_out},
    [RS_K_STRUCT_IN] = {rs_k_struct_in_prepare, rs_k_struct_in_trace, k_no_out},
    [RS_K_STRUCT_ARRAY_OUT] = {rs_k_struct_array_out_prepare, rs_k_struct_array_out_trace,
                               rs_k_struct_array_out_out},
};
