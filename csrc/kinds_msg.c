/* The message kinds: struct msghdr for sendmsg/recvmsg, struct mmsghdr arrays for sendmmsg/recvmmsg.
 *
 * Every sequence the caller passes is snapshotted once: the list of messages into a tuple, each message's
 * buffers into a tuple (or the one bytes-like object itself), and every count below is taken from those
 * snapshots.  Encoding an address or a control message may run Python code; nothing it does can move the
 * memory the iovecs point into (acquired buffers, bytes rawsock holds, rawsock's own allocations).
 */
#include "rawsock.h"

#include <string.h>
#include <sys/uio.h>

#define FIELD(ctx, f) (&(ctx)->call->fields[f])
#define ARG(ctx, f, k) ((ctx)->a[FIELD(ctx, f)->first + (k)])

static size_t rs_min(size_t a, size_t b) { return a < b ? a : b; }

/* --- buffers, snapshotted ------------------------------------------------------------------------------------- */

/* The object itself when it is one bytes-like object, else a tuple of its items (a new reference). */
static PyObject *rs_buffers_snapshot(struct rs_ctx *ctx, int f, int i, PyObject *bufs)
{
    PyObject *t;
    if (!PyList_Check(bufs) && !PyTuple_Check(bufs) && PyObject_CheckBuffer(bufs)) {
        Py_INCREF(bufs);
        return bufs;
    }
    t = PySequence_Tuple(bufs);
    if (t == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        rs_arg_error(ctx, f, i, PyExc_TypeError, "must be a bytes-like object or a sequence of them, not %s",
                     Py_TYPE(bufs)->tp_name);
    }
    return t;
}

static Py_ssize_t rs_buffers_count(PyObject *snap)
{
    return PyTuple_CheckExact(snap) ? PyTuple_GET_SIZE(snap) : 1;
}

/* UIO_MAXIOV: the most iovecs the kernel takes (it refuses more with EMSGSIZE or EINVAL before it reads any) */
#define RS_UIO_MAXIOV 1024

/* An iovec entry given as BADPTR or NULL (length 0), or as a (BADPTR or NULL, length) pair (the length as given):
   1 with iov filled; 0 for anything else; -1 with an exception.  The pair is an exact tuple: immutable. */
static int rs_iov_pointer(struct rs_ctx *ctx, int f, int i, PyObject *b, struct iovec *iov)
{
    long addr, len = 0;
    if (rs_pointer(b, &addr)) {
        iov->iov_base = (void *)addr;
        iov->iov_len = 0;
        return 1;
    }
    if (PyTuple_CheckExact(b) && PyTuple_GET_SIZE(b) == 2 && rs_pointer(PyTuple_GET_ITEM(b, 0), &addr)) {
        if (rs_long(ctx, f, i, PyTuple_GET_ITEM(b, 1), LONG_MIN, ULONG_MAX, &len) < 0)
            return -1;
        iov->iov_base = (void *)addr;
        iov->iov_len = (size_t)len;
        return 1;
    }
    return 0;
}

/* Whether an iovec's base is BADPTR or NULL (no real buffer is at either) */
static int rs_is_pointer(const void *p)
{
    return p == NULL || p == rs_badpage;
}

/* Acquires the snapshot's buffers into views[*nviews...] and points iov at them (an entry BADPTR or NULL, or
   a (pointer, length) pair, is passed as given). */
static int rs_fill_iov(struct rs_ctx *ctx, int f, int i, PyObject *snap, struct iovec *iov, Py_buffer *views,
                       Py_ssize_t *nviews, int writable)
{
    Py_ssize_t k, n = rs_buffers_count(snap);
    for (k = 0; k < n; k++) {
        PyObject *b = PyTuple_CheckExact(snap) ? PyTuple_GET_ITEM(snap, k) : snap;
        Py_buffer *v = &views[*nviews];
        int r = rs_iov_pointer(ctx, f, i, b, &iov[k]);
        if (r < 0)
            return -1;
        if (r > 0)
            continue;
        if (rs_get_buffer(ctx, f, i, b, v, writable) < 0)
            return -1;
        (*nviews)++;
        iov[k].iov_base = v->buf;
        iov[k].iov_len = (size_t)v->len;
    }
    return 0;
}

/* n items of size bytes each, or -1 with MemoryError when that overflows a size_t. */
static int rs_mul(size_t n, size_t size, size_t *out)
{
    if (size != 0 && n > SIZE_MAX / size) {
        PyErr_NoMemory();
        return -1;
    }
    *out = n * size;
    return 0;
}

static int rs_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b) {
        PyErr_NoMemory();
        return -1;
    }
    *out = a + b;
    return 0;
}

static void *rs_calloc(size_t size)
{
    void *p = PyMem_Calloc(size ? size : 1, 1);
    if (p == NULL)
        PyErr_NoMemory();
    return p;
}

/* --- the trace's view of a msghdr ---------------------------------------------------------------------------- */

/* ((iov data...), (iov_len...)) of n iovecs: the data are the first `limit` bytes across them (all of them: limit
   -1), each cut to the trace cap. */
