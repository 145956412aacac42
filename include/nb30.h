/*
 * nb30.h for Linux: the NetBIOS 3.0 interface of Win32 (Netbios(), NCB, result structures, command and return codes)
 * with Windows x64 structure layouts on 64-bit Linux, for libnetbios (docs/LIBNETBIOS.md).
 *
 * Every structure is laid out field for field as Windows x64 lays it out (natural alignment, 8-byte pointers);
 * tests/LibNetBios.Tests/c/abi_layout.c checks each offset and size. The Windows names and values are kept, so that
 * programs written for Windows compile unchanged.
 *
 * Linux specifics:
 *   ncb_event  HANDLE-sized; holds an eventfd(2) descriptor the caller created (EFD_NONBLOCK recommended), or 0 for none.
 *              libnetbios drains it (non-signalled) when a no-wait NCB is submitted and writes 1 to it when the NCB
 *              completes. Only no-wait (ASYNCH) NCBs use it.
 *   ncb_post   called once per completed no-wait NCB, on a library thread, after ncb_cmd_cplt is final. It may submit
 *              further no-wait NCBs; it should not block.
 *   Buffers    are the caller's memory: read when the command starts (sends), written before ncb_cmd_cplt leaves 0xFF
 *              (receives, status), never touched after completion.
 */
#ifndef NCB_INCLUDED
#define NCB_INCLUDED

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(UCHAR_DEFINED_NB30) && !defined(_WINDEF_)
#define UCHAR_DEFINED_NB30
typedef unsigned char UCHAR, *PUCHAR;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef uint16_t USHORT;
typedef uint32_t ULONG; /* Windows' ULONG is 32-bit, also on x64 */
typedef void *HANDLE;
#endif

#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef APIENTRY
#define APIENTRY
#endif

#define NCBNAMSZ 16
#define MAX_LANA 254

/* Network Control Block: 96 bytes. */
typedef struct _NCB {
    UCHAR ncb_command;                        /*  0 */
    UCHAR ncb_retcode;                        /*  1 */
    UCHAR ncb_lsn;                            /*  2 */
    UCHAR ncb_num;                            /*  3 */
    PUCHAR ncb_buffer;                        /*  8 */
    WORD ncb_length;                          /* 16 */
    UCHAR ncb_callname[NCBNAMSZ];             /* 18 */
    UCHAR ncb_name[NCBNAMSZ];                 /* 34 */
    UCHAR ncb_rto;                            /* 50 */
    UCHAR ncb_sto;                            /* 51 */
    void (CALLBACK *ncb_post)(struct _NCB *); /* 56 */
    UCHAR ncb_lana_num;                       /* 64 */
    UCHAR ncb_cmd_cplt;                       /* 65 */
    UCHAR ncb_reserve[18];                    /* 66 */
    HANDLE ncb_event;                         /* 88: an eventfd on Linux, stored as (HANDLE)(intptr_t)fd */
} NCB, *PNCB;

/* NCBASTAT result: 60 bytes, followed by name_count NAME_BUFFERs. */
typedef struct _ADAPTER_STATUS {
    UCHAR adapter_address[6]; /*  0 */
    UCHAR rev_major;          /*  6 */
    UCHAR reserved0;          /*  7 */
    UCHAR adapter_type;       /*  8 */
    UCHAR rev_minor;          /*  9 */
    WORD duration;            /* 10 */
    WORD frmr_recv;           /* 12 */
    WORD frmr_xmit;           /* 14 */
    WORD iframe_recv_err;     /* 16 */
    WORD xmit_aborts;         /* 18 */
    DWORD xmit_success;       /* 20 */
    DWORD recv_success;       /* 24 */
    WORD iframe_xmit_err;     /* 28 */
    WORD recv_buff_unavail;   /* 30 */
    WORD t1_timeouts;         /* 32 */
    WORD ti_timeouts;         /* 34 */
    DWORD reserved1;          /* 36 */
    WORD free_ncbs;           /* 40 */
    WORD max_cfg_ncbs;        /* 42 */
    WORD max_ncbs;            /* 44 */
    WORD xmit_buf_unavail;    /* 46 */
    WORD max_dgram_size;      /* 48 */
    WORD pending_sess;        /* 50 */
    WORD max_cfg_sess;        /* 52 */
    WORD max_sess;            /* 54 */
    WORD max_sess_pkt_size;   /* 56 */
    WORD name_count;          /* 58 */
} ADAPTER_STATUS, *PADAPTER_STATUS;

