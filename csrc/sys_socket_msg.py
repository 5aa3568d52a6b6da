"""sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2), cmsg(3) and the ancillary payload structs of unix(7),
ip(7), ipv6(7): <sys/socket.h>, <linux/errqueue.h>.

The integer fields whose C type differs between libcs (musl pads msg_iovlen, msg_controllen and cmsg_len to
int + padding where glibc has size_t) are declared through typedefs of the fields' own types, so the layout
always comes from the compiler.  The CMSG_* macros are wrapped as functions for the raw layer.
"""

INCLUDES = """
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/errqueue.h>
typedef __typeof__(((struct msghdr *)0)->msg_iovlen) rs_msg_iovlen_t;
typedef __typeof__(((struct msghdr *)0)->msg_controllen) rs_msg_controllen_t;
typedef __typeof__(((struct cmsghdr *)0)->cmsg_len) rs_cmsg_len_t;
"""

TYPES = """
typedef int... rs_msg_iovlen_t;
typedef int... rs_msg_controllen_t;
typedef int... rs_cmsg_len_t;
struct iovec { void *iov_base; size_t iov_len; };
struct msghdr {
    void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; rs_msg_iovlen_t msg_iovlen;
    void *msg_control; rs_msg_controllen_t msg_controllen; int msg_flags; ...;
};
struct cmsghdr { rs_cmsg_len_t cmsg_len; int cmsg_level; int cmsg_type; ...; };
struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; ...; };
struct sock_extended_err {
    uint32_t ee_errno; uint8_t ee_origin; uint8_t ee_type; uint8_t ee_code; uint8_t ee_pad;
    uint32_t ee_info; uint32_t ee_data; ...;
};
struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; ...; };
struct in6_pktinfo { struct in6_addr ipi6_addr; unsigned int ipi6_ifindex; ...; };
"""

FUNCTIONS = """
ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);

size_t rs_CMSG_LEN(size_t length);
size_t rs_CMSG_SPACE(size_t length);
struct cmsghdr *rs_CMSG_FIRSTHDR(struct msghdr *msgh);
struct cmsghdr *rs_CMSG_NXTHDR(struct msghdr *msgh, struct cmsghdr *cmsg);
unsigned char *rs_CMSG_DATA(struct cmsghdr *cmsg);
"""

CUSTOMIZATIONS = """
static size_t rs_CMSG_LEN(size_t n) { return CMSG_LEN(n); }
static size_t rs_CMSG_SPACE(size_t n) { return CMSG_SPACE(n); }
static struct cmsghdr *rs_CMSG_FIRSTHDR(struct msghdr *m) { return CMSG_FIRSTHDR(m); }
static struct cmsghdr *rs_CMSG_NXTHDR(struct msghdr *m, struct cmsghdr *c) { return CMSG_NXTHDR(m, c); }
static unsigned char *rs_CMSG_DATA(struct cmsghdr *c) { return CMSG_DATA(c); }
"""
