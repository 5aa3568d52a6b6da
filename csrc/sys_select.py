"""select(2), pselect(2), poll(2), ppoll(2) and the signal-set functions: <sys/select.h>, <poll.h>, <signal.h>.

``struct rs_ktv`` and ``struct rs_kts`` are the kernel's own timeval and timespec for the syscalls rawsock
issues ({long, long} on every Linux ABI rawsock builds for), which libc's may not be (a 64-bit time_t on a
32-bit ABI).
"""

INCLUDES = """
#include <sys/select.h>
#include <sys/time.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#ifndef RS_KTIME_DEFINED
#define RS_KTIME_DEFINED
struct rs_ktv { long tv_sec; long tv_usec; };
struct rs_kts { long tv_sec; long tv_nsec; };
#endif
#define RS_SIGSETSIZE (_NSIG / 8)
"""

TYPES = """
typedef int... time_t;
typedef int... suseconds_t;
typedef int... nfds_t;
struct timeval { time_t tv_sec; suseconds_t tv_usec; ...; };
struct timespec { time_t tv_sec; long tv_nsec; ...; };
struct rs_ktv { long tv_sec; long tv_usec; };
struct rs_kts { long tv_sec; long tv_nsec; };
typedef struct { ...; } sigset_t;
typedef struct { ...; } fd_set;
struct pollfd { int fd; short events; short revents; };
#define RS_SIGSETSIZE ...
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
"""

CUSTOMIZATIONS = ""
