/*
 * The INT 5Ch entry as a DOS emulator uses it (docs/LIBNETBIOS.md "INT 5Ch"): a simulated 1 MiB real-mode memory,
 * 64-byte real-mode NCBs with segment:offset pointers, a no-wait LISTEN with a POST routine, CANCEL, and delivery of
 * the completion (NCB write-back, then POST with ES:BX and AL) from the "emulation loop". Exits 1 at the first failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "nb30.h"

#define MEMORY (1024 * 1024)
static uint8_t memory[MEMORY];
static int post_calls;
static uint16_t post_seg, post_off, post_es, post_bx;
static uint8_t post_al;

#define EXPECT(cond, what)                                  \
    do {                                                    \
        if (!(cond)) {                                      \
            printf("FAIL %s (line %d)\n", what, __LINE__);  \
            exit(1);                                        \
        }                                                   \
        printf("ok %s\n", what);                            \
    } while (0)

static void rm_read(void *context, uint32_t linear, uint8_t *destination, uint32_t length)
{
    memcpy(destination, (uint8_t *)context + linear, length);
}

static void rm_write(void *context, uint32_t linear, const uint8_t *source, uint32_t length)
{
    memcpy((uint8_t *)context + linear, source, length);
}

static void rm_post(void *context, uint16_t routine_segment, uint16_t routine_offset, uint16_t es, uint16_t bx, uint8_t al)
{
    (void)context;
    post_calls++;
    post_seg = routine_segment;
    post_off = routine_offset;
    post_es = es;
    post_bx = bx;
    post_al = al;
}

static uint8_t *ncb_at(uint16_t segment, uint16_t offset) { return memory + ((uint32_t)segment << 4) + offset; }

/* A real-mode NCB (docs/NCB.md §2.2). */
static void make_ncb(uint8_t *ncb, uint8_t command, const char *name, uint8_t suffix)
{
    memset(ncb, 0, 64);
    ncb[0] = command;
    if (name != NULL)
        netbios_make_name(ncb + 26, name, suffix);
}

static void set_buffer(uint8_t *ncb, uint16_t segment, uint16_t offset, uint16_t length)
{
    ncb[4] = (uint8_t)offset;
    ncb[5] = (uint8_t)(offset >> 8);
    ncb[6] = (uint8_t)segment;
    ncb[7] = (uint8_t)(segment >> 8);
    ncb[8] = (uint8_t)length;
    ncb[9] = (uint8_t)(length >> 8);
}

int main(void)
{
    netbios_int5c *bridge = netbios_int5c_create(memory, MEMORY, rm_read, rm_write, rm_post);
    EXPECT(bridge != NULL, "bridge created");

    uint8_t *ncb = ncb_at(0x1000, 0x0000);
    make_ncb(ncb, NCBRESET, NULL, 0);
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0000) == NRC_GOODRET && ncb[1] == NRC_GOODRET, "RESET through INT 5Ch");

    make_ncb(ncb, NCBADDNAME, "DOSNODE", 0x00);
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0000) == NRC_GOODRET && ncb[3] >= 1, "ADD NAME: name number in the NCB");

    make_ncb(ncb, NCBASTAT, NULL, 0);
    ncb[10] = '*';
    set_buffer(ncb, 0x2000, 0x0010, 200);
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0000) == NRC_GOODRET, "ADAPTER STATUS into real-mode memory");
    const uint8_t *status = ncb_at(0x2000, 0x0010);
    uint16_t names = (uint16_t)(status[58] | (status[59] << 8));
    EXPECT(names == 1 && memcmp(status + 60, "DOSNODE", 7) == 0 && ncb[8] == 60 + 18, "ADAPTER_STATUS + NAME_BUFFER written at 2000:0010");

    uint8_t *listen = ncb_at(0x1000, 0x0100);
    make_ncb(listen, NCBLISTEN | ASYNCH, "DOSNODE", 0x00);
    listen[10] = '*';
    memset(listen + 11, 0, 15);
    listen[44] = 0x34; /* POST F000:1234 */
    listen[45] = 0x12;
    listen[46] = 0x00;
    listen[47] = 0xF0;
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0100) == NRC_GOODRET, "no-wait LISTEN: AL = 0");
    EXPECT(listen[49] == NRC_PENDING, "command complete reads FFh while pending");

    make_ncb(ncb, NCBCANCEL, NULL, 0);
    set_buffer(ncb, 0x1000, 0x0100, 0);
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0000) == NRC_GOODRET, "CANCEL of the LISTEN");

    for (int i = 0; i < 10000 && post_calls == 0; i++) {
        netbios_int5c_deliver(bridge);
        if (post_calls == 0) {
            struct timespec t = {0, 1000000};
            nanosleep(&t, NULL);
        }
    }
    EXPECT(post_calls == 1, "POST called once from the emulation loop");
    EXPECT(post_seg == 0xF000 && post_off == 0x1234 && post_es == 0x1000 && post_bx == 0x0100 && post_al == NRC_CMDCAN,
           "POST F000:1234 with ES:BX = the NCB and AL = 0Bh");
    EXPECT(listen[49] == NRC_CMDCAN && listen[1] == NRC_CMDCAN, "the NCB in memory completed with 0Bh");

    make_ncb(ncb, NCBADDNAME, "BADBUF", 0);
    ncb[0] = NCBDGSEND;
    set_buffer(ncb, 0xFFFF, 0xFFF0, 4096);
    EXPECT(netbios_int5c_interrupt(bridge, 0x1000, 0x0000) == NRC_BADDR, "a buffer past the end of memory: NRC_BADDR");

    netbios_int5c_destroy(bridge);
    netbios_shutdown();
    printf("int5c ok\n");
    return 0;
}
