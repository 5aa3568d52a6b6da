/* rawsock's call engine: one C path for every call, driven by the descriptions in src/rawsock/_calls.py.
 *
 * The build (csrc/build_rawsock.py) turns each description into a `struct rs_call`: the syscall's number,
 * its Python parameters, and one `struct rs_field` per group of syscall arguments, each of a kind
 * (csrc/kinds_*.c).  engine.c binds the parameters, lets each field prepare its arguments, makes the
 * syscall with the GIL released, hands the raw arguments to the trace hook when one is set, turns a
 * failure into the errno's exception (the one place that does), and builds the result.
 *
 * Memory rules, which every kind keeps:
 *  - prepare() may run Python code (__index__, codecs, __buffer__); the pointers it stores point only into
 *    memory rawsock allocated, immutable objects it holds a reference to, or buffers it has acquired
 *    (pinned until release), so code that runs later cannot move them;
 *  - sequences the caller passes are snapshotted once (PySequence_Tuple) and every count is taken from the
 *    snapshot, never read again from the caller's object;
 *  - every length handed to the kernel is bounded by what was allocated for it, and every size
 *    computation is checked for overflow.
 */
#ifndef RAWSOCK_H
#define RAWSOCK_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define RS_MAXPARAMS 8
#define RS_MAXFIELDS 6
#define RS_MAXREFS 4

/* The kernel's time structs for the syscalls rawsock issues (not libc's, whose time_t may differ); the raw
   layer's cdef declares the same (csrc/sys_select.py). */
#ifndef RS_KTIME_DEFINED
#define RS_KTIME_DEFINED
struct rs_ktv { long tv_sec; long tv_usec; };
struct rs_kts { long tv_sec; long tv_nsec; };
#endif

/* kinds: what one field makes of its parameters (see KINDS in _calls.py) */
enum rs_kind {
    RS_K_INT, RS_K_CONST, RS_K_BUF_IN, RS_K_BUF_OUT, RS_K_BUF_INTO, RS_K_SOCKADDR_IN, RS_K_SOCKADDR_OUT,
    RS_K_INT_OUT, RS_K_FD_PAIR, RS_K_MSGHDR_IN, RS_K_MSGHDR_OUT, RS_K_MMSG_IN, RS_K_MMSG_OUT, RS_K_FDSETS,
    RS_K_TIME, RS_K_SIGMASK, RS_K_SIGDATA, RS_K_POLLFDS, RS_K_TIMEOUT_MS, RS_K_OPTVAL_IN, RS_K_OPTVAL_OUT,
    RS_K_IOCTL_ARG, RS_K_FCNTL_ARG,
    RS_NKINDS
};

/* ctype: an integer's C type, or a kind's variant */
enum rs_ctype {
    RS_C_INT, RS_C_UNSIGNED, RS_C_LONG, RS_C_ULONG, RS_C_SIZE, RS_C_SHORT,
    RS_C_TIMEVAL, RS_C_TIMESPEC, RS_C_TIMEVAL_AS_TIMESPEC,   /* time */
    RS_C_INTO,                                              /* msghdr_out: into the caller's buffers */
    RS_C_NULLABLE,                                          /* sockaddr_out: None when addrlen is 0 */
};

/* a parameter's default */
enum rs_default { RS_D_REQUIRED, RS_D_NONE, RS_D_INT, RS_D_EMPTY };

struct rs_param {
    const char *name;
    unsigned char dflt;
    long dflt_int;
    unsigned char keyword_only;
};

struct rs_field {
    unsigned char kind;
    unsigned char ctype;
    signed char p[4];         /* parameter indexes, -1 when absent */
    unsigned char first;      /* the first syscall argument it fills */
    long value;               /* const */
    const char *codec;        /* the Python codec of a typed value (rawsock._codecs), or NULL */
};

#define RS_RESULT_RET (-1)
struct rs_call {
    const char *name;         /* the Python name: "send" */
    const char *syscall;      /* the syscall issued on this architecture: "sendto" */
    long nr;                  /* its number */
    const char *doc;          /* "send($module, /, fd, data, flags=0)\n--\n\n..." */
    const struct rs_field *fields;
    unsigned char nfields, nargs;
    const struct rs_param *params;
    unsigned char nparams, npositional, nrequired;
    unsigned char nresult;    /* 0: None; 1: the part itself; more: a tuple */
    signed char result[4];    /* RS_RESULT_RET or a field index */
    signed char finish;       /* a finisher's index in rs_finisher_names, or -1 */
    const char *error_name;   /* the C call an error names: "recv" for recv_into */
};

extern const struct rs_call rs_calls[];
extern const int rs_ncalls;
extern const char *const rs_finisher_names[];
extern const int rs_nfinishers;

