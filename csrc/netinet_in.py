"""ip(7), ipv6(7) addresses: <netinet/in.h>."""

INCLUDES = """
#include <netinet/in.h>
#include <netinet/tcp.h>
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
"""

FUNCTIONS = ""

CUSTOMIZATIONS = ""