static PyObject *rs_iov_snapshot(const struct iovec *iov, size_t n, long limit)
{
    PyObject *data = PyTuple_New((Py_ssize_t)n), *lens = PyTuple_New((Py_ssize_t)n);
    size_t k, left = limit < 0 ? SIZE_MAX : (size_t)limit, cap = rs_trace_cap();
    if (data == NULL || lens == NULL)
        goto fail;
    for (k = 0; k < n; k++) {
        size_t len = iov[k].iov_len, take = rs_min(len, left);
        PyObject *d, *l = PyLong_FromSize_t(len);
        if (rs_is_pointer(iov[k].iov_base)) {   /* BADPTR or NULL: shown as that, never read */
            d = iov[k].iov_base == NULL ? rs_py.null : rs_py.badptr;
            Py_INCREF(d);
        } else {
            d = PyBytes_FromStringAndSize(iov[k].iov_base, (Py_ssize_t)rs_min(take, cap));
        }
        if (limit >= 0)   /* (all of every iovec otherwise: a huge one does not hide those after it) */
            left -= take;
        if (d == NULL || l == NULL) {
            Py_XDECREF(d);
            Py_XDECREF(l);
            goto fail;
        }
        PyTuple_SET_ITEM(data, (Py_ssize_t)k, d);
        PyTuple_SET_ITEM(lens, (Py_ssize_t)k, l);
    }
    return Py_BuildValue("(NN)", data, lens);
fail:
    Py_XDECREF(data);
    Py_XDECREF(lens);
    return NULL;
}

/* (name address, name bytes or None, namelen, (iov data...), (iov_len...), control address, control bytes or
   None, controllen, flags).  The iov data as rs_iov_snapshot gives them; the name cut to namelen and the control
   buffer to controllen, both bounded by what was allocated for them. */
static PyObject *rs_msghdr_snapshot(const struct msghdr *h, size_t namecap, size_t controlcap, size_t iovcap,
                                    long limit)
{
    PyObject *iov, *r;
    if (rs_is_pointer(h->msg_iov) || (size_t)h->msg_iovlen > iovcap)   /* msg_iov a pointer given, or more
                                                                            iovecs said than there are: (msg_iov's
                                                                            address, (msg_iovlen,)), not read */
        iov = Py_BuildValue("(k(k))", (unsigned long)h->msg_iov, (unsigned long)h->msg_iovlen);
    else
        iov = rs_iov_snapshot(h->msg_iov, rs_min((size_t)h->msg_iovlen, iovcap), limit);
    if (iov == NULL)
        return NULL;
    r = Py_BuildValue("(kNIOOkNki)", (unsigned long)h->msg_name,
                      h->msg_name == NULL || namecap == 0 ? (Py_INCREF(Py_None), Py_None)
                          : rs_bytes_or_none(h->msg_name, rs_min(h->msg_namelen, namecap)),
                      (unsigned int)h->msg_namelen, PyTuple_GET_ITEM(iov, 0), PyTuple_GET_ITEM(iov, 1),
                      (unsigned long)h->msg_control,
                      h->msg_control == NULL || controlcap == 0 ? (Py_INCREF(Py_None), Py_None)
                          : rs_bytes_or_none(h->msg_control, rs_min(h->msg_controllen, controlcap)),
                      (unsigned long)h->msg_controllen, h->msg_flags);
    Py_DECREF(iov);
    return r;
}

/* Closes the descriptors of every SCM_RIGHTS message in a received control buffer: used when a call that
   received them fails before handing them to the caller. */
static void rs_close_rights(struct msghdr *h, size_t controlcap)
{
    struct cmsghdr *c;
    if (h->msg_control == NULL || controlcap == 0 || h->msg_controllen > controlcap)
        return;
    for (c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len >= CMSG_LEN(0)) {
            const unsigned char *data = CMSG_DATA(c), *end = (const unsigned char *)h->msg_control + h->msg_controllen;
            size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int), k;
            for (k = 0; k < n && data + (k + 1) * sizeof(int) <= end; k++) {
                int fd;
                memcpy(&fd, data + k * sizeof(int), sizeof(int));
                rs_close_fd(fd);
            }
        }
    }
}

/* --- msghdr_in: sendmsg(fd, msg, flags) ----------------------------------------------------------------------- */

struct rs_msg_in {
    struct msghdr h;
    size_t namecap;   /* the bytes at msg_name rawsock owns (msg_namelen is the caller's, and may say more) */
    size_t controlcap, iovcap;   /* the control bytes and iovecs rawsock owns (the lengths may say otherwise) */
    struct iovec iov[];
};

/* A length of a msghdr given as an int (None: keep *out): as given where the kernel refuses it before reading
   (above limit, or negative), else at most cap, the count rawsock owns behind the pointer (a pointer given: any
   value).  lo, hi: the C type's range. */
static int rs_msg_length(struct rs_ctx *ctx, int f, int i, long lo, unsigned long hi, size_t cap, unsigned long limit,
                         int pointer, size_t *out)
{
    PyObject *o = rs_param(ctx, f, i);
    long v;
    if (o == NULL || o == Py_None)
        return 0;
    if (rs_long(ctx, f, i, o, lo, hi, &v) < 0)
        return -1;
    if (!pointer && v >= 0 && (unsigned long)v <= limit && (size_t)v > cap)
        return rs_arg_error(ctx, f, i, PyExc_ValueError, "%ld is more than the %zu rawsock holds behind the pointer "
                            "(the kernel would read past it)", v, cap);
    *out = (size_t)v;
    return 0;
}

/* msghdr: BADPTR or NULL for the whole struct msghdr (the call's other message arguments are then not used) */
static int rs_msghdr_pointer(struct rs_ctx *ctx, int f, int i)
{
    long addr;
    int r = rs_pointer_param(ctx, f, i, &addr);
    if (r == 1) {
        ctx->s[f].state = 1;
        ARG(ctx, f, 0) = addr;
    }
    return r;
}

/* The destination (None: no name) and the control buffer of a message, as bytes in refs. */
static int rs_name_and_control(struct rs_ctx *ctx, int f, PyObject *addr, PyObject *ancdata, PyObject **name,
                               PyObject **control)
{
    int limit;
    *name = *control = NULL;
    if (addr != NULL && addr != Py_None && (*name = rs_address_encode(addr, &limit)) == NULL)
        return rs_arg_wrap(ctx, f, 2);
    if (ancdata != NULL) {
        *control = PyObject_CallOneArg(rs_py.control_encode, ancdata);
        if (*control == NULL)
            return rs_arg_wrap(ctx, f, 1);
        if (!PyBytes_CheckExact(*control)) {
            PyErr_SetString(PyExc_TypeError, "rawsock._codecs.control_encode must return bytes");
            return -1;
        }
    }
    return 0;
}

