"""ioctl(2) for the int-valued socket requests (FIONREAD/SIOCINQ, SIOCOUTQ, SIOCATMARK), sockatmark(3)."""

INCLUDES = """
#include <sys/ioctl.h>
#include <linux/sockios.h>
"""

TYPES = ""

FUNCTIONS = """
int ioctl(int fd, unsigned long request, ...);
int sockatmark(int sockfd);

int rs_ioctl_int(int fd, unsigned long request, int *arg);
int rs_sockatmark(int sockfd);
"""

CUSTOMIZATIONS = """
static int rs_ioctl_int(int fd, unsigned long request, int *arg) { RS_RETURN(int, ioctl(fd, request, arg)); }
static int rs_sockatmark(int fd) { RS_RETURN(int, sockatmark(fd)); }
"""
