/*
 * nb30.h layouts against Windows x64 (offsetof / sizeof as MSVC lays them out for _WIN64; docs/LIBNETBIOS.md).
 * Fails to compile (static assertions) or exits 1 on any difference; prints one line per structure otherwise.
 */
#include <stddef.h>
#include <stdio.h>
#include "nb30.h"

static int failures;

#define CHECK(type, field, expected)                                                                   \
    do {                                                                                               \
        _Static_assert(offsetof(type, field) == (expected), #type "." #field " offset");               \
        if (offsetof(type, field) != (expected)) {                                                     \
            printf("FAIL %s.%s at %zu, expected %d\n", #type, #field, offsetof(type, field), expected); \
            failures++;                                                                                \
        }                                                                                              \
    } while (0)

#define SIZE(type, expected)                                                          \
    do {                                                                              \
        _Static_assert(sizeof(type) == (expected), #type " size");                    \
        printf("%-16s %3zu bytes\n", #type, sizeof(type));                            \
        if (sizeof(type) != (expected)) {                                             \
            printf("FAIL sizeof(%s) = %zu, expected %d\n", #type, sizeof(type), expected); \
            failures++;                                                               \
        }                                                                             \
    } while (0)

int main(void)
{
    CHECK(NCB, ncb_command, 0);
    CHECK(NCB, ncb_retcode, 1);
    CHECK(NCB, ncb_lsn, 2);
    CHECK(NCB, ncb_num, 3);
    CHECK(NCB, ncb_buffer, 8);
    CHECK(NCB, ncb_length, 16);
    CHECK(NCB, ncb_callname, 18);
    CHECK(NCB, ncb_name, 34);
    CHECK(NCB, ncb_rto, 50);
    CHECK(NCB, ncb_sto, 51);
    CHECK(NCB, ncb_post, 56);
    CHECK(NCB, ncb_lana_num, 64);
    CHECK(NCB, ncb_cmd_cplt, 65);
    CHECK(NCB, ncb_reserve, 66);
    CHECK(NCB, ncb_event, 88);
    SIZE(NCB, 96);

    CHECK(ADAPTER_STATUS, adapter_address, 0);
    CHECK(ADAPTER_STATUS, rev_major, 6);
    CHECK(ADAPTER_STATUS, reserved0, 7);
    CHECK(ADAPTER_STATUS, adapter_type, 8);
    CHECK(ADAPTER_STATUS, rev_minor, 9);
    CHECK(ADAPTER_STATUS, duration, 10);
    CHECK(ADAPTER_STATUS, frmr_recv, 12);
    CHECK(ADAPTER_STATUS, frmr_xmit, 14);
    CHECK(ADAPTER_STATUS, iframe_recv_err, 16);
    CHECK(ADAPTER_STATUS, xmit_aborts, 18);
    CHECK(ADAPTER_STATUS, xmit_success, 20);
    CHECK(ADAPTER_STATUS, recv_success, 24);
    CHECK(ADAPTER_STATUS, iframe_xmit_err, 28);
    CHECK(ADAPTER_STATUS, recv_buff_unavail, 30);
    CHECK(ADAPTER_STATUS, t1_timeouts, 32);
    CHECK(ADAPTER_STATUS, ti_timeouts, 34);
    CHECK(ADAPTER_STATUS, reserved1, 36);
    CHECK(ADAPTER_STATUS, free_ncbs, 40);
    CHECK(ADAPTER_STATUS, max_cfg_ncbs, 42);
    CHECK(ADAPTER_STATUS, max_ncbs, 44);
    CHECK(ADAPTER_STATUS, xmit_buf_unavail, 46);
    CHECK(ADAPTER_STATUS, max_dgram_size, 48);
    CHECK(ADAPTER_STATUS, pending_sess, 50);
    CHECK(ADAPTER_STATUS, max_cfg_sess, 52);
    CHECK(ADAPTER_STATUS, max_sess, 54);
    CHECK(ADAPTER_STATUS, max_sess_pkt_size, 56);
    CHECK(ADAPTER_STATUS, name_count, 58);
    SIZE(ADAPTER_STATUS, 60);

    CHECK(NAME_BUFFER, name, 0);
    CHECK(NAME_BUFFER, name_num, 16);
    CHECK(NAME_BUFFER, name_flags, 17);
    SIZE(NAME_BUFFER, 18);

    CHECK(SESSION_HEADER, sess_name, 0);
    CHECK(SESSION_HEADER, num_sess, 1);
    CHECK(SESSION_HEADER, rcv_dg_outstanding, 2);
    CHECK(SESSION_HEADER, rcv_any_outstanding, 3);
    SIZE(SESSION_HEADER, 4);

    CHECK(SESSION_BUFFER, lsn, 0);
    CHECK(SESSION_BUFFER, state, 1);
    CHECK(SESSION_BUFFER, local_name, 2);
    CHECK(SESSION_BUFFER, remote_name, 18);
    CHECK(SESSION_BUFFER, rcvs_outstanding, 34);
    CHECK(SESSION_BUFFER, sends_outstanding, 35);
    SIZE(SESSION_BUFFER, 36);

    CHECK(FIND_NAME_HEADER, node_count, 0);
    CHECK(FIND_NAME_HEADER, reserved, 2);
    CHECK(FIND_NAME_HEADER, unique_group, 3);
    SIZE(FIND_NAME_HEADER, 4);

    CHECK(FIND_NAME_BUFFER, length, 0);
    CHECK(FIND_NAME_BUFFER, access_control, 1);
    CHECK(FIND_NAME_BUFFER, frame_control, 2);
    CHECK(FIND_NAME_BUFFER, destination_addr, 3);
    CHECK(FIND_NAME_BUFFER, source_addr, 9);
    CHECK(FIND_NAME_BUFFER, routing_info, 15);
    SIZE(FIND_NAME_BUFFER, 33);

    CHECK(LANA_ENUM, length, 0);
    CHECK(LANA_ENUM, lana, 1);
    SIZE(LANA_ENUM, 256);

    CHECK(ACTION_HEADER, transport_id, 0);
    CHECK(ACTION_HEADER, action_code, 4);
    CHECK(ACTION_HEADER, reserved, 6);
    SIZE(ACTION_HEADER, 8);

    _Static_assert(sizeof(void *) == 8, "64-bit only");
    printf(failures == 0 ? "abi ok\n" : "abi FAILED\n");
    return failures == 0 ? 0 : 1;
}
