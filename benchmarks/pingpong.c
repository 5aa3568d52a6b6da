/* The C baseline of rawsock's benchmark suite: the same loops as the Python benchmarks, with no
 * interpreter in the way.  This is the physical limit the Python figures are compared against.
 *
 * Built by benchmarks/run.py with `cc -O2` into benchmarks/.build/.  Usage:
 *
 *     pingpong stream unix|tcp SIZE  REPS MIN_NS   send SIZE bytes on one end, recv until all SIZE arrive
 *     pingpong eagain                REPS MIN_NS   send 1 byte on a full non-blocking socketpair: EAGAIN
 *     pingpong udp SIZE BATCH        REPS MIN_NS   sendto SIZE bytes over loopback UDP, recvfrom them
 *                                                  (BATCH > 1: BATCH datagrams per sendmmsg/recvmmsg)
 *     pingpong poll NIDLE            REPS MIN_NS   poll(timeout 0) over NIDLE idle socketpairs + 1 ready
 *
 * Each mode first doubles its iteration count until one repetition takes at least MIN_NS
 * nanoseconds (calibration), then times REPS repetitions of that many iterations with
 * clock_gettime(CLOCK_MONOTONIC), and prints one JSON line: {"loops": N, "ns_per_op": [...]}
 * (per datagram for the batch mode).  REPS 0 serves a paired measurement (benchmarks/paired.py): after the
 * calibration it prints {"loops": N}, then times one repetition for each line it reads on stdin and prints its
 * ns/op on a line, until end of file, so that every value is taken from the same warm sockets and buffers.
 * The sockets are set up exactly as benchmarks/_harness.py sets them up for Python (TCP_NODELAY on
 * both TCP ends, SO_RCVTIMEO/SO_SNDTIMEO of 10 s as a guard against a hang, default buffer sizes).
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define GUARD_TIMEOUT_S 10

static void die(const char *what)
{
    fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void check(int r, const char *what)
{
    if (r < 0)
        die(what);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void guard(int fd)
{
    struct timeval tv = {GUARD_TIMEOUT_S, 0};
    check(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), "setsockopt SO_RCVTIMEO");
    check(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv), "setsockopt SO_SNDTIMEO");
}

static void unix_pair(int sv[2])
{
    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
    guard(sv[0]);
    guard(sv[1]);
}

static struct sockaddr_in loopback_any(void)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sin;
}

static void tcp_pair(int sv[2])
{
    struct sockaddr_in sin = loopback_any();
    socklen_t len = sizeof sin;
    int one = 1;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    check(l, "socket");
    check(bind(l, (struct sockaddr *)&sin, sizeof sin), "bind");
    check(listen(l, 1), "listen");
    check(getsockname(l, (struct sockaddr *)&sin, &len), "getsockname");
    sv[0] = socket(AF_INET, SOCK_STREAM, 0);
    check(sv[0], "socket");
    check(connect(sv[0], (struct sockaddr *)&sin, sizeof sin), "connect");
    sv[1] = accept(l, NULL, NULL);
    check(sv[1], "accept");
    close(l);
    for (int i = 0; i < 2; i++) {
        check(setsockopt(sv[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), "setsockopt TCP_NODELAY");
        guard(sv[i]);
    }
}

/* One benchmark: a state, and a function running `loops` operations on it. */
typedef void (*loop_fn)(void *state, long loops);

static void run(loop_fn fn, void *state, long ops_per_loop, int reps, uint64_t min_ns)
{
    long loops = 1;
    uint64_t t0, dt;
    fn(state, 1); /* warm-up */
    for (;;) {    /* calibration: the smallest power of two taking at least min_ns */
        t0 = now_ns();
        fn(state, loops);
        dt = now_ns() - t0;
        if (dt >= min_ns || loops >= (1L << 40))
            break;
        loops *= 2;
    }
    if (reps == 0) { /* serve: one repetition per line read, its ns/op on a line of its own, until EOF */
        char line[64];
        printf("{\"loops\": %ld}\n", loops);
        fflush(stdout);
        while (fgets(line, sizeof line, stdin) != NULL) {
            t0 = now_ns();
            fn(state, loops);
            dt = now_ns() - t0;
            printf("%.3f\n", (double)dt / (double)loops / (double)ops_per_loop);
            fflush(stdout);
        }
        return;
    }
    printf("{\"loops\": %ld, \"ns_per_op\": [", loops);
    for (int r = 0; r < reps; r++) {
        t0 = now_ns();
        fn(state, loops);
        dt = now_ns() - t0;
        printf("%s%.3f", r ? ", " : "", (double)dt / (double)loops / (double)ops_per_loop);
    }
    printf("]}\n");
}

