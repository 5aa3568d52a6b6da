"""sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2), cmsg(3) and the ancillary payload structs of unix(7),
ip(7), ipv6(7): <sys/socket.h>, <linux/errqueue.h>.

The CMSG_* macros are wrapped as functions, so the Python side walks and builds control buffers exactly as
C does.  rs_recvmmsg_setup lays out a batch (one iovec per message into one buffer, one sockaddr_storage
per message) in C, and rs_mmsg_results copies each message's length, address length and flags into an int
array, so a batch of 64 costs Python three calls, not hundreds of field accesses.
"""

INCLUDES = """
#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/errqueue.h>
"""

TYPES = """
struct iovec { void *iov_base; size_t iov_len; };
struct msghdr {
    void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
    void *msg_control; size_t msg_controllen; int msg_flags;
};
struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; };
struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; };
struct sock_extended_err {
    uint32_t ee_errno; uint8_t ee_origin; uint8_t ee_type; uint8_t ee_code; uint8_t ee_pad;
    uint32_t ee_info; uint32_t ee_data; ...;
};
struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; };
struct in6_pktinfo { struct in6_addr ipi6_addr; unsigned int ipi6_ifindex; };
"""

FUNCTIONS = """
ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
int recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);

ssize_t rs_sendmsg(int sockfd, const struct msghdr *msg, int flags);
ssize_t rs_recvmsg(int sockfd, struct msghdr *msg, int flags);
int rs_sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
int rs_recvmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout);

size_t rs_CMSG_LEN(size_t length);
size_t rs_CMSG_SPACE(size_t length);
struct cmsghdr *rs_CMSG_FIRSTHDR(struct msghdr *msgh);
struct cmsghdr *rs_CMSG_NXTHDR(struct msghdr *msgh, struct cmsghdr *cmsg);
unsigned char *rs_CMSG_DATA(struct cmsghdr *cmsg);
struct sockaddr *rs_SO_EE_OFFENDER(struct sock_extended_err *ee);

void rs_recvmmsg_setup(struct mmsghdr *msgs, struct iovec *iovs, unsigned int vlen, char *buf, size_t bufsize,
                       struct sockaddr_storage *names, char *control, size_t controlsize);
void rs_mmsg_results(const struct mmsghdr *msgs, unsigned int n, int *out);
"""

CUSTOMIZATIONS = """
static ssize_t rs_sendmsg(int fd, const struct msghdr *m, int f) { RS_RETURN(ssize_t, sendmsg(fd, m, f)); }
static ssize_t rs_recvmsg(int fd, struct msghdr *m, int f) { RS_RETURN(ssize_t, recvmsg(fd, m, f)); }
static int rs_sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int f) { RS_RETURN(int, sendmmsg(fd, v, n, f)); }
static int rs_recvmmsg(int fd, struct mmsghdr *v, unsigned int n, int f, struct timespec *t)
{ RS_RETURN(int, recvmmsg(fd, v, n, f, t)); }

static size_t rs_CMSG_LEN(size_t n) { return CMSG_LEN(n); }
static size_t rs_CMSG_SPACE(size_t n) { return CMSG_SPACE(n); }
static struct cmsghdr *rs_CMSG_FIRSTHDR(struct msghdr *m) { return CMSG_FIRSTHDR(m); }
static struct cmsghdr *rs_CMSG_NXTHDR(struct msghdr *m, struct cmsghdr *c) { return CMSG_NXTHDR(m, c); }
static unsigned char *rs_CMSG_DATA(struct cmsghdr *c) { return CMSG_DATA(c); }
static struct sockaddr *rs_SO_EE_OFFENDER(struct sock_extended_err *ee) { return SO_EE_OFFENDER(ee); }

static void rs_recvmmsg_setup(struct mmsghdr *msgs, struct iovec *iovs, unsigned int vlen, char *buf,
                              size_t bufsize, struct sockaddr_storage *names, char *control, size_t controlsize)
{
    unsigned int i;
    for (i = 0; i < vlen; i++) {
        struct msghdr *h = &msgs[i].msg_hdr;
        iovs[i].iov_base = buf + (size_t)i * bufsize;
        iovs[i].iov_len = bufsize;
        h->msg_name = &names[i];
        h->msg_namelen = sizeof(names[i]);
        h->msg_iov = &iovs[i];
        h->msg_iovlen = 1;
        h->msg_control = controlsize ? control + (size_t)i * controlsize : NULL;
        h->msg_controllen = controlsize;
        h->msg_flags = 0;
        msgs[i].msg_len = 0;
    }
}

/* For each message: msg_len, msg_namelen, msg_flags, msg_controllen (4 ints). */
static void rs_mmsg_results(const struct mmsghdr *msgs, unsigned int n, int *out)
{
    unsigned int i;
    for (i = 0; i < n; i++) {
        *out++ = (int)msgs[i].msg_len;
        *out++ = (int)msgs[i].msg_hdr.msg_namelen;
        *out++ = msgs[i].msg_hdr.msg_flags;
        *out++ = (int)msgs[i].msg_hdr.msg_controllen;
    }
}
"""