/* params: buffers, ancdata, addr, namelen, iovlen, controllen, msghdr.  buffers, ancdata and addr may each be
   BADPTR or NULL (msg_iov, msg_control, msg_name as given: their lengths then as given, 0 by default). */
int rs_k_msghdr_in_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    struct rs_msg_in *m;
    Py_ssize_t n = 0;
    size_t size;
    long iovptr = 0, nameptr = 0, controlptr = 0;
    int iov_is_ptr, name_is_ptr, control_is_ptr, r;
    s->state = 0;
    if ((r = rs_msghdr_pointer(ctx, f, 6)) != 0)
        return r < 0 ? -1 : 0;
    iov_is_ptr = rs_pointer(rs_param(ctx, f, 0), &iovptr);
    name_is_ptr = rs_pointer(rs_param(ctx, f, 2), &nameptr);
    control_is_ptr = rs_pointer(rs_param(ctx, f, 1), &controlptr);
    if (!iov_is_ptr && (s->ref[0] = rs_buffers_snapshot(ctx, f, 0, rs_param(ctx, f, 0))) == NULL)
        return -1;
    if (rs_name_and_control(ctx, f, name_is_ptr ? NULL : rs_param(ctx, f, 2),
                            control_is_ptr ? NULL : rs_param(ctx, f, 1), &s->ref[1], &s->ref[2]) < 0)
        return -1;
    if (!iov_is_ptr)
        n = rs_buffers_count(s->ref[0]);
    if (rs_mul((size_t)n, sizeof(struct iovec), &size) < 0 || rs_add(size, sizeof(*m), &size) < 0
        || (s->mem = rs_calloc(size)) == NULL || (s->views = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Py_buffer))) == NULL) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    m = s->mem;
    if (!iov_is_ptr && rs_fill_iov(ctx, f, 0, s->ref[0], m->iov, s->views, &s->nviews, 0) < 0)
        return -1;
    m->h.msg_iov = iov_is_ptr ? (struct iovec *)iovptr : m->iov;
    m->h.msg_iovlen = (size_t)n;
    m->iovcap = (size_t)n;
    if (rs_msg_length(ctx, f, 4, LONG_MIN, ULONG_MAX, (size_t)n, RS_UIO_MAXIOV, iov_is_ptr, &size) < 0)
        return -1;
    if (rs_param(ctx, f, 4) != NULL && rs_param(ctx, f, 4) != Py_None)
        m->h.msg_iovlen = size;
    if (s->ref[1] != NULL) {
        m->h.msg_name = PyBytes_AS_STRING(s->ref[1]);
        m->h.msg_namelen = (socklen_t)PyBytes_GET_SIZE(s->ref[1]);
        m->namecap = (size_t)PyBytes_GET_SIZE(s->ref[1]);
    } else if (name_is_ptr) {
        m->h.msg_name = (void *)nameptr;
    }
    if (rs_param(ctx, f, 3) != NULL && rs_param(ctx, f, 3) != Py_None) {
        /* namelen as given: the kernel reads at most sizeof(struct sockaddr_storage) of the name (it caps a larger
           one, and answers EINVAL to a negative one), so the name is copied into one, zero-padded */
        long namelen;
        if (rs_long(ctx, f, 3, rs_param(ctx, f, 3), INT_MIN, UINT_MAX, &namelen) < 0)
            return -1;
        if (s->ref[1] != NULL) {
            memset(&s->u.ss, 0, sizeof(s->u.ss));
            memcpy(&s->u.ss, PyBytes_AS_STRING(s->ref[1]),
                   rs_min((size_t)PyBytes_GET_SIZE(s->ref[1]), sizeof(s->u.ss)));
            m->h.msg_name = &s->u.ss;
            m->namecap = sizeof(s->u.ss);
        }
        m->h.msg_namelen = (socklen_t)namelen;
    }
    if (control_is_ptr) {
        m->h.msg_control = (void *)controlptr;
    } else if (PyBytes_GET_SIZE(s->ref[2]) > 0) {
        m->h.msg_control = PyBytes_AS_STRING(s->ref[2]);
        m->h.msg_controllen = (size_t)PyBytes_GET_SIZE(s->ref[2]);
        m->controlcap = m->h.msg_controllen;
    }
    /* controllen: the kernel refuses one above INT_MAX (ENOBUFS) before it reads the control buffer */
    size = m->h.msg_controllen;
    if (rs_msg_length(ctx, f, 5, LONG_MIN, ULONG_MAX, m->controlcap, INT_MAX, control_is_ptr, &size) < 0)
        return -1;
    m->h.msg_controllen = size;
    ARG(ctx, f, 0) = (long)&m->h;
    return 0;
}

PyObject *rs_k_msghdr_in_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_msg_in *m = ctx->s[f].mem;
    if (ctx->s[f].state == 1)    /* the msghdr pointer given */
        return rs_pointer_object(ARG(ctx, f, 0));
    if (after)
        Py_RETURN_NONE;
    return rs_msghdr_snapshot(&m->h, m->namecap, m->controlcap, m->iovcap, -1);
}

/* --- msghdr_out: recvmsg(fd, msg, flags) into a new buffer or the caller's ------------------------------------- */

struct rs_msg_out {
    struct msghdr h;
    struct sockaddr_storage name;
    socklen_t namelen_before;
    size_t controlsize;   /* the control bytes rawsock owns (0: none, or a control pointer given) */
    size_t iovcap;        /* the iovecs rawsock owns */
    unsigned char name_is_pointer;
    struct iovec iov[];
};

