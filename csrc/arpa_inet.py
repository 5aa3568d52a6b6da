"""byteorder(3), inet_pton(3), inet_ntop(3), inet(3): <arpa/inet.h>. No syscalls in this family."""

INCLUDES = """
#include <arpa/inet.h>
"""

TYPES = ""

FUNCTIONS = """
uint32_t htonl(uint32_t hostlong);
uint16_t htons(uint16_t hostshort);
uint32_t ntohl(uint32_t netlong);
uint16_t ntohs(uint16_t netshort);
int inet_pton(int af, const char *src, void *dst);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
int inet_aton(const char *cp, struct in_addr *inp);
in_addr_t inet_addr(const char *cp);
char *inet_ntoa(struct in_addr in);

int rs_inet_ntop(int af, const void *src, char *dst, socklen_t size);
"""

CUSTOMIZATIONS = """
static int rs_inet_ntop(int af, const void *src, char *dst, socklen_t size)
{ return inet_ntop(af, src, dst, size) == NULL ? -errno : 0; }
"""
