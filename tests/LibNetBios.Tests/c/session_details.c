/*
 * Session NCBs through libnetbios inside one process (LMHOSTS points SELFSRV at our own address): a no-wait LISTEN
 * with an eventfd, CALL, CHAIN SEND (second buffer's length and address in ncb_callname, the Win32 x64 layout), RECEIVE
 * in pieces (NRC_INCOMP), SESSION STATUS with sessions, ADAPTER STATUS pending_sess, HANG UP → NRC_SCLOSED.
 * Prints "ok <check>" per check; exits 1 at the first failure.
 */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "nb30.h"

#define EXPECT(cond, what)                                  \
    do {                                                    \
        if (!(cond)) {                                      \
            printf("FAIL %s (line %d)\n", what, __LINE__);  \
            netbios_shutdown();                             \
            exit(1);                                        \
        }                                                   \
        printf("ok %s\n", what);                            \
    } while (0)

static void init(NCB *ncb, UCHAR command)
{
    memset(ncb, 0, sizeof *ncb);
    ncb->ncb_command = command;
}

int main(void)
{
    NCB ncb, listen;
    init(&ncb, NCBRESET);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "RESET");
    UCHAR server[NCBNAMSZ], client[NCBNAMSZ];
    netbios_make_name(server, "SELFSRV", 0x20);
    netbios_make_name(client, "SELFCLI", 0x00);
    init(&ncb, NCBADDNAME);
    memcpy(ncb.ncb_name, server, NCBNAMSZ);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "ADD NAME SELFSRV<20>");
    init(&ncb, NCBADDNAME);
    memcpy(ncb.ncb_name, client, NCBNAMSZ);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "ADD NAME SELFCLI");

    int fd = eventfd(0, EFD_NONBLOCK);
    init(&listen, NCBLISTEN | ASYNCH);
    memcpy(listen.ncb_name, server, NCBNAMSZ);
    netbios_make_name(listen.ncb_callname, "*", 0);
    listen.ncb_event = (HANDLE)(intptr_t)fd;
    EXPECT(Netbios(&listen) == NRC_GOODRET, "no-wait LISTEN");

    init(&ncb, NCBCALL);
    memcpy(ncb.ncb_name, client, NCBNAMSZ);
    memcpy(ncb.ncb_callname, server, NCBNAMSZ);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "CALL SELFSRV<20>");
    UCHAR caller = ncb.ncb_lsn;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    EXPECT(poll(&p, 1, 10000) == 1 && listen.ncb_cmd_cplt == NRC_GOODRET, "LISTEN completed, event signalled");
    UCHAR listener = listen.ncb_lsn;
    EXPECT(memcmp(listen.ncb_callname, client, NCBNAMSZ) == 0, "LISTEN reports the caller's name");

    static UCHAR first[] = "chain-", second[] = "send!";
    init(&ncb, NCBCHAINSEND);
    ncb.ncb_lsn = caller;
    ncb.ncb_buffer = first;
    ncb.ncb_length = 6;
    ncb.ncb_callname[0] = 5; /* second buffer: length in bytes 0-1, address in bytes 2-9 */
    ncb.ncb_callname[1] = 0;
    UCHAR *second_address = second;
    memcpy(ncb.ncb_callname + 2, &second_address, sizeof second_address);
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "CHAIN SEND");

    UCHAR piece[8], message[32];
    init(&ncb, NCBRECV);
    ncb.ncb_lsn = listener;
    ncb.ncb_buffer = piece;
    ncb.ncb_length = sizeof piece;
    EXPECT(Netbios(&ncb) == NRC_INCOMP && ncb.ncb_length == 8 && memcmp(piece, "chain-se", 8) == 0, "RECEIVE 8 bytes: NRC_INCOMP");
    init(&ncb, NCBRECV);
    ncb.ncb_lsn = listener;
    ncb.ncb_buffer = message;
    ncb.ncb_length = sizeof message;
    EXPECT(Netbios(&ncb) == NRC_GOODRET && ncb.ncb_length == 3 && memcmp(message, "nd!", 3) == 0, "RECEIVE the rest");

    static UCHAR status[512];
    init(&ncb, NCBSSTAT);
    netbios_make_name(ncb.ncb_name, "*", 0);
    ncb.ncb_buffer = status;
    ncb.ncb_length = sizeof status;
    EXPECT(Netbios(&ncb) == NRC_GOODRET && ((SESSION_HEADER *)status)->num_sess == 2
               && ncb.ncb_length == sizeof(SESSION_HEADER) + 2 * sizeof(SESSION_BUFFER), "SESSION STATUS: two sessions");
    SESSION_BUFFER *sessions = (SESSION_BUFFER *)(status + sizeof(SESSION_HEADER));
    EXPECT(sessions[0].state == SESSION_ESTABLISHED && sessions[1].state == SESSION_ESTABLISHED, "both established");
    init(&ncb, NCBSSTAT);
    netbios_make_name(ncb.ncb_name, "*", 0);
    ncb.ncb_buffer = status;
    ncb.ncb_length = sizeof(SESSION_HEADER) + sizeof(SESSION_BUFFER);
    EXPECT(Netbios(&ncb) == NRC_INCOMP && ((SESSION_HEADER *)status)->num_sess == 2, "SESSION STATUS truncated: NRC_INCOMP");

    init(&ncb, NCBASTAT);
    ncb.ncb_callname[0] = '*';
    ncb.ncb_buffer = status;
    ncb.ncb_length = sizeof status;
    EXPECT(Netbios(&ncb) == NRC_GOODRET && ((ADAPTER_STATUS *)status)->pending_sess == 2
               && ((ADAPTER_STATUS *)status)->xmit_success >= 1 && ((ADAPTER_STATUS *)status)->recv_success >= 1,
           "ADAPTER STATUS: two sessions, traffic counted");

    init(&ncb, NCBHANGUP);
    ncb.ncb_lsn = caller;
    EXPECT(Netbios(&ncb) == NRC_GOODRET, "HANG UP");
    init(&ncb, NCBRECV);
    ncb.ncb_lsn = listener;
    ncb.ncb_buffer = message;
    ncb.ncb_length = sizeof message;
    EXPECT(Netbios(&ncb) == NRC_SCLOSED, "the other end: NRC_SCLOSED");

    close(fd);
    netbios_shutdown();
    printf("sessions ok\n");
    return 0;
}
