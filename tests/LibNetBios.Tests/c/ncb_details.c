/*
 * The NCB details C programs rely on, through libnetbios (docs/LIBNETBIOS.md): immediate refusals of no-wait NCBs,
 * ncb_cmd_cplt 0xFF while pending, ncb_event (an eventfd) reset on acceptance and signalled on completion, ncb_post
 * called once, CANCEL by NCB address, SESSION STATUS NRC_BUFLEN, DELETE NAME ending waits with NRC_NAMERR, ADAPTER
 * STATUS figures. Prints "ok <check>" per check; exits 1 at the first failure. Bounded: every wait is at most 10 s.
 */
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include "nb30.h"

#define EXPECT(cond, what)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            printf("FAIL %s (line %d)\n", what, __LINE__);                   \
            netbios_shutdown();                                              \
            exit(1);                                                         \
        }                                                                    \
        printf("ok %s\n", what);                                             \
    } while (0)

static atomic_int posts;
static NCB *posted;

static void CALLBACK on_post(NCB *ncb)
{
    posted = ncb;
    atomic_fetch_add(&posts, 1);
}

static void init(NCB *ncb, UCHAR command)
{
    memset(ncb, 0, sizeof *ncb);
    ncb->ncb_command = command;
}

static int readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static int wait_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 10000) == 1;
}

