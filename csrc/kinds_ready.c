/* The readiness kinds: select's fd_set bitmaps (sized to nfds, so fds at or above FD_SETSIZE work) and
   poll's struct pollfd array (built from (fd, events) pairs, or copied from the last array built from the
   same pair objects). */
#include "rawsock.h"

#include <poll.h>
#include <string.h>

#define FIELD(ctx, f) (&(ctx)->call->fields[f])
#define ARG(ctx, f, k) ((ctx)->a[FIELD(ctx, f)->first + (k)])
#define BITS (8 * sizeof(unsigned long))

static size_t rs_min(size_t a, size_t b) { return a < b ? a : b; }

/* --- fdsets: select(nfds, readfds, writefds, exceptfds, ...) ---------------------------------------------------- */

struct rs_fdsets {
    size_t words;                 /* unsigned longs in each set */
    size_t top;                   /* the highest fd given + 1: no bit at or above it is ever set */
    int *fds[3];                  /* the fds given in each list, in order (NULL for a None list) */
    Py_ssize_t counts[3];
    unsigned long *sets[3];       /* the bitmaps the kernel reads and writes (NULL for a None list) */
    long pointer[3];              /* BADPTR's or NULL's address, for a list given as one of them */
    unsigned char is_pointer[3];
};

/* An fd from a list entry: an int, or an object with fileno() (which may run Python code: fine here). */
static int rs_fileno(struct rs_ctx *ctx, int f, int k, PyObject *o, int *out)
{
    PyObject *n = NULL;
    long v;
    int r;
    if (!PyLong_Check(o) && !PyIndex_Check(o)) {
        PyObject *meth = PyObject_GetAttrString(o, "fileno");
        if (meth == NULL) {
            PyErr_Clear();
            return rs_arg_error(ctx, f, k, PyExc_TypeError, "entries must be ints or have a fileno() method, not %s",
                                Py_TYPE(o)->tp_name);
        }
        n = PyObject_CallNoArgs(meth);
        Py_DECREF(meth);
        if (n == NULL)
            return -1;
        o = n;
    }
    r = rs_long(ctx, f, k, o, INT_MIN, INT_MAX, &v);
    Py_XDECREF(n);
    if (r < 0)
        return -1;
    if (v < 0)
        return rs_arg_error(ctx, f, k, PyExc_ValueError, "fd %ld cannot be put in an fd set (FD_SET on it corrupts "
                            "memory in C)", v);
    *out = (int)v;
    return 0;
}

int rs_k_fdsets_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    struct rs_fdsets *m;
    PyObject *nfds_obj = rs_param(ctx, f, 3);
    long nfds = 0, top = 0;
    size_t total = 0, bits, words;
    int k;
    Py_ssize_t j;
    if ((m = s->mem = PyMem_Calloc(1, sizeof(*m))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < 3; k++) {   /* snapshots of the lists, and their fds */
        PyObject *lst = rs_param(ctx, f, k), *snap;
        if (lst == Py_None)
            continue;
        if (rs_pointer(lst, &m->pointer[k])) {   /* BADPTR or NULL for the set itself */
            m->is_pointer[k] = 1;
            continue;
        }
        if ((snap = s->ref[k] = PySequence_Tuple(lst)) == NULL) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Clear();
                rs_arg_error(ctx, f, k, PyExc_TypeError, "must be a sequence of fds or None, not %s", Py_TYPE(lst)->tp_name);
            }
            return -1;
        }
        m->counts[k] = PyTuple_GET_SIZE(snap);
        total += (size_t)m->counts[k];
    }
    if (total > PY_SSIZE_T_MAX / sizeof(int) || (s->mem2 = PyMem_Malloc(total ? total * sizeof(int) : 1)) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    total = 0;
    for (k = 0; k < 3; k++) {
        if (s->ref[k] == NULL)
            continue;
        m->fds[k] = (int *)s->mem2 + total;
        total += (size_t)m->counts[k];
        for (j = 0; j < m->counts[k]; j++) {
            if (rs_fileno(ctx, f, k, PyTuple_GET_ITEM(s->ref[k], j), &m->fds[k][j]) < 0)
                return -1;
            if (m->fds[k][j] + 1L > top)
                top = m->fds[k][j] + 1L;
        }
    }
    if (nfds_obj == NULL || nfds_obj == Py_None)
        nfds = top;
    else if (rs_long(ctx, f, 3, nfds_obj, INT_MIN, INT_MAX, &nfds) < 0)
        return -1;
    /* the kernel reads (and writes back) min(nfds, its fd table's size) bits: sized to nfds, it never goes
       past the bitmaps; calloc leaves the untouched pages of a huge nfds unbacked */
    m->top = (size_t)top;
    bits = (size_t)(nfds > top ? nfds : top);
    words = (bits + BITS - 1) / BITS;
    m->words = words ? words : 1;
    if (m->words > SIZE_MAX / (3 * sizeof(unsigned long))
        || (s->mem3 = PyMem_Calloc(3 * m->words, sizeof(unsigned long))) == NULL) {   /* the three bitmaps */
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < 3; k++) {
        if (s->ref[k] == NULL)
            continue;
        m->sets[k] = (unsigned long *)s->mem3 + (size_t)k * m->words;
        for (j = 0; j < m->counts[k]; j++) {
            int fd = m->fds[k][j];
            m->sets[k][(size_t)fd / BITS] |= 1UL << ((size_t)fd % BITS);
        }
    }
    ARG(ctx, f, 0) = nfds;
    for (k = 0; k < 3; k++)
        ARG(ctx, f, 1 + k) = m->is_pointer[k] ? m->pointer[k] : (long)m->sets[k];
    return 0;
}

