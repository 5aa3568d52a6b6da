"""fcntl(2), close(2) and the structs of the typed fcntl commands: <fcntl.h>, <unistd.h>."""

INCLUDES = """
#include <fcntl.h>
#include <unistd.h>
typedef __typeof__(((struct f_owner_ex *)0)->type) rs_owner_type_t;
"""

TYPES = """
typedef int... off_t;
typedef int... rs_owner_type_t;
struct flock { short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid; ...; };
struct f_owner_ex { rs_owner_type_t type; pid_t pid; ...; };
"""

FUNCTIONS = """
int fcntl(int fd, int cmd, ...);
int close(int fd);
"""

CUSTOMIZATIONS = ""
