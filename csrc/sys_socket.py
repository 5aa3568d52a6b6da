"""socket(2), socketpair(2), bind(2), listen(2), accept(2), connect(2), shutdown(2), getsockname(2),
getpeername(2), send(2), recv(2): <sys/socket.h>."""

INCLUDES = """
#include <sys/types.h>
#include <sys/socket.h>
"""

TYPES = """
typedef int... socklen_t;
typedef int... sa_family_t;
typedef int... ssize_t;
typedef int... pid_t;
typedef int... uid_t;
typedef int... gid_t;
struct sockaddr { sa_family_t sa_family; ...; };
struct sockaddr_storage { sa_family_t ss_family; ...; };
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
"""

CUSTOMIZATIONS = ""
