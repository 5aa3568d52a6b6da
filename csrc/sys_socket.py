"""socket(2), socketpair(2), bind(2), listen(2), accept(2), connect(2), shutdown(2), getsockname(2),
getpeername(2), send(2), recv(2): <sys/socket.h>."""

INCLUDES = """
#include <sys/types.h>
#include <sys/socket.h>
"""

TYPES = """
typedef int... socklen_t;
typedef int... sa_family_t;
struct sockaddr { sa_family_t sa_family; ...; };
struct sockaddr_storage { sa_family_t ss_family; ...; };
/* The Pythonic layer's out-parameter for an address: the buffer and its value-result length. */
struct rs_addrbuf { struct sockaddr_storage addr; socklen_t len; };
"""

FUNCTIONS = """
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int sv[2]);
int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int listen(int sockfd, int backlog);
int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int shutdown(int sockfd, int how);
int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
ssize_t send(int sockfd, const void *buf, size_t len, int flags);
ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
               const struct sockaddr *dest_addr, socklen_t addrlen);
ssize_t recv(int sockfd, void *buf, size_t len, int flags);
ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags,
                 struct sockaddr *src_addr, socklen_t *addrlen);

int rs_socket(int domain, int type, int protocol);
int rs_socketpair(int domain, int type, int protocol, int *sv);
int rs_bind(int sockfd, const void *addr, socklen_t addrlen);
int rs_listen(int sockfd, int backlog);
int rs_accept(int sockfd, struct rs_addrbuf *ab);
int rs_accept4(int sockfd, struct rs_addrbuf *ab, int flags);
int rs_connect(int sockfd, const void *addr, socklen_t addrlen);
int rs_shutdown(int sockfd, int how);
int rs_getsockname(int sockfd, struct rs_addrbuf *ab);
int rs_getpeername(int sockfd, struct rs_addrbuf *ab);
ssize_t rs_send(int sockfd, const void *buf, size_t len, int flags);
ssize_t rs_sendto(int sockfd, const void *buf, size_t len, int flags, const void *addr, socklen_t addrlen);
ssize_t rs_recv(int sockfd, void *buf, size_t len, int flags);
ssize_t rs_recvfrom(int sockfd, void *buf, size_t len, int flags, struct rs_addrbuf *ab);
"""

CUSTOMIZATIONS = """
struct rs_addrbuf { struct sockaddr_storage addr; socklen_t len; };

static int rs_socket(int d, int t, int p) { RS_RETURN(int, socket(d, t, p)); }
static int rs_socketpair(int d, int t, int p, int *sv) { RS_RETURN(int, socketpair(d, t, p, sv)); }
static int rs_bind(int fd, const void *a, socklen_t n) { RS_RETURN(int, bind(fd, (const struct sockaddr *)a, n)); }
static int rs_listen(int fd, int backlog) { RS_RETURN(int, listen(fd, backlog)); }
static int rs_accept(int fd, struct rs_addrbuf *ab)
{ RS_RETURN(int, accept(fd, (struct sockaddr *)&ab->addr, &ab->len)); }
static int rs_accept4(int fd, struct rs_addrbuf *ab, int flags)
{ RS_RETURN(int, accept4(fd, (struct sockaddr *)&ab->addr, &ab->len, flags)); }
static int rs_connect(int fd, const void *a, socklen_t n)
{ RS_RETURN(int, connect(fd, (const struct sockaddr *)a, n)); }
static int rs_shutdown(int fd, int how) { RS_RETURN(int, shutdown(fd, how)); }
static int rs_getsockname(int fd, struct rs_addrbuf *ab)
{ RS_RETURN(int, getsockname(fd, (struct sockaddr *)&ab->addr, &ab->len)); }
static int rs_getpeername(int fd, struct rs_addrbuf *ab)
{ RS_RETURN(int, getpeername(fd, (struct sockaddr *)&ab->addr, &ab->len)); }
static ssize_t rs_send(int fd, const void *b, size_t n, int f) { RS_RETURN(ssize_t, send(fd, b, n, f)); }
static ssize_t rs_sendto(int fd, const void *b, size_t n, int f, const void *a, socklen_t an)
{ RS_RETURN(ssize_t, sendto(fd, b, n, f, (const struct sockaddr *)a, an)); }
static ssize_t rs_recv(int fd, void *b, size_t n, int f) { RS_RETURN(ssize_t, recv(fd, b, n, f)); }
static ssize_t rs_recvfrom(int fd, void *b, size_t n, int f, struct rs_addrbuf *ab)
{ RS_RETURN(ssize_t, recvfrom(fd, b, n, f, (struct sockaddr *)&ab->addr, &ab->len)); }
"""