static PyObject *rs_set_bits(const unsigned long *set, size_t top, long nfds);

/* one set's part of the trace: its fds, None for a NULL set, or the pointer given */
static PyObject *rs_set_trace(struct rs_fdsets *m, int k, long nfds)
{
    if (m->is_pointer[k])
        return rs_pointer_object(m->pointer[k]);
    return rs_set_bits(m->sets[k], m->top, nfds);
}

/* The fds whose bits are set in a bitmap, among the first nfds (as strace reads them): the kernel only
   clears bits, so none is set at or above the highest fd given, and the scan stops there. */
static PyObject *rs_set_bits(const unsigned long *set, size_t top, long nfds)
{
    PyObject *list;
    size_t w, limit;
    if (set == NULL)
        Py_RETURN_NONE;
    list = PyList_New(0);
    limit = nfds <= 0 ? 0 : rs_min((size_t)nfds, top);
    for (w = 0; list != NULL && w * BITS < limit; w++) {
        unsigned long word = set[w];
        while (word) {
            int bit = __builtin_ctzl(word);
            size_t fd = w * BITS + (size_t)bit;
            PyObject *v;
            word &= word - 1;
            if (fd >= limit)
                break;
            v = PyLong_FromSize_t(fd);
            if (v == NULL || PyList_Append(list, v) < 0)
                Py_CLEAR(list);
            Py_XDECREF(v);
            if (list == NULL)
                break;
        }
    }
    return list;
}

/* (the fds set in each of the three bitmaps, or None for a NULL set): before and after the call */
PyObject *rs_k_fdsets_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_fdsets *m = ctx->s[f].mem;
    long nfds = ARG(ctx, f, 0);
    (void)after;
    return Py_BuildValue("(NNN)", rs_set_trace(m, 0, nfds), rs_set_trace(m, 1, nfds), rs_set_trace(m, 2, nfds));
}

/* the given objects whose fd bits the kernel left set, in the order given: (readable, writable, exceptional) */
PyObject *rs_k_fdsets_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    struct rs_fdsets *m = s->mem;
    PyObject *out = PyTuple_New(3);
    int k;
    Py_ssize_t j;
    for (k = 0; out != NULL && k < 3; k++) {
        PyObject *list = PyList_New(0);
        if (list == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyTuple_SET_ITEM(out, k, list);
        for (j = 0; m->sets[k] != NULL && j < m->counts[k]; j++) {
            size_t fd = (size_t)m->fds[k][j];
            if (m->sets[k][fd / BITS] >> (fd % BITS) & 1UL && PyList_Append(list, PyTuple_GET_ITEM(s->ref[k], j)) < 0) {
                Py_CLEAR(out);
                break;
            }
        }
    }
    return out;
}

/* --- pollfds: poll(fds, nfds, ...) ---------------------------------------------------------------------------------- */

/* An int whose lifetime the cache may extend: an exact int, or a PollFlag member (which lives as long as the
   enum).  Another int subclass may have a finalizer, which the cache must not delay. */
static int rs_pollcache_keeps(PyObject *o)
{
    return PyLong_CheckExact(o) || Py_TYPE(o) == (PyTypeObject *)rs_py.poll_flag;
}

