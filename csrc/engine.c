/* The call engine: every public rawsock call is rs_entry() running one description of rs_calls[]. */
#include "rawsock.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RS_TRACE_HOOK
#define RS_TRACE_HOOK 1   /* benchmarks/trace_hook.py builds with -DRS_TRACE_HOOK=0 to measure the hook's test */
#endif

struct rs_codecs rs_py;
static PyObject **rs_finishers;          /* rs_finisher_names, resolved in rawsock._codecs */
static PyObject *rs_defaults[256][RS_MAXPARAMS];
static PyObject *rs_trace_hook;          /* rawsock._trace's hook, or NULL: tracing is off */
static size_t rs_cap = 64;               /* bytes of a buffer the tracer wants (its largest strsize + 1) */

size_t rs_trace_cap(void) { return rs_cap; }

/* --- errors: the one place an errno becomes an exception ------------------------------------------------ */

#define RS_ERRNO_MAX 4096
static PyObject *rs_error_class_of;      /* rawsock._errors.error_class */
static PyObject *rs_classes[RS_ERRNO_MAX], *rs_texts[RS_ERRNO_MAX];
static PyObject *rs_str_syscall;

/* The exception for an errno: the OSError subclass Python picks for it, combined with SyscallError, with
   .errno, .strerror and .syscall.  Classes and strerror texts are cached per errno. */
PyObject *rs_error(int err, const char *syscall)
{
    PyObject *cls = NULL, *text = NULL, *exc = NULL, *name;
    int cached = err > 0 && err < RS_ERRNO_MAX;
    if (cached && rs_classes[err] != NULL) {
        cls = rs_classes[err];
        text = rs_texts[err];
        Py_INCREF(cls);
        Py_INCREF(text);
    } else {
        cls = PyObject_CallFunction(rs_error_class_of, "i", err);
        if (cls == NULL)
            return NULL;
        text = PyUnicode_DecodeLocale(strerror(err), "surrogateescape");
        if (text == NULL) {
            Py_DECREF(cls);
            return NULL;
        }
        if (cached) {
            rs_classes[err] = cls;
            rs_texts[err] = text;
            Py_INCREF(cls);
            Py_INCREF(text);
        }
    }
    exc = PyObject_CallFunction(cls, "iO", err, text);
    Py_DECREF(cls);
    Py_DECREF(text);
    if (exc == NULL)
        return NULL;
    name = PyUnicode_InternFromString(syscall);
    if (name == NULL || PyObject_SetAttr(exc, rs_str_syscall, name) < 0)
        Py_CLEAR(exc);
    Py_XDECREF(name);
    return exc;
}

