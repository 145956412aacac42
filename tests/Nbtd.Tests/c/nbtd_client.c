/*
 * A tiny nbtd client that speaks the local IPC protocol (docs/IPC.md) itself, with no runtime: a real process that
 * costs a few hundred KiB, so that tests can run a hundred of them on a small box.
 *
 *   nbtd_client SOCKET hold NAME          RESET, ADD NAME; print "ADD <rc>"; wait until stdin closes (or SIGKILL)
 *   nbtd_client SOCKET try NAME           RESET, ADD NAME, ADAPTER STATUS of the local adapter ("*");
 *                                         print "UID <uid>", "ADD <rc>", "ASTAT <rc>"; exit 0
 *   nbtd_client SOCKET peer NAME NEXT     RESET, ADD NAME; post LISTEN (for anyone) and DATAGRAM RECEIVE on NAME;
 *                                         print "READY"; wait for a line on stdin; send a DATAGRAM to NEXT and CALL
 *                                         NEXT, SEND a message on that session; RECEIVE on the session LISTEN got;
 *                                         print "DATAGRAM <text>", "MESSAGE <text>", "OK"; exit 0 (1 on a failure)
 * Return codes are printed as two hex digits. Exit 2: the daemon cannot be reached or broke the protocol.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

enum { HELLO = 0x0001, SUBMIT = 0x0010, WELCOME = 0x8001, ERROR_MSG = 0x8002, ACCEPTED = 0x8010, COMPLETE = 0x8011 };
enum { RESET = 0x32, ADDNAME = 0x30, ASTAT = 0x33, CALL = 0x10, LISTEN = 0x11, SEND = 0x14, RECV = 0x15,
       DGSEND = 0x20, DGRECV = 0x21 };

static int fd = -1;
static unsigned char message[70000];

struct result { uint32_t id; unsigned char rc, lsn, num; uint16_t length; unsigned char data[600]; };

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v) { p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16); p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v; }
static unsigned get16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t get32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static void fail(const char *what) { fprintf(stderr, "nbtd_client: %s\n", what); exit(2); }

static void write_all(const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) fail("write to the daemon failed");
        p += w; n -= (size_t)w;
    }
}

static void read_all(unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0) fail("the daemon closed the connection");
        p += r; n -= (size_t)r;
    }
}

static void send_message(unsigned type, uint32_t id, const unsigned char *payload, size_t n)
{
    unsigned char header[10];
    put32(header, (uint32_t)(6 + n)); put16(header + 4, type); put32(header + 6, id);
    write_all(header, 10);
    if (n > 0) write_all(payload, n);
}

/* The next message; returns its type, the payload in `message`. */
static unsigned read_message(uint32_t *id, size_t *n)
{
    unsigned char header[10];
    read_all(header, 10);
    uint32_t length = get32(header);
    if (length < 6 || length - 6 > sizeof message) fail("bad message length");
    *id = get32(header + 6);
    *n = length - 6;
    read_all(message, *n);
    return get16(header + 4);
}

static void make_name(unsigned char out[16], const char *name)
{
    memset(out, ' ', 15); out[15] = 0;
    size_t n = strlen(name);
    memcpy(out, name, n > 15 ? 15 : n);
}

/* NCB SUBMIT: the NCB's fields, `data` for sending commands, `capacity` for receiving ones. */
static void submit(uint32_t id, unsigned char command, unsigned char lsn, unsigned char num, const char *callname,
                   const char *name, const void *data, uint16_t length, uint16_t capacity)
{
    unsigned char p[128 + 600];
    size_t o = 0;
    p[o++] = command; p[o++] = 0; p[o++] = lsn; p[o++] = num;
    put16(p + o, data ? length : capacity); o += 2;
    p[o++] = 0; p[o++] = 0;                                      /* rto, sto */
    memset(p + o, 0, 32);
    if (callname) make_name(p + o, callname);
    if (callname && strcmp(callname, "*") == 0) memset(p + o + 1, 0, 15);
    o += 16;
    if (name) make_name(p + o, name);
    o += 16;
    put32(p + o, 0); o += 4;                                     /* cancel target */
    p[o++] = (data || capacity) ? 1 : 0;                         /* flags: has a buffer */
    put16(p + o, data ? length : capacity); o += 2;              /* buffer capacity */
    put16(p + o, 0); o += 2;                                     /* chain capacity */
    put32(p + o, data ? length : 0); o += 4;
    if (data) { memcpy(p + o, data, length); o += length; }
    put32(p + o, 0); o += 4;
    send_message(SUBMIT, id, p, o);
}