/* The fast path: an exact list or tuple of exact (int, int) tuples converts without running any Python
   code, so the list cannot change under it and needs no snapshot.  The ints may be int subclasses (PollFlag
   members): their value is read as CPython reads an int's, without calling __index__.  0: done, and the
   array may be cached; 2: done, not to be cached; 1: not that shape (take the slow path); -1: an error. */
static int rs_pollfds_exact(struct rs_ctx *ctx, int f, PyObject *o, struct pollfd *p, Py_ssize_t n)
{
    int keep = 1;
    PyObject *const *items = PyList_CheckExact(o) ? ((PyListObject *)o)->ob_item : ((PyTupleObject *)o)->ob_item;
    Py_ssize_t i;
    for (i = 0; i < n; i++) {
        PyObject *pair = items[i], *a, *b;
        long fd, events;
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2)
            return 1;
        a = PyTuple_GET_ITEM(pair, 0);
        b = PyTuple_GET_ITEM(pair, 1);
        /* a larger int, or one out of range, takes the slow path, which names the argument */
        if (!PyLong_Check(a) || !PyLong_Check(b) || !rs_compact_int(a, &fd) || !rs_compact_int(b, &events)
            || fd < INT_MIN || fd > INT_MAX || events < SHRT_MIN || events > USHRT_MAX)
            return 1;
        p[i].fd = (int)fd;
        p[i].events = (short)events;
        p[i].revents = 0;
        keep = keep && rs_pollcache_keeps(a) && rs_pollcache_keeps(b);
    }
    (void)ctx, (void)f;
    return keep ? 0 : 2;
}

static int rs_pollfds_slow(struct rs_ctx *ctx, int f, struct rs_slot *s, struct pollfd **pp, Py_ssize_t *np)
{
    PyObject *snap = s->ref[0] = PySequence_Tuple(rs_param(ctx, f, 0));
    Py_ssize_t i, n;
    struct pollfd *p;
    if (snap == NULL) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            rs_arg_error(ctx, f, 0, PyExc_TypeError, "must be a sequence of (fd, events) pairs, not %s",
                         Py_TYPE(rs_param(ctx, f, 0))->tp_name);
        }
        return -1;
    }
    n = PyTuple_GET_SIZE(snap);
    PyMem_Free(s->mem);
    if ((size_t)n > SIZE_MAX / sizeof(struct pollfd) || (s->mem = p = PyMem_Calloc(n ? (size_t)n : 1, sizeof(*p))) == NULL) {
        s->mem = NULL;
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(snap, i), *pair;
        long fd, events;
        if (!PyTuple_Check(item) && !PyList_Check(item))
            return rs_arg_error(ctx, f, 0, PyExc_TypeError, "entry %zd must be an (fd, events) pair, not %s", i,
                                Py_TYPE(item)->tp_name);
        if ((pair = PySequence_Tuple(item)) == NULL)
            return -1;
        if (PyTuple_GET_SIZE(pair) != 2) {
            Py_ssize_t items = PyTuple_GET_SIZE(pair);
            Py_DECREF(pair);
            return rs_arg_error(ctx, f, 0, PyExc_TypeError, "entry %zd must be an (fd, events) pair, not %zd items", i,
                                items);
        }
        if (rs_long(ctx, f, 0, PyTuple_GET_ITEM(pair, 0), INT_MIN, INT_MAX, &fd) < 0
            || rs_long(ctx, f, 0, PyTuple_GET_ITEM(pair, 1), SHRT_MIN, USHRT_MAX, &events) < 0) {
            Py_DECREF(pair);
            return -1;
        }
        Py_DECREF(pair);
        p[i].fd = (int)fd;
        p[i].events = (short)events;
    }
    *pp = p;
    *np = n;
    return 0;
}

/* The last array the fast path built, with the pair objects it was built from.  A pair is an exact tuple of
   ints, and neither can change, so a list or tuple holding the same pair objects in the same order converts
   to the same array: poll over an unchanged list (a caller's list) compares n pointers, and over the same
   tuple (a Poller's snapshot, which cannot change while the cache holds it) compares one, instead of reading
   2n ints.  The call is then lent the cached array itself: the kernel reads fd and events, and writes every
   entry's revents before the call reads any (poll(2) sets revents in each entry on success; on failure the
   call reads none), so what an earlier call left in revents is never seen; and the result puts each revents it
   reads back to 0, so the array is lent as a fresh one would be even to a call whose syscall never ran.  Only one call at a time borrows
   it (the GIL is released around the syscall, and the trace hook and the result's objects run Python code
   that may poll again): a call that finds it lent builds its own array, and the cache is not replaced while
   it is lent.  Only touched with the GIL held.  Up to RS_POLLCACHE_MAX pairs are kept alive by it, until the
   next array replaces them: only pairs of exact ints and PollFlag members, which have no finalizer to delay. */