/* 18 bytes. */
typedef struct _NAME_BUFFER {
    UCHAR name[NCBNAMSZ]; /*  0 */
    UCHAR name_num;       /* 16 */
    UCHAR name_flags;     /* 17 */
} NAME_BUFFER, *PNAME_BUFFER;

#define NAME_FLAGS_MASK 0x87
#define GROUP_NAME 0x80
#define UNIQUE_NAME 0x00
#define REGISTERING 0x00
#define REGISTERED 0x04
#define DEREGISTERED 0x05
#define DUPLICATE 0x06
#define DUPLICATE_DEREG 0x07

/* NCBSSTAT result: 4 bytes, followed by num_sess SESSION_BUFFERs. */
typedef struct _SESSION_HEADER {
    UCHAR sess_name;           /* 0 */
    UCHAR num_sess;            /* 1 */
    UCHAR rcv_dg_outstanding;  /* 2 */
    UCHAR rcv_any_outstanding; /* 3 */
} SESSION_HEADER, *PSESSION_HEADER;

/* 36 bytes. */
typedef struct _SESSION_BUFFER {
    UCHAR lsn;                   /*  0 */
    UCHAR state;                 /*  1 */
    UCHAR local_name[NCBNAMSZ];  /*  2 */
    UCHAR remote_name[NCBNAMSZ]; /* 18 */
    UCHAR rcvs_outstanding;      /* 34 */
    UCHAR sends_outstanding;     /* 35 */
} SESSION_BUFFER, *PSESSION_BUFFER;

#define LISTEN_OUTSTANDING 0x01
#define CALL_PENDING 0x02
#define SESSION_ESTABLISHED 0x03
#define HANGUP_PENDING 0x04
#define HANGUP_COMPLETE 0x05
#define SESSION_ABORTED 0x06

/* NCBENUM result: 256 bytes. */
typedef struct _LANA_ENUM {
    UCHAR length;           /* 0 */
    UCHAR lana[MAX_LANA + 1]; /* 1 */
} LANA_ENUM, *PLANA_ENUM;

/* NCBFINDNAME result: 4 bytes, followed by node_count FIND_NAME_BUFFERs. */
typedef struct _FIND_NAME_HEADER {
    WORD node_count;   /* 0 */
    UCHAR reserved;    /* 2 */
    UCHAR unique_group; /* 3 */
} FIND_NAME_HEADER, *PFIND_NAME_HEADER;

/* 33 bytes (no padding: all UCHAR). Over TCP/IP source_addr[2..5] holds the owner's IPv4 address. */
typedef struct _FIND_NAME_BUFFER {
    UCHAR length;              /*  0 */
    UCHAR access_control;      /*  1 */
    UCHAR frame_control;       /*  2 */
    UCHAR destination_addr[6]; /*  3 */
    UCHAR source_addr[6];      /*  9 */
    UCHAR routing_info[18];    /* 15 */
} FIND_NAME_BUFFER, *PFIND_NAME_BUFFER;

/* NCBACTION header: 8 bytes. */
typedef struct _ACTION_HEADER {
    ULONG transport_id; /* 0 */
    USHORT action_code; /* 4 */
    USHORT reserved;    /* 6 */
} ACTION_HEADER, *PACTION_HEADER;

#define ALL_TRANSPORTS "M\0\0\0"
#define MS_NBF "MNBF"