/* One field's state during a call. */
struct rs_slot {
    PyObject *ref[RS_MAXREFS];   /* owned references (snapshots, encoded values, the output) */
    Py_buffer view;              /* an acquired buffer (buf_in, buf_into) */
    Py_buffer *views;            /* acquired buffers (iovecs): PyMem, nviews of them acquired */
    Py_ssize_t nviews;
    void *mem, *mem2, *mem3;     /* PyMem allocations */
    size_t n;                    /* a count or size that belongs to the field */
    size_t size;                 /* the size of mem, or of the buffer handed to the kernel */
    socklen_t len, len_before;   /* value-result lengths */
    long scalar;
    unsigned char has_view, state;
    union {
        struct rs_ktv tv;
        struct rs_kts ts;
        struct sockaddr_storage ss;
        int ints[2];
        struct { const void *set; size_t len; } sigdata;
    } u;
};

struct rs_ctx {
    const struct rs_call *call;
    PyObject *p[RS_MAXPARAMS];   /* borrowed: the arguments given, or the defaults */
    long a[6];                   /* the syscall's arguments */
    struct rs_slot s[RS_MAXFIELDS];
    unsigned int dirty;          /* bit f: slot f owns something to release */
    long ret;
};

/* what a kind does */
struct rs_kindops {
    /* Python values -> the field's syscall arguments; may run Python code; -1 with an exception set */
    int (*prepare)(struct rs_ctx *, int f);
    /* for the trace hook: what the argument holds before (after = 0) or after the call; a new reference */
    PyObject *(*trace)(struct rs_ctx *, int f, int after);
    /* the field's part of the result after a successful call; a new reference */
    PyObject *(*out)(struct rs_ctx *, int f);
};
extern const struct rs_kindops rs_kinds[RS_NKINDS];

/* --- shared by the kinds (engine.c) ----------------------------------------------------------------------- */

/* The slot of field f, initialised and marked to be released at the end of the call. */
static inline struct rs_slot *rs_slot(struct rs_ctx *ctx, int f)
{
    struct rs_slot *s = &ctx->s[f];
    if (!(ctx->dirty & (1u << f))) {
        s->ref[0] = s->ref[1] = s->ref[2] = s->ref[3] = NULL;
        s->has_view = 0;
        s->views = NULL;
        s->nviews = 0;
        s->mem = s->mem2 = s->mem3 = NULL;
        ctx->dirty |= 1u << f;
    }
    return s;
}

/* The field's i-th parameter (borrowed), or NULL when it has none. */
static inline PyObject *rs_param(struct rs_ctx *ctx, int f, int i)
{
    int p = ctx->call->fields[f].p[i];
    return p < 0 ? NULL : ctx->p[p];
}

/* An exact int that fits a machine word, read without a call (1), or not such an int (0). */
static inline int rs_small_int(PyObject *o, long *v)
{
    if (!PyLong_CheckExact(o))
        return 0;
#if PY_VERSION_HEX >= 0x030C0000
    if (!PyUnstable_Long_IsCompact((PyLongObject *)o))
        return 0;
    *v = (long)PyUnstable_Long_CompactValue((PyLongObject *)o);
#else
    {
        Py_ssize_t size = Py_SIZE(o);
        if (size < -1 || size > 1)
            return 0;
        *v = size * (long)((PyLongObject *)o)->ob_digit[0];
    }
#endif
    return 1;
}

const char *rs_param_name(struct rs_ctx *ctx, int f, int i);
int rs_arg_error(struct rs_ctx *ctx, int f, int i, PyObject *exc, const char *fmt, ...);
int rs_arg_wrap(struct rs_ctx *ctx, int f, int i);   /* a codec's error, re-raised naming the argument */
int rs_long(struct rs_ctx *ctx, int f, int i, PyObject *o, long lo, unsigned long hi, long *out);
int rs_ssize(struct rs_ctx *ctx, int f, int i, PyObject *o, Py_ssize_t *out);  /* a non-negative size */
PyObject *rs_none(struct rs_ctx *ctx, int f, int after);     /* trace: nothing to show */
int rs_get_buffer(struct rs_ctx *ctx, int f, int i, PyObject *o, Py_buffer *view, int writable);
PyObject *rs_bytes_or_none(const void *p, size_t n);
PyObject *rs_error(int err, const char *syscall);            /* the exception for an errno (a new reference) */
size_t rs_trace_cap(void);                                   /* how many bytes of a buffer the tracer wants */

/* the Python side (rawsock._codecs), looked up once at install */
struct rs_codecs {
    PyObject *address_encode, *address_decode, *raw_sockaddr;
    PyObject *control_encode, *control_decode, *msg_flags, *msg_flags_zero, *recvmmsg_type;
    PyObject *time_encode, *time_decode;
    PyObject *sigset;
    PyObject *typed_in, *typed_out_spec, *typed_out;
};
extern struct rs_codecs rs_py;

/* addresses (address.c) */
PyObject *rs_address_encode(PyObject *addr, int *limit);   /* sockaddr bytes; limit: the longest addrlen */
PyObject *rs_address_decode(const void *raw, socklen_t len);   /* the Address for the bytes the kernel returned */
int rs_address_init(void);

/* the syscall, with the GIL released; errno in *err */
long rs_do_syscall(long nr, const long a[6], int *err);

#endif