static PyObject *rs_raise(int err, const char *syscall)
{
    PyObject *exc;
    if (err == EINTR && PyErr_CheckSignals() < 0)   /* a signal handler's exception wins, as in CPython */
        return NULL;
    exc = rs_error(err, syscall);
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* --- helpers for the kinds ---------------------------------------------------------------------------------- */

static void rs_release(struct rs_ctx *ctx)
{
    while (ctx->dirty) {
        int f = __builtin_ctz(ctx->dirty), i;
        struct rs_slot *s = &ctx->s[f];
        ctx->dirty &= ctx->dirty - 1;
        if (s->has_view)
            PyBuffer_Release(&s->view);
        if (s->views != NULL) {
            for (i = 0; i < s->nviews; i++)
                PyBuffer_Release(&s->views[i]);
            PyMem_Free(s->views);
        }
        if (s->lent)
            rs_pollcache_giveback();
        else if (s->mem != NULL)
            PyMem_Free(s->mem);
        if (s->mem2 != NULL)
            PyMem_Free(s->mem2);
        if (s->mem3 != NULL)
            PyMem_Free(s->mem3);
        for (i = 0; i < RS_MAXREFS; i++)
            Py_XDECREF(s->ref[i]);
    }
}

const char *rs_param_name(struct rs_ctx *ctx, int f, int i)
{
    int p = ctx->call->fields[f].p[i];
    return p < 0 ? "?" : ctx->call->params[p].name;
}

/* An exception naming the call and the argument: "send() argument 'fd': ..." */
int rs_arg_error(struct rs_ctx *ctx, int f, int i, PyObject *exc, const char *fmt, ...)
{
    va_list va;
    PyObject *msg;
    va_start(va, fmt);
    msg = PyUnicode_FromFormatV(fmt, va);
    va_end(va);
    if (msg != NULL) {
        PyErr_Format(exc, "%s() argument '%s': %U", ctx->call->name, rs_param_name(ctx, f, i), msg);
        Py_DECREF(msg);
    }
    return -1;
}

/* The i-th parameter of a pointer that only BADPTR or NULL may replace (None, or absent: rawsock's own memory):
   0 for None, 1 with *addr for BADPTR or NULL, -1 with a TypeError naming the argument for anything else. */
int rs_pointer_param(struct rs_ctx *ctx, int f, int i, long *addr)
{
    PyObject *o = rs_param(ctx, f, i);
    if (o == NULL || o == Py_None)
        return 0;
    if (rs_pointer(o, addr))
        return 1;
    return rs_arg_error(ctx, f, i, PyExc_TypeError, "must be None, rawsock.BADPTR or rawsock.NULL, not %s",
                        Py_TYPE(o)->tp_name);
}

/* A codec's TypeError/ValueError/OverflowError about the i-th parameter, re-raised naming the call and the
   argument; -1 always (other exceptions pass unchanged). */
int rs_arg_wrap(struct rs_ctx *ctx, int f, int i)
{
    PyObject *type, *value, *tb;
    if (!PyErr_ExceptionMatches(PyExc_TypeError) && !PyErr_ExceptionMatches(PyExc_ValueError)
        && !PyErr_ExceptionMatches(PyExc_OverflowError))
        return -1;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL)
        PyErr_Format(type, "%s() argument '%s': %S", ctx->call->name, rs_param_name(ctx, f, i), value);
    else
        PyErr_Format(type, "%s() argument '%s'", ctx->call->name, rs_param_name(ctx, f, i));
    if (value != NULL) {   /* the codec's exception, kept as the cause */
        PyObject *t2, *v2, *tb2;
        PyErr_Fetch(&t2, &v2, &tb2);
        PyErr_NormalizeException(&t2, &v2, &tb2);
        if (v2 != NULL) {
            Py_INCREF(value);
            PyException_SetCause(v2, value);
        }
        PyErr_Restore(t2, v2, tb2);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return -1;
}

/* An integer argument in [lo, hi] (hi above LONG_MAX: an unsigned bit pattern, stored as its long value). */
int rs_long_slow(struct rs_ctx *ctx, int f, int i, PyObject *o, long lo, unsigned long hi, long *out)
{
    PyObject *index = NULL;
    int overflow = 0;
    long v;
    if (!PyLong_CheckExact(o)) {
        if (!PyIndex_Check(o))
            return rs_arg_error(ctx, f, i, PyExc_TypeError, "must be an integer, not %s", Py_TYPE(o)->tp_name);
        index = PyNumber_Index(o);
        if (index == NULL)
            return -1;
        o = index;
    }
    v = PyLong_AsLongAndOverflow(o, &overflow);
    if (overflow > 0 && hi > (unsigned long)LONG_MAX) {
        unsigned long u = PyLong_AsUnsignedLong(o);
        if (!(u == (unsigned long)-1 && PyErr_Occurred()) && u <= hi) {
            Py_XDECREF(index);
            *out = (long)u;
            return 0;
        }
        PyErr_Clear();
    }
    if (v == -1 && PyErr_Occurred()) {
        Py_XDECREF(index);
        return -1;
    }
    if (overflow || v < lo || (v > 0 && (unsigned long)v > hi)) {
        int r = hi > (unsigned long)LONG_MAX
                    ? rs_arg_error(ctx, f, i, PyExc_OverflowError, "%R is outside %ld..%lu", o, lo, hi)
                    : rs_arg_error(ctx, f, i, PyExc_OverflowError, "%R is outside %ld..%ld", o, lo, (long)hi);
        Py_XDECREF(index);   /* o may be index: released only after the message is made */
        return r;
    }
    Py_XDECREF(index);
    *out = v;
    return 0;
}

/* A size: a non-negative integer (ValueError when negative). */
int rs_ssize(struct rs_ctx *ctx, int f, int i, PyObject *o, Py_ssize_t *out)
{
    long v;
    if (rs_long(ctx, f, i, o, LONG_MIN, PY_SSIZE_T_MAX, &v) < 0)
        return -1;
    if (v < 0)
        return rs_arg_error(ctx, f, i, PyExc_ValueError, "a size cannot be negative (%ld)", v);
    *out = (Py_ssize_t)v;
    return 0;
}

PyObject *rs_none(struct rs_ctx *ctx, int f, int after)
{
    (void)ctx, (void)f, (void)after;
    Py_RETURN_NONE;
}

PyObject *rs_bytes_or_none(const void *p, size_t n)
{
    if (p == NULL)
        Py_RETURN_NONE;
    return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)n);
}