/* Commands (OR ASYNCH for no-wait). */
#define NCBCALL 0x10
#define NCBLISTEN 0x11
#define NCBHANGUP 0x12
#define NCBSEND 0x14
#define NCBRECV 0x15
#define NCBRECVANY 0x16
#define NCBCHAINSEND 0x17
#define NCBDGSEND 0x20
#define NCBDGRECV 0x21
#define NCBDGSENDBC 0x22
#define NCBDGRECVBC 0x23
#define NCBADDNAME 0x30
#define NCBDELNAME 0x31
#define NCBRESET 0x32
#define NCBASTAT 0x33
#define NCBSSTAT 0x34
#define NCBCANCEL 0x35
#define NCBADDGRNAME 0x36
#define NCBENUM 0x37
#define NCBUNLINK 0x70
#define NCBSENDNA 0x71
#define NCBCHAINSENDNA 0x72
#define NCBLANSTALERT 0x73
#define NCBACTION 0x77
#define NCBFINDNAME 0x78
#define NCBTRACE 0x79

#define ASYNCH 0x80

/* Return codes. */
#define NRC_GOODRET 0x00
#define NRC_BUFLEN 0x01
#define NRC_ILLCMD 0x03
#define NRC_CMDTMO 0x05
#define NRC_INCOMP 0x06
#define NRC_BADDR 0x07
#define NRC_SNUMOUT 0x08
#define NRC_NORES 0x09
#define NRC_SCLOSED 0x0a
#define NRC_CMDCAN 0x0b
#define NRC_DUPNAME 0x0d
#define NRC_NAMTFUL 0x0e
#define NRC_ACTSES 0x0f
#define NRC_LOCTFUL 0x11
#define NRC_REMTFUL 0x12
#define NRC_ILLNN 0x13
#define NRC_NOCALL 0x14
#define NRC_NOWILD 0x15
#define NRC_INUSE 0x16
#define NRC_NAMERR 0x17
#define NRC_SABORT 0x18
#define NRC_NAMCONF 0x19
#define NRC_IFBUSY 0x21
#define NRC_TOOMANY 0x22
#define NRC_BRIDGE 0x23
#define NRC_CANOCCR 0x24
#define NRC_CANCEL 0x26
#define NRC_DUPENV 0x30
#define NRC_ENVNOTDEF 0x34
#define NRC_OSRESNOTAV 0x35
#define NRC_MAXAPPS 0x36
#define NRC_NOSAPS 0x37
#define NRC_NORESOURCES 0x38
#define NRC_INVADDRESS 0x39
#define NRC_INVDDID 0x3b
#define NRC_LOCKFAIL 0x3c
#define NRC_OPENERR 0x3f
#define NRC_SYSTEM 0x40
#define NRC_PENDING 0xff

/* The call. */
UCHAR APIENTRY Netbios(PNCB pncb);

/* ---- libnetbios extensions (not in Windows' nb30.h) ---- */

/* Fills a 16-byte NCB name: up to 15 bytes of text, upper-cased, space-padded, then the suffix; "*" gives the wildcard. */
void netbios_make_name(UCHAR name[NCBNAMSZ], const char *text, UCHAR suffix);

/* "0x17 NameDeleted": a static string describing an NRC_* code. */
const char *netbios_strerror(UCHAR code);

/* Releases every name and closes every station this process bound (call before exit to release names at once). */
void netbios_shutdown(void);

/* INT 5Ch for DOS emulators: memory callbacks take linear addresses (segment * 16 + offset). */
typedef struct netbios_int5c netbios_int5c;
typedef void (*netbios_rm_read)(void *context, uint32_t linear, uint8_t *destination, uint32_t length);
typedef void (*netbios_rm_write)(void *context, uint32_t linear, const uint8_t *source, uint32_t length);
typedef void (*netbios_rm_post)(void *context, uint16_t routine_segment, uint16_t routine_offset, uint16_t es, uint16_t bx,
                                uint8_t al);

netbios_int5c *netbios_int5c_create(void *context, uint32_t memory_size, netbios_rm_read read, netbios_rm_write write,
                                    netbios_rm_post post);
UCHAR netbios_int5c_interrupt(netbios_int5c *bridge, uint16_t es, uint16_t bx); /* INT 5Ch: returns AL */
int netbios_int5c_deliver(netbios_int5c *bridge); /* completions + POST calls on this thread; returns how many */
void netbios_int5c_destroy(netbios_int5c *bridge);

#ifdef __cplusplus
}
#endif

#endif /* NCB_INCLUDED */