/* params: bufsize (or buffers), ancbufsize, namelen, iovlen, name, control, msghdr.  buffers (recvmsg_into),
   name and control may each be BADPTR or NULL: msg_iov, msg_name, msg_control as given, with msg_iovlen (iovlen,
   0 by default), msg_namelen (namelen, or sizeof(struct sockaddr_storage)) and msg_controllen (ancbufsize). */
int rs_k_msghdr_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    struct rs_msg_out *m;
    Py_ssize_t n = 1, bufsize = 0, ancbufsize = 0;
    size_t size;
    int into = FIELD(ctx, f)->ctype == RS_C_INTO, r;
    long iovptr = 0, nameptr = 0, controlptr = 0;
    int iov_is_ptr = 0, name_is_ptr, control_is_ptr;
    PyObject *anc = rs_param(ctx, f, 1);
    s->state = 0;
    if ((r = rs_msghdr_pointer(ctx, f, 6)) != 0)
        return r < 0 ? -1 : 0;
    if ((name_is_ptr = rs_pointer_param(ctx, f, 4, &nameptr)) < 0
        || (control_is_ptr = rs_pointer_param(ctx, f, 5, &controlptr)) < 0)
        return -1;
    if (anc != NULL && control_is_ptr) {   /* msg_controllen as given */
        long v;
        if (rs_long(ctx, f, 1, anc, LONG_MIN, LONG_MAX, &v) < 0)
            return -1;
        ancbufsize = (Py_ssize_t)v;
    } else if (anc != NULL && rs_ssize(ctx, f, 1, anc, &ancbufsize) < 0) {
        return -1;
    }
    if (into) {
        iov_is_ptr = rs_pointer(rs_param(ctx, f, 0), &iovptr);
        if (iov_is_ptr)
            n = 0;
        else if ((s->ref[0] = rs_buffers_snapshot(ctx, f, 0, rs_param(ctx, f, 0))) == NULL)
            return -1;
        else
            n = rs_buffers_count(s->ref[0]);
    } else {
        if (rs_ssize(ctx, f, 0, rs_param(ctx, f, 0), &bufsize) < 0
            || (s->ref[0] = PyBytes_FromStringAndSize(NULL, bufsize)) == NULL)
            return -1;
    }
    if (rs_mul((size_t)n, sizeof(struct iovec), &size) < 0 || rs_add(size, sizeof(*m), &size) < 0
        || (s->mem = rs_calloc(size)) == NULL)
        return -1;
    m = s->mem;
    if (into && !iov_is_ptr) {
        if ((s->views = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Py_buffer))) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (rs_fill_iov(ctx, f, 0, s->ref[0], m->iov, s->views, &s->nviews, 1) < 0)
            return -1;
    } else if (!into) {
        m->iov[0].iov_base = PyBytes_AS_STRING(s->ref[0]);
        m->iov[0].iov_len = (size_t)bufsize;
    }
    if (control_is_ptr) {
        m->h.msg_control = (void *)controlptr;
        m->h.msg_controllen = (size_t)ancbufsize;
    } else if (ancbufsize > 0) {
        if ((s->ref[1] = PyBytes_FromStringAndSize(NULL, ancbufsize)) == NULL)   /* read back only as far as
                                                                                      the kernel wrote it */
            return -1;
        m->h.msg_control = PyBytes_AS_STRING(s->ref[1]);
        m->h.msg_controllen = (size_t)ancbufsize;
        m->controlsize = (size_t)ancbufsize;
    }
    s->size = (size_t)bufsize;
    m->h.msg_name = name_is_ptr ? (void *)nameptr : &m->name;
    m->name_is_pointer = (unsigned char)name_is_ptr;
    m->h.msg_namelen = m->namelen_before = (socklen_t)sizeof(m->name);
    if (rs_param(ctx, f, 2) != NULL && rs_param(ctx, f, 2) != Py_None) {
        /* namelen as given: the kernel writes at most that much, and at most the sockaddr_storage it has, of the
           name (a negative one: EINVAL) */
        long namelen;
        if (rs_long(ctx, f, 2, rs_param(ctx, f, 2), INT_MIN, UINT_MAX, &namelen) < 0)
            return -1;
        m->h.msg_namelen = m->namelen_before = (socklen_t)namelen;
    }
    m->h.msg_iov = iov_is_ptr ? (struct iovec *)iovptr : m->iov;
    m->h.msg_iovlen = (size_t)n;
    m->iovcap = (size_t)n;
    size = (size_t)n;
    if (rs_msg_length(ctx, f, 3, LONG_MIN, ULONG_MAX, (size_t)n, RS_UIO_MAXIOV, iov_is_ptr, &size) < 0)
        return -1;
    m->h.msg_iovlen = size;
    ARG(ctx, f, 0) = (long)&m->h;
    return 0;
}

PyObject *rs_k_msghdr_out_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_msg_out *m = ctx->s[f].mem;
    if (ctx->s[f].state == 1)    /* the msghdr pointer given */
        return rs_pointer_object(ARG(ctx, f, 0));
    if (!after)
        return PyLong_FromUnsignedLong(m->namelen_before);
    if (ctx->ret < 0)
        Py_RETURN_NONE;
    return rs_msghdr_snapshot(&m->h, m->name_is_pointer ? 0 : rs_min(m->namelen_before, sizeof(m->name)),
                              m->controlsize, m->iovcap, ctx->ret);
}