/* Waits for the COMPLETE of any NCB. */
static void next_complete(struct result *r)
{
    for (int i = 0; i < 1000; i++) {
        uint32_t id; size_t n;
        unsigned type = read_message(&id, &n);
        if (type == ERROR_MSG) fail("the daemon sent ERROR");
        if (type != COMPLETE) continue;
        if (n < 1 + 1 + 1 + 1 + 2 + 32 + 4) fail("short COMPLETE");
        r->id = id; r->rc = message[1]; r->lsn = message[2]; r->num = message[3]; r->length = (uint16_t)get16(message + 4);
        uint32_t count = get32(message + 38);
        if (count > n - 42) fail("bad COMPLETE data count");
        size_t copy = count < sizeof r->data - 1 ? count : sizeof r->data - 1;
        memcpy(r->data, message + 42, copy);
        r->data[copy] = 0;
        return;
    }
    fail("no COMPLETE");
}

/* A synchronous NCB: submit, then its COMPLETE. */
static unsigned char run(uint32_t id, unsigned char command, unsigned char lsn, unsigned char num, const char *callname,
                         const char *name, const void *data, uint16_t length, uint16_t capacity, struct result *r)
{
    submit(id, command, lsn, num, callname, name, data, length, capacity);
    do next_complete(r); while (r->id != id);
    return r->rc;
}

static void connect_daemon(const char *path)
{
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof address.sun_path) fail("socket path too long");
    strcpy(address.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) fail("cannot connect to the daemon");
    unsigned char hello[8];
    put32(hello, 0x4E425444); put16(hello + 4, 1); put16(hello + 6, 1);
    send_message(HELLO, 0, hello, 8);
    uint32_t id; size_t n;
    if (read_message(&id, &n) != WELCOME || n < 20) fail("no WELCOME");
    printf("UID %u\n", (unsigned)get32(message + 16));
}

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: nbtd_client SOCKET hold|try|peer NAME [NEXT]\n"); return 2; }
    setvbuf(stdout, NULL, _IOLBF, 0);
    connect_daemon(argv[1]);
    const char *mode = argv[2], *name = argv[3];
    struct result r;
    printf("RESET %02X\n", run(1, RESET, 0, 0, NULL, NULL, NULL, 0, 0, &r));
    unsigned char added = run(2, ADDNAME, 0, 0, NULL, name, NULL, 0, 0, &r);
    unsigned char number = r.num;
    printf("ADD %02X\n", added);
    if (strcmp(mode, "hold") == 0) {
        char line[64];
        while (fgets(line, sizeof line, stdin) != NULL) { }
        return 0;
    }

    if (strcmp(mode, "try") == 0) {
        printf("ASTAT %02X\n", run(3, ASTAT, 0, 0, "*", NULL, NULL, 0, 512, &r));
        return 0;
    }

    if (strcmp(mode, "peer") != 0 || argc < 5 || added != 0) return 1;
    const char *next = argv[4];
    submit(10, LISTEN, 0, 0, "*", name, NULL, 0, 0);
    submit(11, DGRECV, 0, number, NULL, NULL, NULL, 0, 512);
    printf("READY\n");
    char line[64];
    if (fgets(line, sizeof line, stdin) == NULL) return 1;

    char text[64];
    int length = snprintf(text, sizeof text, "datagram from %s", name);
    submit(12, DGSEND, 0, number, next, NULL, text, (uint16_t)length, 0);
    submit(13, CALL, 0, 0, next, name, NULL, 0, 0);
    int done = 0, failed = 0; /* bits: 1 dg sent, 2 dg received, 4 called, 8 sent, 16 listened, 32 received */
    for (int i = 0; i < 100 && done != 63 && !failed; i++) {
        next_complete(&r);
        if (r.rc != 0) { printf("FAILED %u %02X\n", (unsigned)r.id, r.rc); failed = 1; break; }
        switch (r.id) {
        case 12: done |= 1; break;
        case 11: done |= 2; printf("DATAGRAM %.*s\n", (int)r.length, (const char *)r.data); break;
        case 13:
            done |= 4;
            length = snprintf(text, sizeof text, "message from %s", name);
            submit(14, SEND, r.lsn, 0, NULL, NULL, text, (uint16_t)length, 0);
            break;
        case 14: done |= 8; break;
        case 10: done |= 16; submit(15, RECV, r.lsn, 0, NULL, NULL, NULL, 0, 512); break;
        case 15: done |= 32; printf("MESSAGE %.*s\n", (int)r.length, (const char *)r.data); break;
        default: break;
        }
    }

    if (done != 63) { printf("INCOMPLETE %d\n", done); return 1; }
    printf("OK\n");
    return 0;
}