static int wait_done(volatile NCB *ncb)
{
    for (int i = 0; i < 10000 && ncb->ncb_cmd_cplt == NRC_PENDING; i++) {
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
    return ncb->ncb_cmd_cplt != NRC_PENDING;
}

int main(void)
{
    NCB ncb;
    static UCHAR buffer[1024];

    /* Refused before it starts: the code comes back from Netbios() itself. */
    init(&ncb, NCBLISTEN | ASYNCH);
    ncb.ncb_lana_num = 9;
    ncb.ncb_post = on_post;
    EXPECT(Netbios(&ncb) == NRC_BRIDGE && ncb.ncb_cmd_cplt == NRC_BRIDGE, "no-wait on a LANA that does not exist: NRC_BRIDGE");
    init(&ncb, 0x7f | ASYNCH);
    ncb.ncb_post = on_post;
    EXPECT(Netbios(&ncb) == NRC_ILLCMD && ncb.ncb_retcode == NRC_ILLCMD, "no-wait illegal command: NRC_ILLCMD");
    init(&ncb, NCBDGRECV | ASYNCH);
    ncb.ncb_post = on_post;
    EXPECT(Netbios(&ncb) == NRC_ENVNOTDEF, "no-wait before RESET: NRC_ENVNOTDEF");

    init(&ncb, NCBRESET);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "RESET");
    init(&ncb, NCBDGRECV | ASYNCH);
    ncb.ncb_num = 0xff;
    ncb.ncb_length = 100; /* no buffer */
    ncb.ncb_post = on_post;
    EXPECT(Netbios(&ncb) == NRC_BADDR, "no-wait with a null buffer and a length: NRC_BADDR");
    EXPECT(atomic_load(&posts) == 0, "no POST for refused NCBs");

    init(&ncb, NCBADDNAME);
    netbios_make_name(ncb.ncb_name, "CDETAILS", 0);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "ADD NAME");
    UCHAR num = ncb.ncb_num;
    UCHAR name[NCBNAMSZ];
    memcpy(name, ncb.ncb_name, NCBNAMSZ);

    /* Event reset on acceptance, 0xFF while pending, CANCEL by address, event signalled and POST called once. */
    int fd = eventfd(1, EFD_NONBLOCK); /* starts signalled */
    EXPECT(fd > 0 && readable(fd), "eventfd starts signalled");
    NCB listen;
    init(&listen, NCBLISTEN | ASYNCH);
    memcpy(listen.ncb_name, name, NCBNAMSZ);
    netbios_make_name(listen.ncb_callname, "*", 0);
    listen.ncb_post = on_post;
    listen.ncb_event = (HANDLE)(intptr_t)fd;
    EXPECT(Netbios(&listen) == NRC_GOODRET, "no-wait LISTEN accepted");
    EXPECT(listen.ncb_cmd_cplt == NRC_PENDING && listen.ncb_retcode == NRC_PENDING, "ncb_cmd_cplt reads 0xFF while pending");
    EXPECT(!readable(fd), "event reset when accepted");
    init(&ncb, NCBCANCEL);
    ncb.ncb_buffer = (PUCHAR)&listen;
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "CANCEL of the pending LISTEN");
    EXPECT(wait_done(&listen) && listen.ncb_cmd_cplt == NRC_CMDCAN, "LISTEN completed with NRC_CMDCAN");
    EXPECT(wait_readable(fd), "event signalled at completion");
    for (int i = 0; i < 10000 && atomic_load(&posts) == 0; i++)
        usleep(1000);
    EXPECT(atomic_load(&posts) == 1 && posted == &listen, "POST called once with the NCB");
    init(&ncb, NCBCANCEL);
    ncb.ncb_buffer = (PUCHAR)&listen;
    EXPECT(Netbios(&ncb) == NRC_CANOCCR, "CANCEL of a completed NCB: NRC_CANOCCR");

    /* SESSION STATUS: a buffer smaller than SESSION_HEADER is NRC_BUFLEN; a big one gets the header. */
    init(&ncb, NCBSSTAT);
    memcpy(ncb.ncb_name, name, NCBNAMSZ);
    ncb.ncb_buffer = buffer;
    ncb.ncb_length = 2;
    EXPECT(Netbios(&ncb) == NRC_BUFLEN, "SESSION STATUS with a 2-byte buffer: NRC_BUFLEN");
    init(&ncb, NCBSSTAT);
    memcpy(ncb.ncb_name, name, NCBNAMSZ);
    ncb.ncb_buffer = buffer;
    ncb.ncb_length = sizeof buffer;
    EXPECT(Netbios(&ncb) == NRC_GOODRET && ncb.ncb_length == sizeof(SESSION_HEADER)
               && ((SESSION_HEADER *)buffer)->sess_name == num && ((SESSION_HEADER *)buffer)->num_sess == 0,
           "SESSION STATUS header");

    /* DELETE NAME with only non-session commands pending: removed at once, the commands end with NRC_NAMERR. */
    NCB receive, any;
    static UCHAR dgram[512], anybuf[512];
    init(&receive, NCBDGRECV | ASYNCH);
    receive.ncb_num = num;
    receive.ncb_buffer = dgram;
    receive.ncb_length = sizeof dgram;
    EXPECT(Netbios(&receive) == NRC_GOODRET, "no-wait DATAGRAM RECEIVE accepted");
    init(&any, NCBRECVANY | ASYNCH);
    any.ncb_num = num;
    any.ncb_buffer = anybuf;
    any.ncb_length = sizeof anybuf;
    EXPECT(Netbios(&any) == NRC_GOODRET, "no-wait RECEIVE ANY accepted");
    init(&ncb, NCBDELNAME);
    memcpy(ncb.ncb_name, name, NCBNAMSZ);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "DELETE NAME");
    EXPECT(receive.ncb_cmd_cplt == NRC_NAMERR, "DATAGRAM RECEIVE ended with NRC_NAMERR");
    EXPECT(any.ncb_cmd_cplt == NRC_NAMERR, "RECEIVE ANY ended with NRC_NAMERR");

    /* ADAPTER STATUS: measured figures and the station's settings. */
    init(&ncb, NCBASTAT);
    ncb.ncb_callname[0] = '*';
    ncb.ncb_buffer = buffer;
    ncb.ncb_length = sizeof buffer;
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "ADAPTER STATUS");
    ADAPTER_STATUS *status = (ADAPTER_STATUS *)buffer;
    printf("adapter status: max_dgram_size %u max_sess_pkt_size %u pending_sess %u max_sess %u free_ncbs %u max_ncbs %u "
           "xmit %u recv %u names %u\n", status->max_dgram_size, status->max_sess_pkt_size, status->pending_sess,
           status->max_sess, status->free_ncbs, status->max_ncbs, status->xmit_success, status->recv_success, status->name_count);
    EXPECT(status->max_dgram_size == 512 && status->max_sess_pkt_size == 65535, "ADAPTER STATUS sizes from the settings");
    EXPECT(status->pending_sess == 0 && status->max_sess == 64 && status->free_ncbs == status->max_ncbs - 1,
           "ADAPTER STATUS sessions and commands");

    /* ENUM. */
    LANA_ENUM lanas;
    init(&ncb, NCBENUM);
    ncb.ncb_buffer = (PUCHAR)&lanas;
    ncb.ncb_length = sizeof lanas;
    EXPECT(Netbios(&ncb) == NRC_GOODRET && lanas.length == 1 && lanas.lana[0] == 0, "ENUM: LANA 0");

    close(fd);
    netbios_shutdown();
    printf("details ok\n");
    return 0;
}
