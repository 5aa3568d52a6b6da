/* The kinds of the file calls: a file offset the kernel reads and advances (sendfile, splice), and the structs
   a codec of rawsock._codecs encodes and decodes by name (epoll_ctl's struct epoll_event in, epoll_wait's
   array out).  The iovec kind (readv, writev) shares the message kinds' buffer code, in kinds_msg.c. */
#include "rawsock.h"

#include <string.h>

#define FIELD(ctx, f) (&(ctx)->call->fields[f])
#define ARG(ctx, f, k) ((ctx)->a[FIELD(ctx, f)->first + (k)])

static size_t rs_min(size_t a, size_t b) { return a < b ? a : b; }

/* --- offset: a loff_t * (None: NULL), value-result ------------------------------------------------------------- */

int rs_k_offset_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    PyObject *o = rs_param(ctx, f, 0);
    long v;
    s->state = 0;
    if (o == Py_None) {
        ARG(ctx, f, 0) = 0;
        return 0;
    }
    if (rs_pointer(o, &v)) {   /* NULL is None; BADPTR goes to the kernel (EFAULT) */
        s->state = v != 0;
        ARG(ctx, f, 0) = v;
        return 0;
    }
    if (rs_long(ctx, f, 0, o, LONG_MIN, LONG_MAX, &v) < 0)
        return -1;
    s->scalar = v;   /* the value given */
    s->u.off = v;
    ARG(ctx, f, 0) = (long)&s->u.off;
    return 0;
}

/* before: the offset given (None: NULL); after: the offset the kernel left */
PyObject *rs_k_offset_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    if (ARG(ctx, f, 0) == 0)
        Py_RETURN_NONE;
    if (s->state == 1) {   /* BADPTR */
        Py_INCREF(rs_py.badptr);
        return rs_py.badptr;
    }
    return PyLong_FromLongLong(after ? (long long)s->u.off : (long long)s->scalar);
}

PyObject *rs_k_offset_out(struct rs_ctx *ctx, int f)
{
    return rs_k_offset_trace(ctx, f, 1);
}

/* --- struct_in: a struct the kernel reads, encoded by a codec (None: NULL) --------------------------------------- */

/* The field's value is the struct's size: the codec must give exactly that many bytes. */
int rs_k_struct_in_prepare(struct rs_ctx *ctx, int f)
{
    const struct rs_field *fd = FIELD(ctx, f);
    struct rs_slot *s = rs_slot(ctx, f);
    size_t size = (size_t)fd->value;
    PyObject *o = rs_param(ctx, f, 0), *raw;
    long addr;
    if (o == Py_None) {
        ARG(ctx, f, 0) = 0;
        return 0;
    }
    if (rs_pointer(o, &addr)) {   /* BADPTR or NULL */
        s->ref[0] = o;
        Py_INCREF(o);
        ARG(ctx, f, 0) = addr;
        return 0;
    }
    raw = PyObject_CallFunction(rs_py.struct_encode, "sO", fd->codec, o);
    if (raw == NULL)
        return rs_arg_wrap(ctx, f, 0);
    s->ref[0] = raw;
    if (!PyBytes_CheckExact(raw) || (size_t)PyBytes_GET_SIZE(raw) != size) {
        PyErr_Format(PyExc_TypeError, "rawsock._codecs.struct_encode(%s) must return %zu bytes", fd->codec, size);
        return -1;
    }
    if ((s->mem = PyMem_Malloc(size ? size : 1)) == NULL) {   /* aligned for the struct, unlike the bytes */
        PyErr_NoMemory();
        return -1;
    }
    memcpy(s->mem, PyBytes_AS_STRING(raw), size);
    ARG(ctx, f, 0) = (long)s->mem;
    return 0;
}

PyObject *rs_k_struct_in_trace(struct rs_ctx *ctx, int f, int after)
{
    if (after || ARG(ctx, f, 0) == 0)
        Py_RETURN_NONE;
    Py_INCREF(ctx->s[f].ref[0]);
    return ctx->s[f].ref[0];
}

/* --- struct_array_out: an array of count structs the kernel fills, and count --------------------------------------- */

/* count is passed as given (an int).  The array holds count entries of the field's value bytes each, except where
   the kernel refuses count before it writes anything (0 or less, or above INT_MAX / the entry's size: epoll_wait's
   EP_MAX_EVENTS), where one entry is enough.  A count that cannot be allocated is a MemoryError. */
int rs_k_struct_array_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    size_t size = (size_t)FIELD(ctx, f)->value, entries;
    long count, addr;
    s->state = 0;
    if (rs_long(ctx, f, 0, rs_param(ctx, f, 0), INT_MIN, INT_MAX, &count) < 0)
        return -1;
    switch (rs_pointer_param(ctx, f, 1, &addr)) {   /* BADPTR or NULL for the array: count as given */
    case -1:
        return -1;
    case 1:
        s->state = 1;
        s->n = 0;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = count;
        return 0;
    }
    entries = count <= 0 || (size_t)count > (size_t)INT_MAX / size ? 1 : (size_t)count;
    /* (not zeroed: only the entries the kernel filled are read) */
    if (entries > SIZE_MAX / size || (s->mem = PyMem_Malloc(entries * size)) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    s->n = entries;
    ARG(ctx, f, 0) = (long)s->mem;
    ARG(ctx, f, 1) = count;
    return 0;
}

/* The bytes of the entries the kernel filled (the return value's count, bounded by the array), up to `cap`. */
static PyObject *rs_filled(struct rs_ctx *ctx, int f, size_t cap)
{
    struct rs_slot *s = &ctx->s[f];
    size_t size = (size_t)FIELD(ctx, f)->value, n = ctx->ret < 0 ? 0 : rs_min((size_t)ctx->ret, s->n);
    return PyBytes_FromStringAndSize(s->mem, (Py_ssize_t)(rs_min(n, cap) * size));
}

PyObject *rs_k_struct_array_out_trace(struct rs_ctx *ctx, int f, int after)
{
    if (ctx->s[f].state == 1)
        return rs_pointer_object(ARG(ctx, f, 0));
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    return rs_filled(ctx, f, rs_trace_cap());
}

PyObject *rs_k_struct_array_out_out(struct rs_ctx *ctx, int f)
{
    PyObject *raw = rs_filled(ctx, f, SIZE_MAX), *value;
    if (raw == NULL)
        return NULL;
    value = PyObject_CallFunction(rs_py.struct_decode, "sO", FIELD(ctx, f)->codec, raw);
    Py_DECREF(raw);
    return value;
}
