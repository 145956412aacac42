/*
 * The seed's chat (docs/NCB.md §1.3.2) in C through libnetbios, as examples/NcbChat does it in C#: add your nickname
 * and the group name, keep a no-wait DATAGRAM RECEIVE on the group whose POST routine prints the line and re-arms the
 * receive, send every line typed as a DATAGRAM SEND to the group. End of input leaves.
 *
 *     nbchat NICK GROUP          (configure the adapter and ports with NETBIOS_* variables, docs/LIBNETBIOS.md)
 */
#include <pthread.h>
#include "nbcommon.h"

static NCB receive;
static UCHAR receive_buffer[512];
static UCHAR nick[NCBNAMSZ];
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void CALLBACK on_datagram(NCB *ncb)
{
    if (ncb->ncb_cmd_cplt != NRC_GOODRET && ncb->ncb_cmd_cplt != NRC_INCOMP)
        return; /* cancelled by RESET: stop re-arming */
    if (memcmp(ncb->ncb_callname, nick, NCBNAMSZ) != 0) { /* our own line comes back through the group */
        char from[24];
        pthread_mutex_lock(&out_lock);
        printf("<%.*s> %.*s\n", (int)strcspn(nb_name_text(ncb->ncb_callname, from), " <"), from, ncb->ncb_length,
               (const char *)ncb->ncb_buffer);
        fflush(stdout);
        pthread_mutex_unlock(&out_lock);
    }
    ncb->ncb_length = sizeof receive_buffer;
    Netbios(ncb); /* re-armed inside POST, as the seed says */
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: nbchat NICK GROUP\n");
        return 2;
    }

    NCB ncb;
    nb_init(&ncb, NCBRESET, 0);
    nb_check(&ncb, "RESET");

    netbios_make_name(nick, argv[1], 0x00);
    nb_init(&ncb, NCBADDNAME, 0);
    memcpy(ncb.ncb_name, nick, NCBNAMSZ);
    nb_check(&ncb, "ADD NAME");
    UCHAR nick_num = ncb.ncb_num;

    nb_init(&ncb, NCBADDGRNAME, 0);
    netbios_make_name(ncb.ncb_name, argv[2], 0x00);
    nb_check(&ncb, "ADD GROUP NAME");
    UCHAR group_num = ncb.ncb_num;
    UCHAR group[NCBNAMSZ];
    memcpy(group, ncb.ncb_name, NCBNAMSZ);

    nb_init(&receive, NCBDGRECV | ASYNCH, 0);
    receive.ncb_num = group_num;
    receive.ncb_buffer = receive_buffer;
    receive.ncb_length = sizeof receive_buffer;
    receive.ncb_post = on_datagram;
    UCHAR rc = Netbios(&receive);
    if (rc != NRC_GOODRET) {
        fprintf(stderr, "DATAGRAM RECEIVE failed: %s\n", netbios_strerror(rc));
        return 1;
    }

    printf("joined %s as %s; type lines to send, end of input leaves\n", argv[2], argv[1]);
    fflush(stdout);
    char line[512];
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strcspn(line, "\r\n");
        nb_init(&ncb, NCBDGSEND, 0);
        ncb.ncb_num = nick_num;
        memcpy(ncb.ncb_callname, group, NCBNAMSZ);
        ncb.ncb_buffer = (PUCHAR)line;
        ncb.ncb_length = (WORD)n;
        nb_check(&ncb, "DATAGRAM SEND");
    }

    nb_init(&ncb, NCBRESET, 0); /* cancels the receive (its POST sees NRC_CMDCAN and stops) and deletes our names */
    Netbios(&ncb);
    pthread_mutex_lock(&out_lock);
    printf("left %s\n", argv[2]);
    pthread_mutex_unlock(&out_lock);
    netbios_shutdown();
    return 0;
}