/* (data: the bytes received or None for recvmsg_into, control bytes, msg_flags, address or None) */
PyObject *rs_k_msghdr_out_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    struct rs_msg_out *m = s->mem;
    PyObject *data = Py_None, *control, *addr, *r;
    size_t got = ctx->ret < 0 ? 0 : (size_t)ctx->ret;
    if (s->state == 1)   /* the msghdr pointer given: nothing of rawsock's was written (only a fault injection
                            gets here) */
        return Py_BuildValue("(yyiO)", "", "", 0, Py_None);
    if (FIELD(ctx, f)->ctype != RS_C_INTO) {
        data = s->ref[0];
        s->ref[0] = NULL;
        if (rs_min(got, s->size) < s->size && _PyBytes_Resize(&data, (Py_ssize_t)rs_min(got, s->size)) < 0)
            goto fail;
    } else {
        Py_INCREF(data);
    }
    control = m->controlsize == 0 ? PyBytes_FromStringAndSize("", 0)
              : PyBytes_FromStringAndSize(m->h.msg_control, (Py_ssize_t)rs_min(m->h.msg_controllen, m->controlsize));
    /* the name as far as the kernel wrote it: msg_namelen is its full length, but it wrote no more than the
       namelen given */
    addr = m->h.msg_namelen == 0 || m->name_is_pointer ? (Py_INCREF(Py_None), Py_None)
           : rs_address_decode(&m->name, (socklen_t)rs_min(rs_min(m->h.msg_namelen, (size_t)m->namelen_before),
                                                           sizeof(m->name)));
    if (control == NULL || addr == NULL) {
        Py_XDECREF(control);
        Py_XDECREF(addr);
        Py_DECREF(data);
        goto fail;
    }
    r = Py_BuildValue("(NNiN)", data, control, m->h.msg_flags, addr);   /* N: consumed even on failure */
    if (r == NULL)
        goto fail;
    return r;
fail:   /* the engine closes the descriptors that arrived (rs_k_msghdr_out_abandon) */
    return NULL;
}

/* The result could not be built: close every descriptor that arrived. */
void rs_k_msghdr_out_abandon(struct rs_ctx *ctx, int f)
{
    struct rs_msg_out *m = ctx->s[f].mem;
    if (m != NULL)
        rs_close_rights(&m->h, m->controlsize);
}

/* --- mmsg_in: sendmmsg(fd, msgvec, vlen, flags) ----------------------------------------------------------------- */

/* The pointer trace of a field given BADPTR or NULL for its array (the address is the field's first argument) */
static PyObject *rs_array_pointer_trace(struct rs_ctx *ctx, int f)
{
    return rs_pointer_object(ARG(ctx, f, 0));
}

/* params: messages (or BADPTR or NULL for msgvec), vlen (None: the number of messages).  sendmmsg caps vlen at
   UIO_MAXIOV and reads that many entries: a vlen above the messages given (fewer than UIO_MAXIOV) is a
   ValueError; with a pointer given, any vlen. */