/* ---- stream: send SIZE bytes, recv until SIZE bytes have arrived ---- */
struct stream { int a, b; size_t size; char *msg, *buf; };

static void stream_loop(void *p, long loops)
{
    struct stream *s = p;
    for (long i = 0; i < loops; i++) {
        if (send(s->a, s->msg, s->size, 0) < 0)
            die("send");
        ssize_t n = recv(s->b, s->buf, s->size, 0);
        if (n <= 0)
            die("recv");
        while ((size_t)n < s->size) {
            ssize_t r = recv(s->b, s->buf + n, s->size - (size_t)n, 0);
            if (r <= 0)
                die("recv");
            n += r;
        }
    }
}

/* ---- eagain: send 1 byte on a full non-blocking socket ---- */
struct eagain { int a, b; };

static void eagain_loop(void *p, long loops)
{
    struct eagain *s = p;
    for (long i = 0; i < loops; i++) {
        if (send(s->a, "x", 1, 0) >= 0 || errno != EAGAIN)
            die("send did not fail with EAGAIN");
    }
}

/* ---- udp: sendto SIZE bytes, recvfrom them; or BATCH of them per sendmmsg/recvmmsg ---- */
struct udp {
    int a, b;
    size_t size;
    struct sockaddr_in to;
    char *msg, *buf;
    unsigned batch;
    struct mmsghdr *out, *in;
    struct iovec *out_iov, *in_iov;
    struct sockaddr_storage *from;
};

static void udp_loop(void *p, long loops)
{
    struct udp *s = p;
    struct sockaddr_storage from;
    for (long i = 0; i < loops; i++) {
        socklen_t fromlen = sizeof from;
        if (sendto(s->a, s->msg, s->size, 0, (struct sockaddr *)&s->to, sizeof s->to) < 0)
            die("sendto");
        if (recvfrom(s->b, s->buf, s->size, 0, (struct sockaddr *)&from, &fromlen) < 0)
            die("recvfrom");
    }
}

static void udp_mmsg_loop(void *p, long loops)
{
    struct udp *s = p;
    for (long i = 0; i < loops; i++) {
        for (unsigned j = 0; j < s->batch; j++)
            s->in[j].msg_hdr.msg_namelen = sizeof *s->from;
        if (sendmmsg(s->a, s->out, s->batch, 0) != (int)s->batch)
            die("sendmmsg");
        if (recvmmsg(s->b, s->in, s->batch, 0, NULL) != (int)s->batch)
            die("recvmmsg");
    }
}

/* ---- poll: NIDLE idle fds + 1 ready, timeout 0 ---- */
struct pollset { struct pollfd *fds; nfds_t n; };

