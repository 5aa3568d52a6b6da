"""ip(7), ipv6(7) addresses and the multicast membership structs of their options: <netinet/in.h>;
SO_TIMESTAMPING's struct so_timestamping: <linux/net_tstamp.h>."""

INCLUDES = """
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/net_tstamp.h>
"""

TYPES = """
typedef int... in_port_t;
typedef int... in_addr_t;
struct in_addr { in_addr_t s_addr; };
struct in6_addr { ...; };
struct sockaddr_in { sa_family_t sin_family; in_port_t sin_port; struct in_addr sin_addr; ...; };
struct sockaddr_in6 {
    sa_family_t sin6_family; in_port_t sin6_port; uint32_t sin6_flowinfo;
    struct in6_addr sin6_addr; uint32_t sin6_scope_id; ...;
};
struct ip_mreq { struct in_addr imr_multiaddr; struct in_addr imr_interface; };
struct ip_mreqn { struct in_addr imr_multiaddr; struct in_addr imr_address; int imr_ifindex; };
struct ip_mreq_source {
    struct in_addr imr_multiaddr; struct in_addr imr_interface; struct in_addr imr_sourceaddr;
};
struct ipv6_mreq { struct in6_addr ipv6mr_multiaddr; unsigned int ipv6mr_interface; };
struct group_req { uint32_t gr_interface; struct sockaddr_storage gr_group; };
struct group_source_req {
    uint32_t gsr_interface; struct sockaddr_storage gsr_group; struct sockaddr_storage gsr_source;
};
struct so_timestamping { int flags; int bind_phc; };
"""

FUNCTIONS = ""

CUSTOMIZATIONS = ""