int rs_k_mmsg_in_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *messages, *snaps, *names, *vlen_obj = rs_param(ctx, f, 1);
    struct mmsghdr *msgs;
    struct iovec *iov;
    Py_ssize_t n, i, total = 0;
    size_t size, iovsize;
    long addr, vlen = 0;
    int given = vlen_obj != NULL && vlen_obj != Py_None;
    s->state = 0;
    if (given && rs_long(ctx, f, 1, vlen_obj, INT_MIN, UINT_MAX, &vlen) < 0)
        return -1;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {
        s->state = 1;
        s->n = 0;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = (long)(unsigned int)vlen;
        return 0;
    }
    if ((messages = s->ref[0] = PySequence_Tuple(rs_param(ctx, f, 0))) == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            rs_arg_error(ctx, f, 0, PyExc_TypeError, "must be a sequence of messages, not %s",
                         Py_TYPE(rs_param(ctx, f, 0))->tp_name);
        }
        return -1;
    }
    n = PyTuple_GET_SIZE(messages);
    if ((snaps = s->ref[1] = PyTuple_New(n)) == NULL || (names = s->ref[2] = PyTuple_New(n)) == NULL)
        return -1;
    for (i = 0; i < n; i++) {   /* snapshots of each message's buffers, and each destination encoded */
        PyObject *m = PyTuple_GET_ITEM(messages, i), *bufs = m, *addr = Py_None, *snap, *name = NULL;
        int limit;
        if (PyTuple_Check(m)) {
            if (PyTuple_GET_SIZE(m) != 2)
                return rs_arg_error(ctx, f, 0, PyExc_ValueError, "message %zd: a tuple is (buffers, addr), not %zd items",
                                    i, PyTuple_GET_SIZE(m));
            bufs = PyTuple_GET_ITEM(m, 0);
            addr = PyTuple_GET_ITEM(m, 1);
        }
        if ((snap = rs_buffers_snapshot(ctx, f, 0, bufs)) == NULL)
            return -1;
        PyTuple_SET_ITEM(snaps, i, snap);
        total += rs_buffers_count(snap);
        if (addr != Py_None && (name = rs_address_encode(addr, &limit)) == NULL)
            return rs_arg_wrap(ctx, f, 0);
        PyTuple_SET_ITEM(names, i, name != NULL ? name : (Py_INCREF(Py_None), Py_None));
    }
    if (rs_mul((size_t)n, sizeof(struct mmsghdr), &size) < 0 || rs_mul((size_t)total, sizeof(struct iovec), &iovsize) < 0
        || rs_add(size, iovsize, &size) < 0 || (s->mem = rs_calloc(size)) == NULL)
        return -1;
    if ((s->views = PyMem_Calloc(total ? (size_t)total : 1, sizeof(Py_buffer))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    msgs = s->mem;
    iov = (struct iovec *)(msgs + n);
    for (i = 0; i < n; i++) {
        PyObject *snap = PyTuple_GET_ITEM(snaps, i), *name = PyTuple_GET_ITEM(names, i);
        if (rs_fill_iov(ctx, f, 0, snap, iov, s->views, &s->nviews, 0) < 0)
            return -1;
        msgs[i].msg_hdr.msg_iov = iov;
        msgs[i].msg_hdr.msg_iovlen = (size_t)rs_buffers_count(snap);
        iov += rs_buffers_count(snap);
        if (name != Py_None) {
            msgs[i].msg_hdr.msg_name = PyBytes_AS_STRING(name);
            msgs[i].msg_hdr.msg_namelen = (socklen_t)PyBytes_GET_SIZE(name);
        }
    }
    s->n = (size_t)n;
    ARG(ctx, f, 0) = (long)msgs;
    ARG(ctx, f, 1) = (long)(unsigned int)n;
    if ((size_t)n > UINT_MAX)
        return rs_arg_error(ctx, f, 0, PyExc_OverflowError, "%zd messages do not fit sendmmsg's unsigned vlen", n);
    if (given) {
        size_t reads = rs_min((size_t)(unsigned int)vlen, RS_UIO_MAXIOV);   /* the entries the kernel reads */
        if (reads > (size_t)n)
            return rs_arg_error(ctx, f, 1, PyExc_ValueError, "vlen %ld: the kernel would read %zu messages of the "
                                "%zd given", vlen, reads, n);
        s->n = reads;
        ARG(ctx, f, 1) = (long)(unsigned int)vlen;
    }
    return 0;
}

/* before: the messages (as many as the trace cap); after: the msg_len of each message sent */
static PyObject *rs_mmsg_in_view(struct rs_ctx *ctx, int f, int after, size_t cap)
{
    struct rs_slot *s = &ctx->s[f];
    struct mmsghdr *msgs = s->mem;
    size_t n = after ? rs_min(ctx->ret < 0 ? 0 : (size_t)ctx->ret, s->n) : s->n, i;
    PyObject *t;
    n = rs_min(n, cap);
    t = PyTuple_New((Py_ssize_t)n);
    for (i = 0; t != NULL && i < n; i++) {
        PyObject *v = after ? PyLong_FromUnsignedLong(msgs[i].msg_len)
                            : rs_msghdr_snapshot(&msgs[i].msg_hdr, msgs[i].msg_hdr.msg_namelen, 0,
                                                 msgs[i].msg_hdr.msg_iovlen, -1);
        if (v == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, v);
    }
    return t;
}

PyObject *rs_k_mmsg_in_trace(struct rs_ctx *ctx, int f, int after)
{
    if (ctx->s[f].state == 1)
        return rs_array_pointer_trace(ctx, f);
    return rs_mmsg_in_view(ctx, f, after, rs_trace_cap());
}

/* (msg_len, ...) of every message the kernel sent: the first `return value` entries */
PyObject *rs_k_mmsg_in_out(struct rs_ctx *ctx, int f)
{
    return rs_mmsg_in_view(ctx, f, 1, SIZE_MAX);
}

/* --- mmsg_out: recvmmsg(fd, msgvec, vlen, flags, timeout) ------------------------------------------------------- */

struct rs_mmsg_out {
    size_t slots, ancbufsize;   /* (each slot's data buffer is its iovec: the kernel does not change them) */
    char *buf, *control;
    struct sockaddr_storage *names;
    struct iovec *iov;
    struct mmsghdr msgs[];
};

/* bufsize: one size for every slot, or a sequence of vlen sizes, one per slot (snapshotted in s->ref[1]). */
int rs_k_mmsg_out_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    struct rs_mmsg_out *m;
    Py_ssize_t bufsize = 0, ancbufsize = 0;
    PyObject *anc = rs_param(ctx, f, 2), *sizes_param = rs_param(ctx, f, 1), *sizes = NULL;
    long vlen, addr;
    size_t slots, size, part, bufbytes = 0, ctlbytes, i, offset, *lens = NULL;
    s->state = 0;
    if (rs_long(ctx, f, 0, rs_param(ctx, f, 0), LONG_MIN, UINT_MAX, &vlen) < 0)
        return -1;
    switch (rs_pointer_param(ctx, f, 3, &addr)) {   /* BADPTR or NULL for the mmsghdr array: vlen as given */
    case -1:
        return -1;
    case 1:
        s->state = 1;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = (long)(unsigned int)vlen;
        return 0;
    }
    if (anc != NULL && rs_ssize(ctx, f, 2, anc, &ancbufsize) < 0)
        return -1;
    if (vlen < 0)
        return rs_arg_error(ctx, f, 0, PyExc_ValueError, "vlen is an unsigned int (%ld)", vlen);
    slots = (size_t)vlen;
    if (!PyIndex_Check(sizes_param) && PySequence_Check(sizes_param)) {   /* a size per message (any sequence of
                                                                              ints), read once into lens */
        if ((sizes = s->ref[1] = PySequence_Tuple(sizes_param)) == NULL)
            return -1;
        if ((size_t)PyTuple_GET_SIZE(sizes) != slots)
            return rs_arg_error(ctx, f, 1, PyExc_ValueError, "has %zd sizes for vlen %ld: one per message",
                                PyTuple_GET_SIZE(sizes), vlen);
        if ((s->mem3 = lens = PyMem_Calloc(slots ? slots : 1, sizeof(*lens))) == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (i = 0; i < slots; i++) {
            Py_ssize_t one;
            if (rs_ssize(ctx, f, 1, PyTuple_GET_ITEM(sizes, (Py_ssize_t)i), &one) < 0
                || rs_add(bufbytes, (size_t)one, &bufbytes) < 0)
                return -1;
            lens[i] = (size_t)one;
        }
    } else if (rs_ssize(ctx, f, 1, sizes_param, &bufsize) < 0 || rs_mul(slots, (size_t)bufsize, &bufbytes) < 0) {
        return -1;
    }
    /* recvmmsg(2): msgvec is an array of vlen entries, and the kernel fills as many as datagrams arrive: it has
       no cap (sendmmsg stops at UIO_MAXIOV, recvmmsg does not), so every one of the vlen slots is allocated.
       A vlen whose slots cannot be allocated is a MemoryError, before the kernel sees it. */
    if (rs_mul(slots, sizeof(struct mmsghdr), &size) < 0 || rs_add(size, sizeof(*m), &size) < 0
        || rs_mul(slots, sizeof(struct iovec), &part) < 0 || rs_add(size, part, &size) < 0
        || rs_mul(slots, sizeof(struct sockaddr_storage), &part) < 0 || rs_add(size, part, &size) < 0
        || rs_mul(slots, (size_t)ancbufsize, &ctlbytes) < 0)
        return -1;
    if (bufbytes > PY_SSIZE_T_MAX || ctlbytes > PY_SSIZE_T_MAX) {
        PyErr_NoMemory();
        return -1;
    }
    if ((s->mem = rs_calloc(size)) == NULL)
        return -1;
    m = s->mem;
    m->slots = slots;
    m->ancbufsize = (size_t)ancbufsize;
    m->iov = (struct iovec *)(m->msgs + slots);
    m->names = (struct sockaddr_storage *)(m->iov + slots);
    if ((s->mem2 = PyMem_Malloc(bufbytes ? bufbytes : 1)) == NULL   /* the data buffers */
        || (ancbufsize > 0 && (s->ref[0] = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)ctlbytes)) == NULL)) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        return -1;
    }
    m->buf = s->mem2;
    m->control = ancbufsize > 0 ? PyBytes_AS_STRING(s->ref[0]) : NULL;   /* read back as far as the kernel
                                                                            wrote it */
    for (i = 0, offset = 0; i < slots; i++) {
        struct msghdr *h = &m->msgs[i].msg_hdr;
        size_t len = lens != NULL ? lens[i] : (size_t)bufsize;   /* (their sum is bufbytes) */
        m->iov[i].iov_base = m->buf + offset;
        m->iov[i].iov_len = len;
        offset += len;
        h->msg_name = &m->names[i];
        h->msg_namelen = sizeof(m->names[i]);
        h->msg_iov = &m->iov[i];
        h->msg_iovlen = 1;
        h->msg_control = m->control != NULL ? m->control + i * m->ancbufsize : NULL;
        h->msg_controllen = m->ancbufsize;
    }
    ARG(ctx, f, 0) = (long)m->msgs;
    ARG(ctx, f, 1) = vlen;
    return 0;
}

