"""getsockopt(2), setsockopt(2) and the option structs of socket(7), tcp(7), packet(7): <sys/socket.h>,
<netinet/tcp.h>, <linux/inet_diag.h> (TCP_CC_INFO's union), <linux/sock_diag.h> (SO_MEMINFO's indexes)."""

INCLUDES = """
#include <sys/socket.h>
#include <netinet/tcp.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
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
struct tcp_repair_window { uint32_t snd_wl1; uint32_t snd_wnd; uint32_t max_window; uint32_t rcv_wnd;
                           uint32_t rcv_wup; };
struct tcpvegas_info { uint32_t tcpv_enabled; uint32_t tcpv_rttcnt; uint32_t tcpv_rtt; uint32_t tcpv_minrtt; };
struct tcp_dctcp_info { uint16_t dctcp_enabled; uint16_t dctcp_ce_state; uint32_t dctcp_alpha;
                        uint32_t dctcp_ab_ecn; uint32_t dctcp_ab_tot; };
struct tcp_bbr_info { uint32_t bbr_bw_lo; uint32_t bbr_bw_hi; uint32_t bbr_min_rtt; uint32_t bbr_pacing_gain;
                      uint32_t bbr_cwnd_gain; };
union tcp_cc_info { struct tcpvegas_info vegas; struct tcp_dctcp_info dctcp; struct tcp_bbr_info bbr; };
struct tpacket_req { unsigned int tp_block_size; unsigned int tp_block_nr; unsigned int tp_frame_size;
                     unsigned int tp_frame_nr; };
struct tpacket_req3 { unsigned int tp_block_size; unsigned int tp_block_nr; unsigned int tp_frame_size;
                      unsigned int tp_frame_nr; unsigned int tp_retire_blk_tov; unsigned int tp_sizeof_priv;
                      unsigned int tp_feature_req_word; };
"""

FUNCTIONS = """
int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);
int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
int rs_tcp_info_layout(struct rs_tcpi_field *out, int max);
int rs_tcp_info_size(void);
"""

CUSTOMIZATIONS = ""
