/*
 * The floor of a station-wide daemon's data path on this machine (issue 15's benchmark; bench/ipc-floor.sh runs it).
 * Each figure is two processes doing the least a design can do, in C, with blocking sockets (no runtime, no parsing):
 *   tcp-send   N bytes written into a loopback TCP connection per operation, a reader draining it: what an embedded
 *              station's sequential SEND costs at the least (the SEND completes once the kernel has the bytes);
 *   tcp-rtt    N bytes to an echo process and back over loopback TCP: an embedded session's round trip at the least;
 *   unix-sa    N bytes over a Unix stream socket, then a 1-byte answer back: one NCB SUBMIT carrying the data and its
 *              COMPLETE, the least a daemon SEND adds to tcp-send when the data crosses the socket;
 *   unix-ow    half of an N-byte Unix-socket ping-pong: one crossing (wake-up included) of an N-byte message;
 *   shm-spin   a round trip through a shared-memory flag with both sides spinning: what a crossing costs without a
 *              wake-up (a busy-polling design, which burns a core per waiting party).
 * Usage: ipc_floor SIZE MILLISECONDS      prints one line: size, then each figure in microseconds per operation.
 * Loopback and socketpair only; every loop bounded by the duration.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int read_full(int fd, char *buffer, int length)
{
    for (int got = 0; got < length;)
    {
        ssize_t n = read(fd, buffer + got, length - got);
        if (n <= 0)
            return -1;
        got += (int)n;
    }
    return 0;
}

static int write_full(int fd, const char *buffer, int length)
{
    for (int put = 0; put < length;)
    {
        ssize_t n = write(fd, buffer + put, length - put);
        if (n <= 0)
            return -1;
        put += (int)n;
    }
    return 0;
}

/* A connected loopback TCP pair (port chosen by the kernel), Nagle off as our sessions have it. */
static void tcp_pair(int fds[2])
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t length = sizeof address;
    int one = 1;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 1)
        || getsockname(listener, (struct sockaddr *)&address, &length))
    {
        perror("tcp listener");
        exit(1);
    }
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fds[0], (struct sockaddr *)&address, sizeof address))
    {
        perror("connect");
        exit(1);
    }
    fds[1] = accept(listener, NULL, NULL);
    close(listener);
    setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* The child serves `rounds` operations on fds[1]: reads `in` bytes, answers `out` bytes (0: none). */
static pid_t serve(int fds[2], int in, int out, long rounds, char *buffer)
{
    pid_t child = fork();
    if (child == 0)
    {
        close(fds[0]);
        for (long i = 0; i < rounds; i++)
            if (read_full(fds[1], buffer, in) || (out > 0 && write_full(fds[1], buffer, out)))
                _exit(0);
        _exit(0);
    }
    close(fds[1]);
    return child;
}

/* Operations of `in` bytes there and `out` bytes back (0: none) until `seconds` pass; microseconds per operation.
 * The child is told the count up front only as a bound; it exits when the parent closes its end. */
static double measure(int fds[2], int in, int out, double seconds, char *buffer)
{
    pid_t child = serve(fds, in, out, 100000000L, buffer);
    long done = 0;
    double start = now(), end = start + seconds;
    while (now() < end)
    {
        for (int i = 0; i < 64; i++, done++)
            if (write_full(fds[0], buffer, in) || (out > 0 && read_full(fds[0], buffer, out)))
            {
                perror("measure");
                exit(1);
            }
    }
    double elapsed = now() - start;
    close(fds[0]);
    waitpid(child, NULL, 0);
    return elapsed / done * 1e6;
}

static double shm_spin(double seconds)
{
    _Atomic long *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    atomic_store(flag, 0);
    pid_t child = fork();
    if (child == 0)
    {
        for (long i = 0;; i++)
        {
            long seen;
            while ((seen = atomic_load(flag)) != 2 * i + 1)
                if (seen < 0)
                    _exit(0);
            atomic_store(flag, 2 * i + 2);
        }
    }
    long done = 0;
    double start = now(), end = start + seconds;
    while (now() < end)
        for (int i = 0; i < 1024; i++, done++)
        {
            atomic_store(flag, 2 * done + 1);
            while (atomic_load(flag) != 2 * done + 2)
                ;
        }
    double elapsed = now() - start;
    atomic_store(flag, -1);
    waitpid(child, NULL, 0);
    return elapsed / done * 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 3)
    {
        fprintf(stderr, "usage: ipc_floor SIZE MILLISECONDS\n");
        return 2;
    }
    int size = atoi(argv[1]);
    double seconds = atoi(argv[2]) / 1000.0;
    if (size < 1 || size > 1 << 20 || seconds <= 0 || seconds > 60)
    {
        fprintf(stderr, "ipc_floor: SIZE 1..1048576, MILLISECONDS 1..60000\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    char *buffer = malloc(size);
    memset(buffer, 0x5a, size);
    int fds[2];

    tcp_pair(fds);
    double tcp_send = measure(fds, size, 0, seconds, buffer);
    tcp_pair(fds);
    double tcp_rtt = measure(fds, size, size, seconds, buffer);
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    double unix_sa = measure(fds, size, 1, seconds, buffer);
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    double unix_ow = measure(fds, size, size, seconds, buffer) / 2;
    double spin = shm_spin(seconds);
    printf("%d %.2f %.2f %.2f %.2f %.3f\n", size, tcp_send, tcp_rtt, unix_sa, unix_ow, spin);
    return 0;
}
