"""The Linux address families' sockaddrs: packet(7)'s ``sockaddr_ll``, netlink(7)'s ``sockaddr_nl``, vsock(7)'s
``sockaddr_vm``: <linux/if_packet.h>, <linux/netlink.h>, <linux/vm_sockets.h>.

The kernel's own headers (glibc's <netpacket/packet.h> declares the same ``sockaddr_ll`` and cannot be included
with them).  A system without <linux/vm_sockets.h> gets its ABI-fixed layout from here.
"""

INCLUDES = """
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#if __has_include(<linux/vm_sockets.h>)
#include <linux/vm_sockets.h>
#else
struct sockaddr_vm {
    unsigned short svm_family; unsigned short svm_reserved1; unsigned int svm_port; unsigned int svm_cid;
    unsigned char svm_flags; unsigned char svm_zero[3];
};
#endif
"""

TYPES = """
struct sockaddr_ll {
    unsigned short sll_family; uint16_t sll_protocol; int sll_ifindex; unsigned short sll_hatype;
    unsigned char sll_pkttype; unsigned char sll_halen; unsigned char sll_addr[8];
};
struct sockaddr_nl { unsigned short nl_family; unsigned short nl_pad; uint32_t nl_pid; uint32_t nl_groups; };
struct sockaddr_vm { unsigned short svm_family; unsigned short svm_reserved1; unsigned int svm_port;
                     unsigned int svm_cid; ...; };
"""

FUNCTIONS = ""

CUSTOMIZATIONS = ""