/* before: nothing; after: each message received (as many as the trace cap), with its msg_len */
PyObject *rs_k_mmsg_out_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_mmsg_out *m = ctx->s[f].mem;
    size_t n, i;
    PyObject *t;
    if (ctx->s[f].state == 1)
        return rs_array_pointer_trace(ctx, f);
    if (!after || ctx->ret < 0)
        Py_RETURN_NONE;
    n = rs_min(rs_min((size_t)ctx->ret, m->slots), rs_trace_cap());
    t = PyTuple_New((Py_ssize_t)n);
    for (i = 0; t != NULL && i < n; i++) {
        PyObject *v = rs_msghdr_snapshot(&m->msgs[i].msg_hdr, sizeof(m->names[i]), m->ancbufsize,
                                         m->msgs[i].msg_hdr.msg_iovlen, m->msgs[i].msg_len);
        PyObject *pair = v == NULL ? NULL : Py_BuildValue("(NI)", v, m->msgs[i].msg_len);
        if (pair == NULL)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, (Py_ssize_t)i, pair);
    }
    return t;
}

static PyObject *rs_msg_flags(int flags)
{
    if (flags == 0) {
        Py_INCREF(rs_py.msg_flags_zero);
        return rs_py.msg_flags_zero;
    }
    return PyObject_CallFunction(rs_py.msg_flags, "i", flags);
}

/* RecvMmsg(*fields): the tuple subclass made by tuple's own constructor (tuple_subtype_new), as
   RecvMmsg(...) would make it, without its Python __new__ (each CPython version sets up its tuples there) */
static PyObject *rs_recvmmsg_item(PyObject *fields)
{
    PyObject *args = PyTuple_Pack(1, fields), *item;
    if (args == NULL)
        return NULL;
    item = PyTuple_Type.tp_new((PyTypeObject *)rs_py.recvmmsg_type, args, NULL);
    Py_DECREF(args);
    return item;
}

