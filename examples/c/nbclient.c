/*
 * The C pair's client: adds NAME, CALLs SERVER<20>, SENDs COUNT messages of SIZE bytes and RECEIVEs each echo (checking
 * its bytes), then HANGs UP. Prints the round trips per second and the throughput (bytes both ways).
 *
 *     nbclient NAME SERVER [COUNT [SIZE]]        (defaults: 3 messages of 64 bytes)
 */
#include <time.h>
#include "nbcommon.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: nbclient NAME SERVER [COUNT [SIZE]]\n");
        return 2;
    }
    long count = argc >= 4 ? atol(argv[3]) : 3;
    long size = argc >= 5 ? atol(argv[4]) : 64;
    if (size < 1 || size > 65535 || count < 1) {
        fprintf(stderr, "COUNT >= 1, SIZE 1..65535\n");
        return 2;
    }

    NCB ncb;
    nb_init(&ncb, NCBRESET, 0);
    nb_check(&ncb, "RESET");
    nb_init(&ncb, NCBADDNAME, 0);
    netbios_make_name(ncb.ncb_name, argv[1], 0x00);
    nb_check(&ncb, "ADD NAME");
    UCHAR name[NCBNAMSZ];
    memcpy(name, ncb.ncb_name, NCBNAMSZ);

    nb_init(&ncb, NCBCALL, 0);
    memcpy(ncb.ncb_name, name, NCBNAMSZ);
    netbios_make_name(ncb.ncb_callname, argv[2], 0x20);
    nb_check(&ncb, "CALL");
    UCHAR lsn = ncb.ncb_lsn;
    printf("session %u to %s<20>\n", lsn, argv[2]);

    UCHAR *out = malloc((size_t)size), *in = malloc((size_t)size);
    for (long i = 0; i < size; i++)
        out[i] = (UCHAR)('a' + i % 26);
    double start = now();
    for (long m = 0; m < count; m++) {
        out[0] = (UCHAR)m;
        nb_init(&ncb, NCBSEND, 0);
        ncb.ncb_lsn = lsn;
        ncb.ncb_buffer = out;
        ncb.ncb_length = (WORD)size;
        nb_check(&ncb, "SEND");
        nb_init(&ncb, NCBRECV, 0);
        ncb.ncb_lsn = lsn;
        ncb.ncb_buffer = in;
        ncb.ncb_length = (WORD)size;
        nb_check(&ncb, "RECEIVE");
        if (ncb.ncb_length != size || memcmp(in, out, (size_t)size) != 0) {
            fprintf(stderr, "echo %ld differs (%u bytes)\n", m, ncb.ncb_length);
            return 1;
        }
    }
    double seconds = now() - start;
    printf("%ld round trips of %ld bytes in %.3f s: %.1f us per round trip, %.1f MB/s\n", count, size, seconds,
           seconds * 1e6 / (double)count, 2.0 * (double)count * (double)size / seconds / 1e6);

    nb_init(&ncb, NCBHANGUP, 0);
    ncb.ncb_lsn = lsn;
    nb_check(&ncb, "HANG UP");
    printf("hung up\n");
    free(out);
    free(in);
    netbios_shutdown();
    return 0;
}