#define RS_POLLCACHE_MAX 65536
static struct {
    PyObject **items;           /* owned references to the pairs */
    PyObject *seq;              /* an owned reference to the exact tuple they came in, or NULL (a list) */
    struct pollfd *fds;         /* the array they converted to */
    Py_ssize_t n;
    int lent;                   /* a call holds fds */
} rs_pollcache;

static int rs_pollcache_hit(PyObject *o, PyObject *const *items, Py_ssize_t n)
{
    return !rs_pollcache.lent && n != 0 && n == rs_pollcache.n
           && (o == rs_pollcache.seq || memcmp(items, rs_pollcache.items, (size_t)n * sizeof(*items)) == 0);
}

void rs_pollcache_giveback(void)
{
    rs_pollcache.lent = 0;
}

/* The array p (PyMem, n pairs, converted from o's items) becomes the cache, which takes it over (0), or the
   cache cannot be made and p stays the caller's (-1, no exception: not an error). */
static int rs_pollcache_store(PyObject *o, PyObject *const *items, struct pollfd *p, Py_ssize_t n)
{
    PyObject **old = rs_pollcache.items, **mine, *oldseq = rs_pollcache.seq;
    struct pollfd *oldfds = rs_pollcache.fds;
    Py_ssize_t oldn = rs_pollcache.n, i;
    mine = PyMem_Malloc((size_t)n * sizeof(*mine));
    if (mine == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        mine[i] = items[i];
        Py_INCREF(mine[i]);
    }
    rs_pollcache.items = mine;
    rs_pollcache.seq = PyTuple_CheckExact(o) ? o : NULL;
    Py_XINCREF(rs_pollcache.seq);
    rs_pollcache.fds = p;
    rs_pollcache.n = n;
    /* The cache is whole again before the old pairs go: their release may run Python code (an int
       subclass's __del__) that polls. */
    for (i = 0; i < oldn; i++)
        Py_DECREF(old[i]);
    Py_XDECREF(oldseq);
    PyMem_Free(old);
    PyMem_Free(oldfds);
    return 0;
}

int rs_k_pollfds_prepare(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = rs_slot(ctx, f);
    PyObject *o = rs_param(ctx, f, 0), *nfds_obj = rs_param(ctx, f, 1);
    struct pollfd *p = NULL;
    Py_ssize_t n = -1;
    long nfds = 0, addr;
    int r = 1, given = nfds_obj != NULL && nfds_obj != Py_None;
    /* nfds_t is the kernel's unsigned int: any 32-bit pattern, an int's or an unsigned int's */
    if (given && rs_long(ctx, f, 1, nfds_obj, INT_MIN, UINT_MAX, &nfds) < 0)
        return -1;
    nfds = (long)(unsigned int)nfds;
    s->state = 0;
    if (rs_pointer(o, &addr)) {   /* BADPTR or NULL: nfds as given (None: 0) */
        s->state = 1;
        s->n = 0;
        ARG(ctx, f, 0) = addr;
        ARG(ctx, f, 1) = nfds;
        return 0;
    }
    if (PyList_CheckExact(o) || PyTuple_CheckExact(o)) {
        PyObject *const *items = PyList_CheckExact(o) ? ((PyListObject *)o)->ob_item : ((PyTupleObject *)o)->ob_item;
        n = Py_SIZE(o);
        /* no Python code runs until the array is built and stored: the list cannot change under items */
        if (rs_pollcache_hit(o, items, n)) {
            rs_pollcache.lent = s->lent = 1;
            s->mem = p = rs_pollcache.fds;
            r = 0;
        } else if ((size_t)n > SIZE_MAX / sizeof(struct pollfd)
                   || (s->mem = p = PyMem_Malloc(n ? (size_t)n * sizeof(*p) : 1)) == NULL) {
            PyErr_NoMemory();
            return -1;
        } else if ((r = rs_pollfds_exact(ctx, f, o, p, n)) == 0 && !rs_pollcache.lent && n != 0
                   && n <= RS_POLLCACHE_MAX) {
            /* the new array becomes the cache, and this call its first borrower */
            if (rs_pollcache_store(o, items, p, n) == 0)
                rs_pollcache.lent = s->lent = 1;
        } else if (r == 2) {
            r = 0;
        }
    }
    if (r < 0 || (r == 1 && rs_pollfds_slow(ctx, f, s, &p, &n) < 0))
        return -1;
    s->n = (size_t)n;
    ARG(ctx, f, 0) = (long)p;
    ARG(ctx, f, 1) = (long)n;
    if (given) {
        /* nfds up to the pairs given, or past any RLIMIT_NOFILE (fs.nr_open is below 2**30: EINVAL before the
           kernel reads the array); anything between would have the kernel read and write past the array */
        if (nfds <= INT_MAX && nfds > (long)n)
            return rs_arg_error(ctx, f, 1, PyExc_ValueError, "nfds %ld is more than the %zd pairs given", nfds, n);
        s->n = nfds <= (long)n ? (size_t)nfds : 0;
        s->state = nfds <= (long)n ? 0 : 2;   /* 2: past RLIMIT_NOFILE, refused before the kernel reads any */
        ARG(ctx, f, 1) = nfds;
    }
    return 0;
}