/* [RecvMmsg(data, address, msg_flags, ancdata), ...] for the messages received */
PyObject *rs_k_mmsg_out_out(struct rs_ctx *ctx, int f)
{
    struct rs_mmsg_out *m = ctx->s[f].mem;
    size_t n, i;
    PyObject *list;
    if (m == NULL)   /* the msgvec pointer given: nothing of rawsock's was written */
        return PyList_New(0);
    n = rs_min(ctx->ret < 0 ? 0 : (size_t)ctx->ret, m->slots);
    list = PyList_New((Py_ssize_t)n);
    for (i = 0; list != NULL && i < n; i++) {
        struct msghdr *h = &m->msgs[i].msg_hdr;
        size_t got = rs_min(m->msgs[i].msg_len, m->iov[i].iov_len);
        PyObject *item = PyTuple_New(4), *anc, *typed;
        if (item == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyTuple_SET_ITEM(item, 0, PyBytes_FromStringAndSize(m->iov[i].iov_base, (Py_ssize_t)got));
        PyTuple_SET_ITEM(item, 1, h->msg_namelen == 0 ? (Py_INCREF(Py_None), Py_None)
                                                      : rs_address_decode(&m->names[i], h->msg_namelen));
        PyTuple_SET_ITEM(item, 2, rs_msg_flags(h->msg_flags));
        if (h->msg_controllen == 0 || h->msg_control == NULL) {
            anc = PyList_New(0);
        } else {
            PyObject *raw = PyBytes_FromStringAndSize(h->msg_control, (Py_ssize_t)rs_min(h->msg_controllen, m->ancbufsize));
            anc = raw == NULL ? NULL : PyObject_CallOneArg(rs_py.control_decode, raw);
            Py_XDECREF(raw);
        }
        PyTuple_SET_ITEM(item, 3, anc);
        if (!PyTuple_GET_ITEM(item, 0) || !PyTuple_GET_ITEM(item, 1) || !PyTuple_GET_ITEM(item, 2) || !anc
            || (typed = rs_recvmmsg_item(item)) == NULL) {
            Py_DECREF(item);
            Py_CLEAR(list);
            break;
        }
        Py_DECREF(item);
        PyList_SET_ITEM(list, (Py_ssize_t)i, typed);
    }
    return list;   /* NULL: the engine closes the descriptors that arrived (rs_k_mmsg_out_abandon) */
}

/* The result could not be built: close every descriptor that arrived, in every message received. */
void rs_k_mmsg_out_abandon(struct rs_ctx *ctx, int f)
{
    struct rs_mmsg_out *m = ctx->s[f].mem;
    size_t n, i;
    if (m == NULL)
        return;
    n = rs_min(ctx->ret < 0 ? 0 : (size_t)ctx->ret, m->slots);
    for (i = 0; i < n; i++)
        rs_close_rights(&m->msgs[i].msg_hdr, m->ancbufsize);
}

/* --- iovec: readv/writev(fd, iov, iovcnt) ----------------------------------------------------------------------- */

/* The buffers (one bytes-like object, or a sequence of them; writable for readv: ctype into), snapshotted once,
   each acquired and pinned until the call ends; iovcnt is the snapshot's length. */
int rs_k_iovec_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    int into = FIELD(ctx, f)->ctype == RS_C_INTO;
    Py_ssize_t n;
    size_t size;
    PyObject *count_obj = rs_param(ctx, f, 1);
    long count = 0, addr;
    int given = count_obj != NULL && count_obj != Py_None;
    s->state = 0;
    if (given && rs_long(ctx, f, 1, count_obj, INT_MIN, INT_MAX, &count) < 0)
        return -1;
    if (rs_pointer(rs_param(ctx, f, 0), &addr)) {   /* BADPTR or NULL for the iovec array: iovcnt as given */
        s->state = 1;
        s->n = 0;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = count;
        return 0;
    }
    if ((s->ref[0] = rs_buffers_snapshot(ctx, f, 0, rs_param(ctx, f, 0))) == NULL)
        return -1;
    n = rs_buffers_count(s->ref[0]);
    if (rs_mul(n ? (size_t)n : 1, sizeof(struct iovec), &size) < 0 || (s->mem = rs_calloc(size)) == NULL)
        return -1;
    if ((s->views = PyMem_Calloc(n ? (size_t)n : 1, sizeof(Py_buffer))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (rs_fill_iov(ctx, f, 0, s->ref[0], s->mem, s->views, &s->nviews, into) < 0)
        return -1;
    s->n = (size_t)n;
    ARG(ctx, f, 0) = (long)s->mem;
    ARG(ctx, f, 1) = (long)n;
    if (given) {   /* iovcnt up to the buffers given, or where the kernel refuses it first (negative, above UIO_MAXIOV) */
        if (count >= 0 && count <= RS_UIO_MAXIOV && count > (long)n)
            return rs_arg_error(ctx, f, 1, PyExc_ValueError, "iovcnt %ld is more than the %zd buffers given", count, n);
        s->n = count >= 0 && count <= (long)n ? (size_t)count : 0;
        s->state = count >= 0 && count <= (long)n ? 0 : 2;   /* 2: more said than given, refused by the kernel */
        ARG(ctx, f, 1) = count;
    }
    return 0;
}

/* writev: before, ((data...), (len...)) of every iovec.  readv: after, the iovecs' base addresses and lengths
   ((address...), (len...)) when the call failed, else ((data...), (len...)) of the bytes the kernel wrote. */
PyObject *rs_k_iovec_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    const struct iovec *iov = s->mem;
    PyObject *bases, *lens;
    size_t k;
    if (s->state == 1)
        return rs_array_pointer_trace(ctx, f);
    if (s->state == 2)   /* the array's address: the kernel read none of it */
        return PyLong_FromUnsignedLong((unsigned long)s->mem);
    if (FIELD(ctx, f)->ctype != RS_C_INTO)
        return after ? (Py_INCREF(Py_None), Py_None) : rs_iov_snapshot(iov, s->n, -1);
    if (!after)
        Py_RETURN_NONE;
    if (ctx->ret >= 0)
        return rs_iov_snapshot(iov, s->n, ctx->ret);
    bases = PyTuple_New((Py_ssize_t)s->n);
    lens = PyTuple_New((Py_ssize_t)s->n);
    for (k = 0; bases != NULL && lens != NULL && k < s->n; k++) {
        PyObject *b = PyLong_FromUnsignedLong((unsigned long)iov[k].iov_base), *l = PyLong_FromSize_t(iov[k].iov_len);
        if (b == NULL || l == NULL) {
            Py_XDECREF(b);
            Py_XDECREF(l);
            Py_CLEAR(bases);
            break;
        }
        PyTuple_SET_ITEM(bases, (Py_ssize_t)k, b);
        PyTuple_SET_ITEM(lens, (Py_ssize_t)k, l);
    }
    if (bases == NULL || lens == NULL) {
        Py_XDECREF(bases);
        Py_XDECREF(lens);
        return NULL;
    }
    return Py_BuildValue("(NN)", bases, lens);
}
