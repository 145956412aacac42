/*
 * udp_echo.c -- the anchor of bench/close-to-limit.sh: the cheapest possible UDP "server", one thread doing
 * recvfrom(2) then sendto(2) of the same bytes back to the sender, no parsing. What a name service could at best
 * reach with one receive and one send per answer on this machine.
 *
 * Build:  gcc -O2 -Wall -o udp_echo bench/udp_echo.c
 * Run:    ip netns exec NS ./udp_echo --bind 10.98.207.1 --port 137 [--max-seconds 600]
 * Bounds: exits after --max-seconds (default 600, at most 3600) via alarm(2), or on SIGTERM/SIGINT.
 * Prints "echoed=N" on exit.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv) {
    const char *bind_addr = "127.0.0.1";
    int port = 137, max_seconds = 600;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--bind")) { bind_addr = v; i++; }
        else if (!strcmp(a, "--port")) { port = atoi(v); i++; }
        else if (!strcmp(a, "--max-seconds")) { max_seconds = atoi(v); i++; }
        else { fprintf(stderr, "usage: udp_echo --bind ADDR --port N [--max-seconds S]\n"); return 2; }
    }
    if (max_seconds <= 0 || max_seconds > 3600) max_seconds = 3600;
    struct sigaction sa = { .sa_handler = on_signal };   /* no SA_RESTART: a signal ends the blocking recvfrom */
    sigaction(SIGTERM, &sa, NULL); sigaction(SIGINT, &sa, NULL); sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)max_seconds);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) { perror("socket"); return 1; }
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    if (inet_pton(AF_INET, bind_addr, &addr.sin_addr) != 1) { fprintf(stderr, "bad address %s\n", bind_addr); return 2; }
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("bind"); return 1; }
    unsigned char buf[2048];
    long echoed = 0;
    while (!stop) {
        struct sockaddr_in from; socklen_t fromlen = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
        if (n < 0) { if (errno == EINTR) continue; perror("recvfrom"); break; }
        if (sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fromlen) == n) echoed++;
    }
    printf("echoed=%ld\n", echoed);
    return 0;
}
