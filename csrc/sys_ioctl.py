"""ioctl(2), sockatmark(3), and the structs of the typed socket requests: <sys/ioctl.h>, <linux/sockios.h>,
<net/if.h> (netdevice(7))."""

INCLUDES = """
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <net/if.h>
#define RS_IFREQ_SIZE sizeof(struct ifreq)
#define RS_IFREQ_DATA offsetof(struct ifreq, ifr_ifru)
#define RS_IFCONF_SIZE sizeof(struct ifconf)
#define RS_IFCONF_BUF offsetof(struct ifconf, ifc_ifcu)
"""

TYPES = """
#define RS_IFREQ_SIZE ...
#define RS_IFREQ_DATA ...
#define RS_IFCONF_SIZE ...
#define RS_IFCONF_BUF ...
"""

FUNCTIONS = """
int ioctl(int fd, unsigned long request, ...);
int sockatmark(int sockfd);
"""

CUSTOMIZATIONS = ""
