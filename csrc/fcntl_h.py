"""fcntl(2), close(2): <fcntl.h>, <unistd.h>."""

INCLUDES = """
#include <fcntl.h>
#include <unistd.h>
"""

TYPES = ""

FUNCTIONS = """
int fcntl(int fd, int cmd, ...);
int close(int fd);

int rs_fcntl(int fd, int cmd, long arg);
int rs_close(int fd);
"""

CUSTOMIZATIONS = """
static int rs_fcntl(int fd, int cmd, long arg) { RS_RETURN(int, fcntl(fd, cmd, arg)); }
static int rs_close(int fd) { RS_RETURN(int, close(fd)); }
"""
