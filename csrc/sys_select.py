"""select(2), pselect(2), poll(2), ppoll(2) and the signal-set helpers they need: <sys/select.h>, <poll.h>,
<signal.h>.

select/pselect take the fd sets as arrays of ``unsigned long`` sized to nfds (the kernel's layout of an
fd_set, which reads nfds bits), so descriptors at or above FD_SETSIZE work; glibc's fixed-size fd_set and
FD_SET are never used on them.  The poll helpers also copy the ready (fd, revents) pairs into ``out`` in C,
so Python does not walk a thousand idle entries.
"""

INCLUDES = """
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/time.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
"""

TYPES = """
typedef int... time_t;
typedef int... suseconds_t;
typedef int... nfds_t;
struct timeval { time_t tv_sec; suseconds_t tv_usec; ...; };
struct timespec { time_t tv_sec; long tv_nsec; ...; };
typedef struct { ...; } sigset_t;
typedef struct { ...; } fd_set;
struct pollfd { int fd; short events; short revents; };
"""

FUNCTIONS = """
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *timeout);
int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const struct timespec *timeout,
            const sigset_t *sigmask);
int poll(struct pollfd *fds, nfds_t nfds, int timeout);
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask);
int sigemptyset(sigset_t *set);
int sigaddset(sigset_t *set, int signum);
int sigismember(const sigset_t *set, int signum);

int rs_has_select_syscall(void);
int rs_select(int nfds, unsigned long *readfds, unsigned long *writefds, unsigned long *exceptfds,
              struct timeval *timeout);
int rs_pselect(int nfds, unsigned long *readfds, unsigned long *writefds, unsigned long *exceptfds,
               const struct timespec *timeout, const sigset_t *sigmask, struct timespec *left);
int rs_poll(struct pollfd *fds, nfds_t nfds, int timeout, int *out);
int rs_ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p, const sigset_t *sigmask, int *out,
             struct timespec *left);
"""

CUSTOMIZATIONS = """
/* The select syscall itself: glibc's select() issues pselect6 on x86-64 and converts the timeout. */
static int rs_select(int n, unsigned long *r, unsigned long *w, unsigned long *x, struct timeval *tv)
{
#ifdef SYS_select
    RS_RETURN(int, (int)syscall(SYS_select, n, r, w, x, tv));
#else
    RS_RETURN(int, select(n, (fd_set *)r, (fd_set *)w, (fd_set *)x, tv));
#endif
}
/* pselect and ppoll do what glibc's wrappers do (glibc 2.36, sysdeps/unix/sysv/linux): the kernel gets a
   copy of the timeout, so the caller's is never modified (POSIX), and pselect6 gets {sigmask, _NSIG / 8}.
   The copy is the caller-visible `left`, so a tracer can show the time the kernel wrote back, as strace does. */
static int rs_pselect(int n, unsigned long *r, unsigned long *w, unsigned long *x, const struct timespec *ts,
                      const sigset_t *mask, struct timespec *left)
{
    struct { const sigset_t *ss; size_t ss_len; } data = { mask, _NSIG / 8 };
    if (ts != NULL)
        *left = *ts;
    RS_RETURN(int, (int)syscall(SYS_pselect6, n, r, w, x, ts != NULL ? left : NULL, &data));
}

static int rs_has_select_syscall(void)
{
#ifdef SYS_select
    return 1;
#else
    return 0;
#endif
}

/* After poll: the (fd, revents) pairs of the entries the kernel marked, in order.  out holds 2 * n ints. */
static void rs_collect(const struct pollfd *fds, nfds_t n, int *out)
{
    nfds_t i;
    for (i = 0; i < n; i++)
        if (fds[i].revents) { *out++ = fds[i].fd; *out++ = fds[i].revents; }
}
static int rs_poll(struct pollfd *fds, nfds_t n, int timeout, int *out)
{
    int r = poll(fds, n, timeout);
    if (r < 0) return -errno;
    rs_collect(fds, n, out);
    return r;
}
static int rs_ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask, int *out,
                    struct timespec *left)
{
    int r;
    if (ts != NULL)
        *left = *ts;
    r = (int)syscall(SYS_ppoll, fds, n, ts != NULL ? left : NULL, mask, (size_t)(_NSIG / 8));
    if (r < 0) return -errno;
    rs_collect(fds, n, out);
    return r;
}
"""