/* before: ((fd, events), ...); after: ((fd, revents), ...) of the entries the kernel marked; at most as many
   entries as the trace cap */
PyObject *rs_k_pollfds_trace(struct rs_ctx *ctx, int f, int after)
{
    struct rs_slot *s = &ctx->s[f];
    const struct pollfd *p = s->mem;
    size_t i, cap = rs_trace_cap();
    PyObject *list;
    if (s->state == 1)   /* BADPTR or NULL */
        return rs_pointer_object(ARG(ctx, f, 0));
    if (s->state == 2)   /* more said than given: the array's address (strace's reading is past the array) */
        return PyLong_FromUnsignedLong((unsigned long)ARG(ctx, f, 0));
    list = PyList_New(0);
    for (i = 0; list != NULL && i < s->n && (size_t)PyList_GET_SIZE(list) < cap; i++) {
        PyObject *pair;
        if (after && (ctx->ret <= 0 || p[i].revents == 0))
            continue;
        pair = Py_BuildValue("(ii)", p[i].fd, after ? (int)(unsigned short)p[i].revents : (int)(unsigned short)p[i].events);
        if (pair == NULL || PyList_Append(list, pair) < 0)
            Py_CLEAR(list);
        Py_XDECREF(pair);
    }
    return list;
}

/* (a, b) as a new tuple of ints */
static PyObject *rs_int_pair(long a, long b)
{
    PyObject *pair = PyTuple_New(2), *x, *y;
    if (pair == NULL)
        return NULL;
    x = PyLong_FromLong(a);
    PyTuple_SET_ITEM(pair, 0, x);   /* (a NULL item is fine in a tuple that is deallocated) */
    if (x == NULL || (y = PyLong_FromLong(b)) == NULL) {
        Py_DECREF(pair);
        return NULL;
    }
    PyTuple_SET_ITEM(pair, 1, y);
    return pair;
}

/* [(fd, revents), ...] for the entries the kernel marked, in order.  In the poll cache's lent array each revents
   read is put back to 0 (the rest the kernel left at 0), so that the array the next call borrows is as a fresh one
   would be even if that call's syscall never ran (fault injection, a seccomp filter answering for the kernel). */
PyObject *rs_k_pollfds_out(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    struct pollfd *p = s->mem;
    Py_ssize_t want = ctx->ret < 0 ? 0 : (Py_ssize_t)rs_min((size_t)ctx->ret, s->n), k = 0;
    size_t i;
    PyObject *list = PyList_New(want);
    for (i = 0; list != NULL && i < s->n && k < want; i++) {
        PyObject *pair;
        if (p[i].revents == 0)
            continue;
        pair = rs_int_pair(p[i].fd, (unsigned short)p[i].revents);
        if (pair == NULL) {
            Py_CLEAR(list);
            break;
        }
        if (s->lent)
            p[i].revents = 0;
        PyList_SET_ITEM(list, k++, pair);
    }
    if (list != NULL && k < want) {   /* fewer marked entries than the kernel counted: never on Linux */
        PyObject *cut = PyList_GetSlice(list, 0, k);
        Py_DECREF(list);
        list = cut;
    }
    return list;
}