/* --- the syscall ------------------------------------------------------------------------------------------ */

long rs_do_syscall(long nr, const long a[6], int *err)
{
    long r;
    Py_BEGIN_ALLOW_THREADS
    r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    *err = r == -1 ? errno : 0;
    Py_END_ALLOW_THREADS
    return r;
}

/* --- binding the parameters ------------------------------------------------------------------------------- */

static int rs_bind(const struct rs_call *c, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **p)
{
    PyObject *const *dflt = rs_defaults[c - rs_calls];
    Py_ssize_t i, j, nkw;
    if (kwnames == NULL && nargs >= c->nrequired && nargs <= c->npositional) {
        for (i = 0; i < nargs; i++)
            p[i] = args[i];
        for (; i < c->nparams; i++)
            p[i] = dflt[i];
        return 0;
    }
    if (nargs > c->npositional) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %d positional arguments (%zd given)", c->name,
                     (int)c->npositional, nargs);
        return -1;
    }
    for (i = 0; i < c->nparams; i++)
        p[i] = i < nargs ? args[i] : NULL;
    nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    for (j = 0; j < nkw; j++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, j);
        for (i = 0; i < c->nparams; i++)
            if (PyUnicode_CompareWithASCIIString(key, c->params[i].name) == 0)
                break;
        if (i == c->nparams) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", c->name, key);
            return -1;
        }
        if (p[i] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", c->name, c->params[i].name);
            return -1;
        }
        p[i] = args[nargs + j];
    }
    for (i = 0; i < c->nparams; i++) {
        if (p[i] != NULL)
            continue;
        if (dflt[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", c->name, c->params[i].name);
            return -1;
        }
        p[i] = dflt[i];
    }
    return 0;
}

/* --- tracing ---------------------------------------------------------------------------------------------- */

static int64_t rs_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);   /* the vDSO: no syscall */
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static PyObject *rs_snapshots(struct rs_ctx *ctx, int after)
{
    const struct rs_call *c = ctx->call;
    PyObject *t = PyTuple_New(c->nfields);
    int f;
    if (t == NULL)
        return NULL;
    for (f = 0; f < c->nfields; f++) {
        PyObject *v = rs_kinds[c->fields[f].kind].trace(ctx, f, after);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, f, v);
    }
    return t;
}

/* Calls the hook with (call index, the six raw arguments, before, after, return value, errno, t0, t1).  A
   failure of the hook never changes the call's outcome: it is reported as unraisable. */
static void rs_trace(PyObject *hook, struct rs_ctx *ctx, PyObject *before, int err, int64_t t0, int64_t t1)
{
    const long *a = ctx->a;
    PyObject *after = NULL, *r = NULL;
    PyObject *exc_type, *exc_value, *exc_tb;
    if (before == NULL)   /* the snapshot before the call failed, and was reported then */
        return;
    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    if ((after = rs_snapshots(ctx, 1)) != NULL)
        r = PyObject_CallFunction(hook, "i(llllll)OOliLL", (int)(ctx->call - rs_calls), a[0], a[1], a[2], a[3],
                                  a[4], a[5], before, after, ctx->ret, err, (long long)t0, (long long)t1);
    if (r == NULL)
        PyErr_WriteUnraisable(hook);
    Py_XDECREF(r);
    Py_XDECREF(after);
    PyErr_Restore(exc_type, exc_value, exc_tb);
}

/* --- the entry point of every call ------------------------------------------------------------------------ */

