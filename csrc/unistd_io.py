"""read(2), write(2), readv(2), writev(2), pipe(2), dup(2), sendfile(2), splice(2) and epoll(7)'s calls
(epoll_create1(2), epoll_ctl(2), epoll_wait(2), epoll_pwait(2)): <unistd.h>, <sys/uio.h>, <fcntl.h>,
<sys/sendfile.h>, <sys/epoll.h>.

``struct epoll_event`` is packed on x86-64 and not elsewhere: declared with ``...;`` so the compiler gives the
layout, and its ``data`` member's offset is ``RS_EPOLL_DATA_OFFSET``.  ``epoll_pwait2`` is not declared (glibc
has it from 2.35, musl not at all): rawsock.epoll_pwait2 issues the syscall by number.
"""

INCLUDES = """
#include <unistd.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/epoll.h>
"""

TYPES = """
typedef int... loff_t;
struct epoll_event { uint32_t events; ...; };
#define RS_EPOLL_DATA_OFFSET ...
"""

FUNCTIONS = """
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
int pipe(int pipefd[2]);
int pipe2(int pipefd[2], int flags);
int dup(int oldfd);
int dup3(int oldfd, int newfd, int flags);
ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
ssize_t splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, size_t len, unsigned int flags);
int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout, const sigset_t *sigmask);
"""

# (struct epoll_event's data is packed on x86-64: cffi's check of a declared packed member takes its address,
# which -Waddress-of-packed-member refuses, so its offset comes from the compiler this way)
CUSTOMIZATIONS = """
#define RS_EPOLL_DATA_OFFSET offsetof(struct epoll_event, data)
"""
