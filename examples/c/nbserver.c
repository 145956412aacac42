/*
 * The C pair's server: adds NAME<20>, LISTENs for any caller, and echoes every message it RECEIVEs back with SEND
 * until the caller hangs up; then listens again (at most COUNT sessions, default 1).
 *
 *     nbserver NAME [COUNT]
 */
#include "nbcommon.h"

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: nbserver NAME [COUNT]\n");
        return 2;
    }
    int sessions = argc == 3 ? atoi(argv[2]) : 1;

    NCB ncb;
    nb_init(&ncb, NCBRESET, 0);
    nb_check(&ncb, "RESET");
    nb_init(&ncb, NCBADDNAME, 0);
    netbios_make_name(ncb.ncb_name, argv[1], 0x20);
    nb_check(&ncb, "ADD NAME");
    UCHAR name[NCBNAMSZ];
    memcpy(name, ncb.ncb_name, NCBNAMSZ);
    printf("listening as %s<20>\n", argv[1]);
    fflush(stdout);

    static UCHAR buffer[65535];
    for (int s = 0; s < sessions; s++) {
        nb_init(&ncb, NCBLISTEN, 0);
        memcpy(ncb.ncb_name, name, NCBNAMSZ);
        netbios_make_name(ncb.ncb_callname, "*", 0);
        nb_check(&ncb, "LISTEN");
        UCHAR lsn = ncb.ncb_lsn;
        char caller[24];
        printf("session %u from %s\n", lsn, nb_name_text(ncb.ncb_callname, caller));
        fflush(stdout);

        unsigned long messages = 0;
        for (;;) {
            nb_init(&ncb, NCBRECV, 0);
            ncb.ncb_lsn = lsn;
            ncb.ncb_buffer = buffer;
            ncb.ncb_length = sizeof buffer;
            UCHAR rc = Netbios(&ncb);
            if (rc == NRC_SCLOSED || rc == NRC_SABORT)
                break;
            if (rc != NRC_GOODRET) {
                fprintf(stderr, "RECEIVE failed: %s\n", netbios_strerror(rc));
                return 1;
            }
            WORD length = ncb.ncb_length;
            nb_init(&ncb, NCBSEND, 0);
            ncb.ncb_lsn = lsn;
            ncb.ncb_buffer = buffer;
            ncb.ncb_length = length;
            rc = Netbios(&ncb);
            if (rc != NRC_GOODRET) {
                fprintf(stderr, "SEND failed: %s\n", netbios_strerror(rc));
                break;
            }
            messages++;
        }
        printf("session %u closed after %lu messages\n", lsn, messages);
        fflush(stdout);
    }

    nb_init(&ncb, NCBDELNAME, 0);
    memcpy(ncb.ncb_name, name, NCBNAMSZ);
    Netbios(&ncb);
    netbios_shutdown();
    return 0;
}