/* The call succeeded but its result could not be built (MemoryError, RecursionError, a codec's error): close
   every fd the kernel made for it, which the caller will never see, as CPython's sock_accept does.  The
   exception stays set: close(2) does not touch it. */
static void rs_abandon(struct rs_ctx *ctx)
{
    const struct rs_call *c = ctx->call;
    int f;
    if (c->new_fd && ctx->ret >= 0)
        rs_close_fd((int)ctx->ret);
    for (f = 0; f < c->nfields; f++)
        if (rs_kinds[c->fields[f].kind].abandon != NULL)
            rs_kinds[c->fields[f].kind].abandon(ctx, f);
}

static PyObject *rs_result(struct rs_ctx *ctx)
{
    const struct rs_call *c = ctx->call;
    PyObject *parts[4], *value;
    int i;
    for (i = 0; i < c->nresult; i++) {
        int r = c->result[i];
        parts[i] = r == RS_RESULT_RET ? PyLong_FromLong(ctx->ret) : rs_kinds[c->fields[r].kind].out(ctx, r);
        if (parts[i] == NULL) {
            while (--i >= 0)
                Py_DECREF(parts[i]);
            return NULL;
        }
    }
    if (c->nresult == 0) {
        Py_INCREF(Py_None);
        value = Py_None;
    } else if (c->nresult == 1) {
        value = parts[0];
    } else {
        value = PyTuple_New(c->nresult);
        if (value == NULL) {
            for (i = 0; i < c->nresult; i++)
                Py_DECREF(parts[i]);
            return NULL;
        }
        for (i = 0; i < c->nresult; i++)
            PyTuple_SET_ITEM(value, i, parts[i]);
    }
    if (c->finish >= 0) {
        PyObject *done = PyObject_CallOneArg(rs_finishers[c->finish], value);
        Py_DECREF(value);
        value = done;
    }
    return value;
}

/* The `self` of every call's builtin function: the description it runs (rawsock.send.__self__). */
struct rs_callobj {
    PyObject_HEAD
    const struct rs_call *call;
};

static PyObject *rs_callobj_repr(PyObject *self)
{
    const struct rs_call *c = ((struct rs_callobj *)self)->call;
    return PyUnicode_FromFormat("<rawsock call %s: syscall %s (%ld)>", c->name, c->syscall, c->nr);
}

static PyType_Slot rs_callobj_slots[] = {
    {Py_tp_repr, (void *)rs_callobj_repr},
    {Py_tp_doc, (void *)"A call rawsock's engine makes: its description's name, the syscall and its number."},
    {0, NULL},
};

static PyType_Spec rs_callobj_spec = {
    "rawsock._syscalls.Call", sizeof(struct rs_callobj), 0, Py_TPFLAGS_DEFAULT, rs_callobj_slots,
};

static PyObject *rs_entry(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    const struct rs_call *c = ((struct rs_callobj *)self)->call;
    struct rs_ctx ctx;
    PyObject *hook = NULL, *before = NULL, *result = NULL;
    int f, err, signalled;
    int64_t t0 = 0, t1 = 0;
    ctx.call = c;
    ctx.dirty = 0;
    if (rs_bind(c, args, nargs, kwnames, ctx.p) < 0)
        return NULL;
    for (f = 0; f < c->nfields; f++) {
        unsigned char kind = c->fields[f].kind;
        if (kind == RS_K_CONST)   /* the two commonest kinds inline; the same code as their table entries */
            ctx.a[c->fields[f].first] = c->fields[f].value;
        else if (kind == RS_K_INT ? rs_int_prepare(&ctx, f) < 0 : rs_kinds[kind].prepare(&ctx, f) < 0)
            goto done;
    }
    if (RS_TRACE_HOOK && rs_trace_hook != NULL) {
        hook = rs_trace_hook;
        Py_INCREF(hook);   /* the hook may be unset by another thread while this call blocks */
        before = rs_snapshots(&ctx, 0);
        if (before == NULL)
            PyErr_WriteUnraisable(hook);   /* (which clears it) */
        t0 = rs_now();
    }
    ctx.ret = rs_do_syscall(c->nr, ctx.a, &err);
    if (hook != NULL)
        t1 = rs_now();
    /* A signal's Python handler runs now: where CPython runs it after EINTR (PEP 475), and where the interpreter
       would run it anyway as the call returns.  So before the trace hook, which is Python code and would
       otherwise run it inside itself, where its exception could only be reported.  If the handler raises,
       the call raises that, and closes the fds it made (its result never reaches the caller). */
    signalled = PyErr_CheckSignals() < 0;
    if (hook != NULL) {
        PyObject *st = NULL, *sv = NULL, *stb = NULL;
        if (signalled)
            PyErr_Fetch(&st, &sv, &stb);
        rs_trace(hook, &ctx, before, err, t0, t1);
        if (signalled)
            PyErr_Restore(st, sv, stb);
    }
    if (signalled) {
        if (!(ctx.ret == -1 && err != 0))
            rs_abandon(&ctx);
    } else if (ctx.ret == -1 && err != 0) {
        rs_raise(err, c->error_name);
    } else if ((result = rs_result(&ctx)) == NULL) {
        rs_abandon(&ctx);
    }
done:
    rs_release(&ctx);
    Py_XDECREF(before);
    Py_XDECREF(hook);
    return result;
}

