"""getsockopt(2), setsockopt(2) and the option structs of socket(7), tcp(7): <sys/socket.h>,
<netinet/tcp.h>."""

INCLUDES = """
#include <sys/socket.h>
#include <netinet/tcp.h>
"""

TYPES = """
struct linger { int l_onoff; int l_linger; };
struct ucred { pid_t pid; uid_t uid; gid_t gid; };
struct tcp_info {
    uint8_t tcpi_state; uint8_t tcpi_ca_state; uint8_t tcpi_retransmits; uint8_t tcpi_probes;
    uint8_t tcpi_backoff; uint8_t tcpi_options;
    uint32_t tcpi_rto; uint32_t tcpi_ato; uint32_t tcpi_snd_mss; uint32_t tcpi_rcv_mss;
    uint32_t tcpi_unacked; uint32_t tcpi_sacked; uint32_t tcpi_lost; uint32_t tcpi_retrans;
    uint32_t tcpi_fackets;
    uint32_t tcpi_last_data_sent; uint32_t tcpi_last_ack_sent; uint32_t tcpi_last_data_recv;
    uint32_t tcpi_last_ack_recv;
    uint32_t tcpi_pmtu; uint32_t tcpi_rcv_ssthresh; uint32_t tcpi_rtt; uint32_t tcpi_rttvar;
    uint32_t tcpi_snd_ssthresh; uint32_t tcpi_snd_cwnd; uint32_t tcpi_advmss; uint32_t tcpi_reordering;
    uint32_t tcpi_rcv_rtt; uint32_t tcpi_rcv_space; uint32_t tcpi_total_retrans;
    ...;
};
struct rs_tcpi_field { const char *name; int offset; int size; int shift; int width; };
"""

FUNCTIONS = """
int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);
int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
int rs_tcp_info_layout(struct rs_tcpi_field *out, int max);
int rs_tcp_info_size(void);
"""

CUSTOMIZATIONS = ""