static void poll_loop(void *p, long loops)
{
    struct pollset *s = p;
    for (long i = 0; i < loops; i++) {
        if (poll(s->fds, s->n, 0) != 1)
            die("poll did not report exactly one ready fd");
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: pingpong stream unix|tcp SIZE REPS MIN_NS | eagain REPS MIN_NS | "
                    "udp SIZE BATCH REPS MIN_NS | poll NIDLE REPS MIN_NS\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const char *mode = argv[1];
    int nargs = !strcmp(mode, "stream") || !strcmp(mode, "udp") ? 2 : !strcmp(mode, "eagain") ? 0 : 1;
    if (argc != 2 + nargs + 2)
        usage();
    int reps = atoi(argv[2 + nargs]);
    uint64_t min_ns = strtoull(argv[3 + nargs], NULL, 10);

    if (!strcmp(mode, "stream")) {
        struct stream s;
        int sv[2];
        s.size = strtoul(argv[3], NULL, 10);
        if (!strcmp(argv[2], "unix"))
            unix_pair(sv);
        else if (!strcmp(argv[2], "tcp"))
            tcp_pair(sv);
        else
            usage();
        s.a = sv[0];
        s.b = sv[1];
        s.msg = malloc(s.size);
        s.buf = malloc(s.size);
        if (!s.msg || !s.buf)
            die("malloc");
        memset(s.msg, 'x', s.size);
        run(stream_loop, &s, 1, reps, min_ns);
        close(s.a);
        close(s.b);
        free(s.msg);
        free(s.buf);
    } else if (!strcmp(mode, "eagain")) {
        struct eagain s;
        int sv[2];
        static char chunk[4096];
        unix_pair(sv);
        s.a = sv[0];
        s.b = sv[1];
        check(fcntl(s.a, F_SETFL, fcntl(s.a, F_GETFL) | O_NONBLOCK), "fcntl");
        while (send(s.a, chunk, sizeof chunk, 0) > 0) /* fill: big chunks, then single bytes */
            ;
        while (send(s.a, chunk, 1, 0) > 0)
            ;
        if (errno != EAGAIN)
            die("fill");
        run(eagain_loop, &s, 1, reps, min_ns);
        close(s.a);
        close(s.b);
    } else if (!strcmp(mode, "udp")) {
        struct udp s;
        struct sockaddr_in sin = loopback_any();
        socklen_t len = sizeof s.to;
        s.size = strtoul(argv[2], NULL, 10);
        s.batch = (unsigned)strtoul(argv[3], NULL, 10);
        if (s.batch < 1)
            usage();
        s.a = socket(AF_INET, SOCK_DGRAM, 0);
        s.b = socket(AF_INET, SOCK_DGRAM, 0);
        check(s.a, "socket");
        check(s.b, "socket");
        check(bind(s.a, (struct sockaddr *)&sin, sizeof sin), "bind");
        check(bind(s.b, (struct sockaddr *)&sin, sizeof sin), "bind");
        check(getsockname(s.b, (struct sockaddr *)&s.to, &len), "getsockname");
        guard(s.a);
        guard(s.b);
        s.msg = calloc(1, s.size);
        s.buf = malloc(s.size * s.batch);
        s.out = calloc(s.batch, sizeof *s.out);
        s.in = calloc(s.batch, sizeof *s.in);
        s.out_iov = calloc(s.batch, sizeof *s.out_iov);
        s.in_iov = calloc(s.batch, sizeof *s.in_iov);
        s.from = calloc(s.batch, sizeof *s.from);
        if (!s.msg || !s.buf || !s.out || !s.in || !s.out_iov || !s.in_iov || !s.from)
            die("malloc");
        for (unsigned j = 0; j < s.batch; j++) {
            s.out_iov[j] = (struct iovec){s.msg, s.size};
            s.out[j].msg_hdr = (struct msghdr){.msg_name = &s.to, .msg_namelen = sizeof s.to,
                                               .msg_iov = &s.out_iov[j], .msg_iovlen = 1};
            s.in_iov[j] = (struct iovec){s.buf + j * s.size, s.size};
            s.in[j].msg_hdr = (struct msghdr){.msg_name = &s.from[j], .msg_namelen = sizeof s.from[j],
                                              .msg_iov = &s.in_iov[j], .msg_iovlen = 1};
        }
        if (s.batch == 1)
            run(udp_loop, &s, 1, reps, min_ns);
        else
            run(udp_mmsg_loop, &s, s.batch, reps, min_ns);
        close(s.a);
        close(s.b);
        free(s.msg);
        free(s.buf);
        free(s.out);
        free(s.in);
        free(s.out_iov);
        free(s.in_iov);
        free(s.from);
    } else if (!strcmp(mode, "poll")) {
        struct pollset s;
        long nidle = strtol(argv[2], NULL, 10);
        struct rlimit rl;
        /* 2 fds per pair, plus the ready pair and stdio */
        check(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit");
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            check(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit");
        }
        int (*pairs)[2] = calloc((size_t)nidle + 1, sizeof *pairs);
        s.n = (nfds_t)nidle + 1;
        s.fds = calloc(s.n, sizeof *s.fds);
        if (!pairs || !s.fds)
            die("calloc");
        for (long i = 0; i <= nidle; i++) {
            check(socketpair(AF_UNIX, SOCK_STREAM, 0, pairs[i]), "socketpair");
            s.fds[i].fd = pairs[i][0];
            s.fds[i].events = POLLIN;
        }
        check((int)send(pairs[nidle][1], "x", 1, 0), "send"); /* the last one is ready */
        run(poll_loop, &s, 1, reps, min_ns);
        for (long i = 0; i <= nidle; i++) {
            close(pairs[i][0]);
            close(pairs[i][1]);
        }
        free(pairs);
        free(s.fds);
    } else {
        usage();
    }
    return 0;
}