/* --- module functions besides the calls ------------------------------------------------------------------ */

static PyObject *rs_set_trace(PyObject *mod, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *hook;
    Py_ssize_t cap;
    (void)mod;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_set_trace(hook or None, bytes wanted of each buffer)");
        return NULL;
    }
    hook = args[0];
    cap = PyLong_AsSsize_t(args[1]);
    if (cap == -1 && PyErr_Occurred())
        return NULL;
    if (cap < 1) {
        PyErr_SetString(PyExc_ValueError, "the trace cap must be at least 1");
        return NULL;
    }
    rs_cap = (size_t)cap;
    if (hook == Py_None) {
        Py_CLEAR(rs_trace_hook);
    } else {
        Py_INCREF(hook);
        Py_XSETREF(rs_trace_hook, hook);
    }
    Py_RETURN_NONE;
}

static PyObject *rs_get_trace(PyObject *mod, PyObject *unused)
{
    (void)mod, (void)unused;
    if (rs_trace_hook == NULL)
        Py_RETURN_NONE;
    Py_INCREF(rs_trace_hook);
    return rs_trace_hook;
}

static PyObject *rs_make_error(PyObject *mod, PyObject *const *args, Py_ssize_t nargs)
{
    long err;
    const char *name;
    (void)mod;
    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "_error(errno, syscall name)");
        return NULL;
    }
    err = PyLong_AsLong(args[0]);
    if (err == -1 && PyErr_Occurred())
        return NULL;
    if (err < INT_MIN || err > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "an errno is a C int");
        return NULL;
    }
    name = PyUnicode_AsUTF8(args[1]);
    return name == NULL ? NULL : rs_error((int)err, name);
}

/* (name, syscall issued, its number) of every call, in the table's order (the tracer's index). */
static PyObject *rs_table(PyObject *mod, PyObject *unused)
{
    PyObject *t = PyTuple_New(rs_ncalls);
    int i;
    (void)mod, (void)unused;
    if (t == NULL)
        return NULL;
    for (i = 0; i < rs_ncalls; i++) {
        PyObject *row = Py_BuildValue("(ssl)", rs_calls[i].name, rs_calls[i].syscall, rs_calls[i].nr);
        if (row == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, row);
    }
    return t;
}

static PyMethodDef rs_module_methods[] = {
    {"_set_trace", (PyCFunction)(void (*)(void))rs_set_trace, METH_FASTCALL,
     "_set_trace(hook, cap): the trace hook (None: off), called after every syscall with the raw arguments."},
    {"_get_trace", rs_get_trace, METH_NOARGS, "_get_trace(): the trace hook, or None when tracing is off."},
    {"_error", (PyCFunction)(void (*)(void))rs_make_error, METH_FASTCALL,
     "_error(errno, syscall): the exception rawsock raises for that errno (not raised)."},
    {"_table", rs_table, METH_NOARGS, "_table(): (name, syscall, number) of each call, in the engine's order."},
    {NULL, NULL, 0, NULL}
};

