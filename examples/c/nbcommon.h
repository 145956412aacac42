/* Small helpers the C examples share: a zeroed NCB for one command, and a checked synchronous call. */
#ifndef NBCOMMON_H
#define NBCOMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nb30.h"

static inline void nb_init(NCB *ncb, UCHAR command, UCHAR lana)
{
    memset(ncb, 0, sizeof *ncb);
    ncb->ncb_command = command;
    ncb->ncb_lana_num = lana;
}

/* Runs a synchronous NCB; on failure prints what failed and exits 1 (after releasing the names). */
static inline UCHAR nb_check(NCB *ncb, const char *what)
{
    UCHAR rc = Netbios(ncb);
    if (rc != NRC_GOODRET) {
        fprintf(stderr, "%s failed: %s\n", what, netbios_strerror(rc));
        netbios_shutdown();
        exit(1);
    }
    return rc;
}

/* The name in an NCB name field as text: trailing spaces dropped, the suffix as <xx>. */
static inline const char *nb_name_text(const UCHAR name[NCBNAMSZ], char out[24])
{
    int n = 15;
    while (n > 0 && name[n - 1] == ' ')
        n--;
    memcpy(out, name, (size_t)n);
    snprintf(out + n, 24 - (size_t)n, "<%02X>", name[15]);
    return out;
}

#endif
