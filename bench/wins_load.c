/*
 * wins_load.c -- bounded WINS (NBNS, UDP 137) load generator: queries, a registration/release/query mix, preload.
 *
 * Derived from ../shared/interop/nbns_load.c (the sendmmsg/recvmmsg loop, the window of requests in flight with
 * distinct TRN_IDs, the duration bound, the latency percentiles and the output format are copied from there); this
 * file adds registrations and releases of distinct names, WACK handling and per-kind figures.
 *
 * Build:  gcc -O2 -Wall -o wins_load wins_load.c
 * Modes:
 *   queries (default)  NAME QUERY REQUESTs (RD set) of --name, as nbns_load.c:
 *                        wins_load --host 10.0.0.1 --name SERVER#00 -w 64 -d 10
 *   --mix REG,REL      REG % NAME REGISTRATION REQUESTs (RFC 1002 4.2.2: opcode 5, RD, one NB record with this
 *                      socket's own address, --ttl) of DISTINCT names (--prefix + a decimal counter, suffix 0x00;
 *                      a name is never registered twice in a run, so each one is a new write on the server),
 *                      REL % NAME RELEASE REQUESTs (RFC 1002 4.2.9: opcode 6) of names this run registered and got
 *                      a positive answer for (oldest first, from the same socket: a server may let only the holder
 *                      release), the rest NAME QUERY REQUESTs of a random name this run holds (--name while it
 *                      holds none):   wins_load --host 10.0.0.1 --mix 20,4 -w 16 -d 10
 *   --preload N        registers N distinct names (--prefix + counter) as fast as the window allows, re-sends the
 *                      ones that timed out (at most N re-sends in all), reports the time and stops:
 *                        wins_load --host 10.0.0.1 --preload 1000 --prefix L1K -w 64 -d 300
 *                      The names are PREFIX followed by the counter in decimal, zero-padded to 15 characters in all
 *                      (--prefix L1K: L1K000000000000 .. L1K000000000999), suffix 0x00.
 * A WACK (WAIT FOR ACKNOWLEDGEMENT, RFC 1002 4.2.16, opcode 7) is not a final answer: the request stays in flight
 * until the final answer or min(WACK TTL, --wack-max) seconds (counted as a timeout then).
 * Options: --port 137 --bind ADDR (source address and NB_ADDRESS; default: the kernel's choice) --no-rd --timeout 1.0
 *          --ttl 3600 --prefix P (1-5 characters; default W + 3 characters from the pid and clock)
 *          --wack-max 30 --seed N --max-requests N (default 50,000,000) --json
 * Bounds: duration <= 600 s (preload) / 300 s (others), window <= 4096, preload <= 10,000,000 names; stops sending
 *         at the deadline and waits at most --timeout (or the WACK bound) for stragglers.
 * Output: the lines of nbns_load.c (sent/recv/timeouts/..., responses/s, latency p50/p90/p99/max of all final
 *         answers, generator CPU), then one line per request kind (query, register, release).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXW 4096
#define BATCH 64
#define MAXLAT (16 * 1024 * 1024)  /* latency samples kept per kind */
#define FIFO (1u << 20)            /* send-order queue for expiry (entries of answered requests are skipped) */
#define NAMELEN 15
#define K_QUERY 0
#define K_REG 1
#define K_REL 2
#define NK 3

static const char *host = "127.0.0.1", *bind_addr = NULL, *qname = "TESTHOST#20", *prefix = NULL;
static int port = 137, window = 64, no_rd = 0, json = 0;
static double duration = 10.0, tmo = 1.0, wack_max = 30.0, reg_pct = 0, rel_pct = 0;
static long max_req = 50000000, preload = 0;
static unsigned ttl = 3600;
static int mix = 0;
static uint64_t rng = 88172645463325252ull;

static const char *kind_name[NK] = { "query", "register", "release" };