/* --- install ---------------------------------------------------------------------------------------------- */

static PyObject *rs_attr(PyObject *mod, const char *name)
{
    return PyObject_GetAttrString(mod, name);
}

static int rs_install_codecs(void)
{
    PyObject *m = PyImport_ImportModule("rawsock._codecs"), *errors;
    int i;
    if (m == NULL)
        return -1;
#define GET(field, name) if ((rs_py.field = rs_attr(m, name)) == NULL) goto fail
    GET(address_encode, "address_encode");
    GET(address_decode, "address_decode");
    GET(raw_sockaddr, "RawSockaddr");
    GET(control_encode, "control_encode");
    GET(control_decode, "control_decode");
    GET(msg_flags, "msg_flags");
    GET(recvmmsg_type, "RecvMmsg");
    GET(poll_flag, "PollFlag");
    GET(time_encode, "time_encode");
    GET(time_decode, "time_decode");
    GET(sigset, "sigset");
    GET(typed_in, "typed_in");
    GET(typed_out_spec, "typed_out_spec");
    GET(typed_out, "typed_out");
    GET(struct_encode, "struct_encode");
    GET(struct_decode, "struct_decode");
    GET(badptr, "BADPTR");
    GET(null, "NULL");
#undef GET
    if (!PyType_Check(rs_py.recvmmsg_type) || !PyType_Check(rs_py.raw_sockaddr)
        || !PyType_IsSubtype((PyTypeObject *)rs_py.recvmmsg_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "rawsock._codecs: RecvMmsg (a tuple subclass) and RawSockaddr must be classes");
        goto fail;
    }
    rs_py.msg_flags_zero = PyObject_CallFunction(rs_py.msg_flags, "i", 0);
    if (rs_py.msg_flags_zero == NULL)
        goto fail;
    rs_finishers = PyMem_Calloc(rs_nfinishers ? (size_t)rs_nfinishers : 1, sizeof(PyObject *));
    if (rs_finishers == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (i = 0; i < rs_nfinishers; i++) {
        char name[64];
        PyOS_snprintf(name, sizeof(name), "finish_%s", rs_finisher_names[i]);
        if ((rs_finishers[i] = rs_attr(m, name)) == NULL)
            goto fail;
    }
    errors = PyImport_ImportModule("rawsock._errors");
    if (errors == NULL)
        goto fail;
    rs_error_class_of = rs_attr(errors, "error_class");
    Py_DECREF(errors);
    if (rs_error_class_of == NULL)
        goto fail;
    Py_DECREF(m);
    return rs_address_init();
fail:
    Py_DECREF(m);
    return -1;
}

static PyObject *rs_default_value(const struct rs_param *p)
{
    switch (p->dflt) {
    case RS_D_NONE:
        Py_RETURN_NONE;
    case RS_D_INT:
        return PyLong_FromLong(p->dflt_int);
    case RS_D_EMPTY:
        return PyTuple_New(0);
    default:
        return NULL;
    }
}

/* Adds every call of rs_calls to the module named (rawsock._syscalls).  Called once, through cffi, which
   released the GIL for the call. */
int rs_install(const char *module)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *mod = NULL, *modname = NULL, *calltype = NULL;
    PyMethodDef *defs = NULL;
    int i, j, r = -1;
    if (rs_str_syscall != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "rawsock's engine is already installed");
        goto done;
    }
    if (rs_ncalls > 256) {
        PyErr_SetString(PyExc_RuntimeError, "rawsock: more than 256 calls");
        goto done;
    }
    rs_str_syscall = PyUnicode_InternFromString("syscall");
    if (rs_str_syscall == NULL || (mod = PyImport_ImportModule(module)) == NULL || rs_install_codecs() < 0)
        goto done;
    defs = PyMem_Calloc((size_t)rs_ncalls, sizeof(*defs));   /* kept for the process's life, as the functions */
    if (defs == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if ((modname = PyModule_GetNameObject(mod)) == NULL || (calltype = PyType_FromSpec(&rs_callobj_spec)) == NULL)
        goto done;
    for (i = 0; i < rs_ncalls; i++) {
        const struct rs_call *c = &rs_calls[i];
        PyObject *self, *fn;
        for (j = 0; j < c->nparams; j++)
            if (c->params[j].dflt != RS_D_REQUIRED && (rs_defaults[i][j] = rs_default_value(&c->params[j])) == NULL)
                goto done;
        defs[i].ml_name = c->name;
        defs[i].ml_meth = (PyCFunction)(void (*)(void))rs_entry;
        defs[i].ml_flags = METH_FASTCALL | METH_KEYWORDS;
        defs[i].ml_doc = c->doc;
        self = PyType_GenericAlloc((PyTypeObject *)calltype, 0);
        if (self == NULL)
            goto done;
        ((struct rs_callobj *)self)->call = c;
        fn = PyCFunction_NewEx(&defs[i], self, modname);
        Py_DECREF(self);
        if (fn == NULL || PyModule_AddObject(mod, c->name, fn) < 0) {
            Py_XDECREF(fn);
            goto done;
        }
    }
    if (PyModule_AddFunctions(mod, rs_module_methods) < 0)
        goto done;
    r = 0;
done:
    if (r < 0)
        PyErr_Print();   /* cffi's caller only sees -1 */
    Py_XDECREF(mod);
    Py_XDECREF(modname);
    Py_XDECREF(calltype);
    PyGILState_Release(gil);
    return r;
}

void *rs_badpage;

/* BADPTR's address (rawsock._pointer asks once, as it is imported): one page mapped PROT_NONE, which stays for
   the process's life.  0 if it could not be mapped (rawsock._pointer then refuses to import). */
uintptr_t rs_badptr(void)
{
    if (rs_badpage == NULL) {
        long page = sysconf(_SC_PAGESIZE);
        void *p = mmap(NULL, page > 0 ? (size_t)page : 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            rs_badpage = p;
    }
    return (uintptr_t)rs_badpage;
}

/* rawsock._constants's tables, filled as it imports: its dicts ``_values`` (every constant by name, as an int)
   and ``_members`` (each enum's name -> its (name, value) pairs, in canonical order). */
int rs_install_constants(const char *module)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *mod = NULL, *values = NULL, *members = NULL, **lists = NULL;
    int i, r = -1;
    if ((mod = PyImport_ImportModule(module)) == NULL || (values = PyObject_GetAttrString(mod, "_values")) == NULL
        || (members = PyObject_GetAttrString(mod, "_members")) == NULL)
        goto done;
    if (!PyDict_CheckExact(values) || !PyDict_CheckExact(members)) {
        PyErr_SetString(PyExc_TypeError, "rawsock: _values and _members must be dicts");
        goto done;
    }
    if ((lists = PyMem_Calloc((size_t)rs_nenums, sizeof(*lists))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < rs_nenums; i++)
        if ((lists[i] = PyList_New(0)) == NULL || PyDict_SetItemString(members, rs_enum_names[i], lists[i]) < 0)
            goto done;
    for (i = 0; i < rs_nconstants; i++) {
        const struct rs_constant *k = &rs_constants[i];
        /* one interned name for the dict and the member list (module globals intern their keys anyway) */
        PyObject *name = PyUnicode_InternFromString(k->name);
        PyObject *v = name == NULL ? NULL
                      : k->negative ? PyLong_FromLongLong((long long)k->value) : PyLong_FromUnsignedLongLong(k->value);
        PyObject *pair = NULL;
        int bad = v == NULL || PyDict_SetItem(values, name, v) < 0;
        if (!bad && k->enum_index >= 0 && k->enum_index < rs_nenums) {
            pair = PyTuple_Pack(2, name, v);
            bad = pair == NULL || PyList_Append(lists[k->enum_index], pair) < 0;
        }
        Py_XDECREF(pair);
        Py_XDECREF(v);
        Py_XDECREF(name);
        if (bad)
            goto done;
    }
    r = 0;
done:
    if (r < 0)
        PyErr_Print();   /* cffi's caller only sees -1 */
    if (lists != NULL) {
        for (i = 0; i < rs_nenums; i++)
            Py_XDECREF(lists[i]);
        PyMem_Free(lists);
    }
    Py_XDECREF(mod);
    Py_XDECREF(values);
    Py_XDECREF(members);
    PyGILState_Release(gil);
    return r;
}