static uint64_t now_ns(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
static uint64_t xorshift(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

struct kstat { long sent, recv, neg, timeouts, wacks, nlat; uint64_t *lat; };
struct slot { uint64_t sent_at, deadline; uint32_t seq, name; uint8_t kind, busy, wack; };
struct fent { uint16_t tid; uint32_t seq; };

static struct slot slots[65536];
static struct fent fifo[FIFO];
static uint16_t wlist[65536]; static int nwl = 0;   /* requests that got a WACK */
static struct kstat ks[NK];
static uint8_t fixed_enc[34];                        /* --name, first-level encoded (RFC 1001 14.1) */
static uint8_t name_enc[34];                         /* PREFIX000..., encoded; digits patched per request */
static int digits;                                   /* 15 - strlen(prefix) */
static uint8_t my_addr[4];

static void encode(uint8_t *out, const char name[16]) {
    out[0] = 32;
    for (int i = 0; i < 16; i++) { uint8_t c = (uint8_t)name[i]; out[1 + 2 * i] = 'A' + (c >> 4); out[2 + 2 * i] = 'A' + (c & 15); }
    out[33] = 0;
}
static void setup_names(void) {
    char name[16]; int suffix = 0x20;
    const char *hash = strchr(qname, '#');
    size_t n = hash ? (size_t)(hash - qname) : strlen(qname);
    if (hash) suffix = (int)strtol(hash + 1, NULL, 16);
    memset(name, ' ', 15);
    for (size_t i = 0; i < n && i < 15; i++) name[i] = (char)(qname[i] >= 'a' && qname[i] <= 'z' ? qname[i] - 32 : qname[i]);
    name[15] = (char)suffix;
    encode(fixed_enc, name);
    size_t pl = strlen(prefix);
    memset(name, '0', 15); memcpy(name, prefix, pl); name[15] = 0;
    for (size_t i = 0; i < pl; i++) if (name[i] >= 'a' && name[i] <= 'z') name[i] -= 32;
    encode(name_enc, name);
    digits = NAMELEN - (int)pl;
}
/* The encoded name of counter value idx: PREFIX + idx in decimal, zero-padded (characters '0'..'9' = 0x30..0x39). */
static void put_counter_name(uint8_t *enc, uint32_t idx) {
    memcpy(enc, name_enc, 34);
    for (int d = digits - 1; d >= 0 && idx; d--, idx /= 10) {
        int pos = NAMELEN - digits + d;
        enc[2 + 2 * pos] = 'A' + (uint8_t)(idx % 10);   /* high nibble stays 3 ('D') */
    }
}

/* RFC 1002 4.2.12 (query), 4.2.2 (registration), 4.2.9 (release). Returns the length. */
static int build(uint8_t *p, int kind, uint32_t name, uint16_t tid) {
    uint16_t flags = (kind == K_REG ? 5 : kind == K_REL ? 6 : 0) << 11;
    if (!no_rd) flags |= 0x0100;
    p[0] = tid >> 8; p[1] = tid & 0xff; p[2] = flags >> 8; p[3] = flags & 0xff;
    p[4] = 0; p[5] = 1; p[6] = 0; p[7] = 0; p[8] = 0; p[9] = 0; p[10] = 0; p[11] = kind == K_QUERY ? 0 : 1;
    if (name == UINT32_MAX) memcpy(p + 12, fixed_enc, 34); else put_counter_name(p + 12, name);
    int o = 46;
    p[o++] = 0; p[o++] = 0x20; p[o++] = 0; p[o++] = 1;             /* QUESTION_TYPE NB, QUESTION_CLASS IN */
    if (kind == K_QUERY) return o;
    p[o++] = 0xC0; p[o++] = 0x0C;                                   /* RR_NAME: pointer to the question name */
    p[o++] = 0; p[o++] = 0x20; p[o++] = 0; p[o++] = 1;              /* NB, IN */
    p[o++] = ttl >> 24; p[o++] = ttl >> 16; p[o++] = ttl >> 8; p[o++] = ttl;
    p[o++] = 0; p[o++] = 6;                                         /* RDLENGTH */
    p[o++] = 0x20; p[o++] = 0;                                      /* NB_FLAGS: unique, ONT P (01) */
    memcpy(p + o, my_addr, 4); o += 4;
    return o;
}

/* Names this run holds (positive registration answer, not released yet), oldest first. */
static uint32_t *live; static size_t lhead, ltail, lcap;
static void live_push(uint32_t idx) {
    if (ltail == lcap) {
        if (lhead > 0) { memmove(live, live + lhead, (ltail - lhead) * sizeof *live); ltail -= lhead; lhead = 0; }
        if (ltail == lcap) { lcap = lcap ? lcap * 2 : 65536; live = realloc(live, lcap * sizeof *live); if (!live) { perror("realloc"); exit(1); } }
    }
    live[ltail++] = idx;
}

static uint32_t *retry; static long nretry, retries_used;   /* preload: names to send again */

static void record(int kind, uint64_t lat_ns) {
    struct kstat *k = &ks[kind];
    if (k->nlat < MAXLAT) k->lat[k->nlat++] = lat_ns;
}
static void finish(uint16_t t, int timed_out) {
    struct slot *s = &slots[t];
    if (timed_out) {
        ks[s->kind].timeouts++;
        if (preload && s->kind == K_REG && retries_used < preload) { retry[nretry++] = s->name; retries_used++; }
    }
    s->busy = 0; s->sent_at = 0;
}

static int cmp64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; return x < y ? -1 : x > y;
}
static double pct(uint64_t *v, long n, double p) {
    if (!n) return 0;
    long i = (long)(p / 100.0 * n);
    if (i >= n) i = n - 1;
    return v[i] / 1e3;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i]; const char *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--host")) { host = v; i++; }
        else if (!strcmp(a, "--port")) { port = atoi(v); i++; }
        else if (!strcmp(a, "--bind")) { bind_addr = v; i++; }
        else if (!strcmp(a, "--name")) { qname = v; i++; }
        else if (!strcmp(a, "--prefix")) { prefix = v; i++; }
        else if (!strcmp(a, "--no-rd")) no_rd = 1;
        else if (!strcmp(a, "-w") || !strcmp(a, "--window")) { window = atoi(v); i++; }
        else if (!strcmp(a, "-d") || !strcmp(a, "--duration")) { duration = atof(v); i++; }
        else if (!strcmp(a, "--timeout")) { tmo = atof(v); i++; }
        else if (!strcmp(a, "--wack-max")) { wack_max = atof(v); i++; }
        else if (!strcmp(a, "--ttl")) { ttl = (unsigned)strtoul(v, NULL, 10); i++; }
        else if (!strcmp(a, "--seed")) { rng = strtoull(v, NULL, 10) | 1; i++; }
        else if (!strcmp(a, "--max-requests")) { max_req = atol(v); i++; }
        else if (!strcmp(a, "--mix")) { mix = 1; if (sscanf(v, "%lf,%lf", &reg_pct, &rel_pct) != 2) { fprintf(stderr, "--mix REG%%,REL%%\n"); return 2; } i++; }
        else if (!strcmp(a, "--preload")) { preload = atol(v); i++; }
        else if (!strcmp(a, "--json")) json = 1;
        else { fprintf(stderr, "usage: see header of wins_load.c (unknown option %s)\n", a); return 2; }
    }
    if (duration > (preload ? 600 : 300)) duration = preload ? 600 : 300;
    if (window < 1) window = 1;
    if (window > MAXW) window = MAXW;
    if (tmo <= 0 || tmo > 30) tmo = 1.0;
    if (wack_max < tmo) wack_max = tmo;
    if (wack_max > 120) wack_max = 120;
    if (preload < 0) preload = 0;
    if (preload > 10000000) preload = 10000000;
    if (mix && (reg_pct < 0 || rel_pct < 0 || reg_pct + rel_pct > 100)) { fprintf(stderr, "--mix: percentages out of range\n"); return 2; }
    if (mix && preload) { fprintf(stderr, "--mix and --preload exclude each other\n"); return 2; }
    static char auto_prefix[8];
    if (!prefix) {
        const char *b36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        unsigned x = (unsigned)getpid() * 2654435761u ^ (unsigned)now_ns();
        auto_prefix[0] = 'W'; for (int i = 1; i < 4; i++) { auto_prefix[i] = b36[x % 36]; x /= 36; } auto_prefix[4] = 0;
        prefix = auto_prefix;
    }
    if (strlen(prefix) < 1 || strlen(prefix) > 5) { fprintf(stderr, "--prefix: 1 to 5 characters\n"); return 2; }
    if (rng == 88172645463325252ull) rng ^= (uint64_t)getpid() << 17 | 1;
    setup_names();
    if (preload) { retry = malloc(sizeof *retry * preload); if (!retry) { perror("malloc"); return 1; } }
    for (int k = 0; k < NK; k++) { ks[k].lat = malloc(sizeof(uint64_t) * MAXLAT); if (!ks[k].lat) { perror("malloc"); return 1; } }

    int s = socket(AF_INET, SOCK_DGRAM, 0);
    int bs = 4 << 20; setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bs, sizeof bs); setsockopt(s, SOL_SOCKET, SO_SNDBUF, &bs, sizeof bs);
    if (bind_addr) {
        struct sockaddr_in la = { .sin_family = AF_INET };
        if (inet_pton(AF_INET, bind_addr, &la.sin_addr) != 1 || bind(s, (struct sockaddr *)&la, sizeof la) < 0) { perror("bind"); return 2; }
    }
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) { fprintf(stderr, "bad --host\n"); return 2; }
    /* Without --bind: a connected socket, as nbns_load.c. With --bind: unconnected (answers are matched by TRN_ID),
     * because a server bound to 0.0.0.0 answers a client on another local address from the route's preferred source,
     * i.e. the client's own address, which a connected socket would drop. */
    if (!bind_addr && connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("connect"); return 2; }
    struct sockaddr_in me; socklen_t ml = sizeof me; getsockname(s, (struct sockaddr *)&me, &ml);
    memcpy(my_addr, &me.sin_addr, 4);

    static uint8_t sbuf[BATCH][80], rbuf[BATCH][600];
    struct mmsghdr smsg[BATCH], rmsg[BATCH]; struct iovec siov[BATCH], riov[BATCH];
    for (int i = 0; i < BATCH; i++) {
        siov[i].iov_base = sbuf[i];
        memset(&smsg[i], 0, sizeof smsg[i]); smsg[i].msg_hdr.msg_iov = &siov[i]; smsg[i].msg_hdr.msg_iovlen = 1;
        if (bind_addr) { smsg[i].msg_hdr.msg_name = &sa; smsg[i].msg_hdr.msg_namelen = sizeof sa; }
        riov[i].iov_base = rbuf[i]; riov[i].iov_len = sizeof rbuf[i];
        memset(&rmsg[i], 0, sizeof rmsg[i]); rmsg[i].msg_hdr.msg_iov = &riov[i]; rmsg[i].msg_hdr.msg_iovlen = 1;
    }
    long sent = 0, stray = 0, senderr = 0, confirmed = 0;
    uint32_t next_name = 0, seq = 0, fhead = 0, ftail = 0;
    int inflight = 0;
    uint16_t tid = (uint16_t)xorshift();
    uint64_t tmo_ns = (uint64_t)(tmo * 1e9), t0 = now_ns(), t_end = t0 + (uint64_t)(duration * 1e9), t_stop = 0;
    uint64_t wack_ns = (uint64_t)(wack_max * 1e9), drain_until = 0;
    uint32_t reg_thr = (uint32_t)(reg_pct * 100), rel_thr = (uint32_t)((reg_pct + rel_pct) * 100);
    struct rusage ru0, ru1; getrusage(RUSAGE_SELF, &ru0);
    int sending = 1;
    for (;;) {
        uint64_t now = now_ns();
        if (sending) {
            int done = now >= t_end || sent >= max_req;
            if (preload && confirmed >= preload) done = 1;
            if (preload && next_name >= preload && nretry == 0 && inflight == 0) done = 1;
            if (done) { sending = 0; t_stop = now; drain_until = now + (nwl ? wack_ns : tmo_ns); }
        }
        if (!sending && (inflight == 0 || now > drain_until)) break;
        /* expire: the oldest requests in send order, then the WACKed ones (own deadlines) */
        while (fhead != ftail) {
            struct fent *f = &fifo[fhead & (FIFO - 1)];
            struct slot *sl = &slots[f->tid];
            if (!sl->busy || sl->seq != f->seq || sl->wack) { fhead++; continue; }
            if (now < sl->deadline && ftail - fhead < FIFO - BATCH) break;
            finish(f->tid, 1); inflight--; fhead++;
        }
        for (int i = 0; i < nwl;) {
            struct slot *sl = &slots[wlist[i]];
            if (!sl->busy || !sl->wack) { wlist[i] = wlist[--nwl]; continue; }
            if (now >= sl->deadline) { finish(wlist[i], 1); inflight--; wlist[i] = wlist[--nwl]; continue; }
            i++;
        }
        /* fill the window in batches */
        if (sending) {
            int n = 0;
            while (inflight + n < window && n < BATCH && sent + n < max_req) {
                int kind = K_QUERY; uint32_t name = UINT32_MAX;
                if (preload) {
                    if (nretry) name = retry[--nretry];
                    else if (next_name < preload) name = next_name++;
                    else break;
                    kind = K_REG;
                } else if (mix) {
                    uint32_t r = (uint32_t)(xorshift() % 10000);
                    if (r < reg_thr) { kind = K_REG; name = next_name++; }
                    else if (r < rel_thr && ltail > lhead) { kind = K_REL; name = live[lhead++]; }
                    else if (ltail > lhead) name = live[lhead + xorshift() % (ltail - lhead)];
                }
                do { tid++; } while (tid == 0 || slots[tid].busy);
                siov[n].iov_len = build(sbuf[n], kind, name, tid);
                struct slot *sl = &slots[tid];
                sl->kind = (uint8_t)kind; sl->name = name; sl->busy = 1; sl->wack = 0; sl->seq = ++seq;
                n++;
            }
            if (n) {
                int k = sendmmsg(s, smsg, n, 0);
                if (k < 0) { senderr++; k = 0; }
                uint64_t ts = now_ns();
                for (int i = 0; i < n; i++) {
                    uint16_t t = (sbuf[i][0] << 8) | sbuf[i][1];
                    struct slot *sl = &slots[t];
                    if (i >= k) {   /* not sent: give the name back */
                        if (sl->kind == K_REL) live_push(sl->name);
                        else if (sl->kind == K_REG && preload) retry[nretry++] = sl->name;
                        sl->busy = 0; continue;
                    }
                    sl->sent_at = ts; sl->deadline = ts + tmo_ns;
                    fifo[(ftail++) & (FIFO - 1)] = (struct fent){ t, sl->seq };
                    inflight++; sent++; ks[sl->kind].sent++;
                }
            }
        }
        struct pollfd pfd = { .fd = s, .events = POLLIN };
        if (poll(&pfd, 1, 2) <= 0) continue;
        for (;;) {
            int k = recvmmsg(s, rmsg, BATCH, MSG_DONTWAIT, NULL);
            if (k <= 0) { if (k < 0 && errno == ECONNREFUSED) senderr++; break; }
            uint64_t tr = now_ns();
            for (int i = 0; i < k; i++) {
                if (rmsg[i].msg_len < 12 || !(rbuf[i][2] & 0x80)) { stray++; continue; }
                uint16_t t = (rbuf[i][0] << 8) | rbuf[i][1];
                struct slot *sl = &slots[t];
                if (!sl->busy) { stray++; continue; }
                int opcode = (rbuf[i][2] >> 3) & 0x0f, rcode = rbuf[i][3] & 0x0f;
                if (opcode == 7) {   /* WACK: keep waiting, bounded by its TTL and --wack-max */
                    uint64_t w = wack_ns;
                    /* the TTL of the WACK's RR: after header (12) + RR_NAME (encoded 34 or pointer 2) + type + class */
                    unsigned len = rmsg[i].msg_len, o = 12;
                    if (len > o && (rbuf[i][o] & 0xC0) == 0xC0) o += 2; else if (len > o) o += 34;
                    if (o + 8 <= len) {
                        uint64_t wt = ((uint64_t)rbuf[i][o + 4] << 24 | rbuf[i][o + 5] << 16 | rbuf[i][o + 6] << 8 | rbuf[i][o + 7]) * 1000000000ull;
                        if (wt > tmo_ns && wt < w) w = wt;
                    }
                    if (!sl->wack) { ks[sl->kind].wacks++; if (nwl < 65536) wlist[nwl++] = t; }
                    sl->wack = 1; sl->deadline = tr + w;
                    if (!sending && drain_until < sl->deadline) drain_until = sl->deadline;
                    continue;
                }
                struct kstat *kk = &ks[sl->kind];
                record(sl->kind, tr - sl->sent_at);
                kk->recv++;
                if (rcode) kk->neg++;
                else if (sl->kind == K_REG) { confirmed++; if (mix) live_push(sl->name); }
                finish(t, 0); inflight--;
            }
            if (k < BATCH) break;
        }
    }
    getrusage(RUSAGE_SELF, &ru1);
    double wall = (t_stop - t0) / 1e9;
    double cpu = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6 +
                 (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    /* all final answers, then per kind */
    long nall = 0, recv = 0, neg = 0, timeouts = 0, wacks = 0;
    for (int k = 0; k < NK; k++) { nall += ks[k].nlat; recv += ks[k].recv; neg += ks[k].neg; timeouts += ks[k].timeouts; wacks += ks[k].wacks; }
    uint64_t *all = malloc(sizeof(uint64_t) * (nall + 1));
    if (!all) { perror("malloc"); return 1; }
    long o = 0;
    for (int k = 0; k < NK; k++) { memcpy(all + o, ks[k].lat, sizeof(uint64_t) * ks[k].nlat); o += ks[k].nlat; qsort(ks[k].lat, ks[k].nlat, sizeof(uint64_t), cmp64); }
    qsort(all, nall, sizeof(uint64_t), cmp64);
    double rps = wall > 0 ? recv / wall : 0;
    char mode[96];
    if (preload) snprintf(mode, sizeof mode, "preload %ld names %s%0*d..", preload, prefix, digits, 0);
    else if (mix) snprintf(mode, sizeof mode, "mix reg=%g%% rel=%g%% names %s..", reg_pct, rel_pct, prefix);
    else snprintf(mode, sizeof mode, "query %s", qname);
    if (json) {
        printf("{\"mode\":\"%s\",\"gen\":\"c\",\"host\":\"%s\",\"port\":%d,\"window\":%d,\"duration_s\":%.2f,"
               "\"sent\":%ld,\"recv\":%ld,\"timeouts\":%ld,\"stray\":%ld,\"neg\":%ld,\"senderr\":%ld,\"wack\":%ld,\"rps\":%.1f,"
               "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"gen_cpu_s\":%.2f,\"gen_cpu_pct\":%.1f",
               mode, host, port, window, wall, sent, recv, timeouts, stray, neg, senderr, wacks, rps,
               pct(all, nall, 50), pct(all, nall, 90), pct(all, nall, 99), nall ? all[nall - 1] / 1e3 : 0, cpu,
               wall > 0 ? 100 * cpu / wall : 0);
        if (preload) printf(",\"preloaded\":%ld,\"preload_s\":%.2f", confirmed, wall);
        for (int k = 0; k < NK; k++)
            printf(",\"%s\":{\"sent\":%ld,\"recv\":%ld,\"neg\":%ld,\"timeouts\":%ld,\"wack\":%ld,\"p50_us\":%.1f,\"p99_us\":%.1f}",
                   kind_name[k], ks[k].sent, ks[k].recv, ks[k].neg, ks[k].timeouts, ks[k].wacks,
                   pct(ks[k].lat, ks[k].nlat, 50), pct(ks[k].lat, ks[k].nlat, 99));
        printf("}\n");
    } else {
        printf("%s -> %s:%d  window=%d  %.2f s  [C sendmmsg/recvmmsg]\n", mode, host, port, window, wall);
        printf("  sent=%ld recv=%ld timeouts=%ld stray=%ld negative(rcode!=0)=%ld senderr=%ld wack=%ld\n",
               sent, recv, timeouts, stray, neg, senderr, wacks);
        printf("  responses/s=%.1f  latency us: p50=%.1f p90=%.1f p99=%.1f max=%.1f\n", rps,
               pct(all, nall, 50), pct(all, nall, 90), pct(all, nall, 99), nall ? all[nall - 1] / 1e3 : 0);
        for (int k = 0; k < NK; k++)
            if (ks[k].sent)
                printf("  %-8s sent=%ld recv=%ld negative=%ld timeouts=%ld wack=%ld  latency us: p50=%.1f p99=%.1f\n",
                       kind_name[k], ks[k].sent, ks[k].recv, ks[k].neg, ks[k].timeouts, ks[k].wacks,
                       pct(ks[k].lat, ks[k].nlat, 50), pct(ks[k].lat, ks[k].nlat, 99));
        if (preload) printf("  preloaded=%ld of %ld in %.2f s (%.0f registrations/s)\n", confirmed, preload, wall, wall > 0 ? confirmed / wall : 0);
        printf("  generator CPU: %.2f s = %.1f%% of one core\n", cpu, wall > 0 ? 100 * cpu / wall : 0);
    }
    free(all);
    return 0;
}
