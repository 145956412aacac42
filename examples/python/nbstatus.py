#!/usr/bin/env python3
"""libnetbios from Python (ctypes): RESET, ADD NAME, then ADAPTER STATUS of this station, printed as nbtstat -n does.

    NETBIOS_INTERFACE=127.0.0.2 NETBIOS_BIND=adapter NETBIOS_NAME_PORT=21137 NETBIOS_DATAGRAM_PORT=21138 \
    NETBIOS_SESSION_PORT=21139 python3 nbstatus.py /path/to/libnetbios.so PYTHONNODE
"""
import ctypes
import sys

NCBNAMSZ = 16
NCBRESET, NCBADDNAME, NCBASTAT = 0x32, 0x30, 0x33


class NCB(ctypes.Structure):
    """nb30.h NCB, Windows x64 layout (96 bytes); ctypes aligns the fields as the C compiler does."""
    _fields_ = [
        ("ncb_command", ctypes.c_ubyte), ("ncb_retcode", ctypes.c_ubyte), ("ncb_lsn", ctypes.c_ubyte),
        ("ncb_num", ctypes.c_ubyte), ("ncb_buffer", ctypes.c_void_p), ("ncb_length", ctypes.c_uint16),
        ("ncb_callname", ctypes.c_ubyte * NCBNAMSZ), ("ncb_name", ctypes.c_ubyte * NCBNAMSZ),
        ("ncb_rto", ctypes.c_ubyte), ("ncb_sto", ctypes.c_ubyte), ("ncb_post", ctypes.c_void_p),
        ("ncb_lana_num", ctypes.c_ubyte), ("ncb_cmd_cplt", ctypes.c_ubyte), ("ncb_reserve", ctypes.c_ubyte * 18),
        ("ncb_event", ctypes.c_void_p),
    ]


class ADAPTER_STATUS(ctypes.Structure):
    _fields_ = [
        ("adapter_address", ctypes.c_ubyte * 6), ("rev_major", ctypes.c_ubyte), ("reserved0", ctypes.c_ubyte),
        ("adapter_type", ctypes.c_ubyte), ("rev_minor", ctypes.c_ubyte), ("duration", ctypes.c_uint16),
        ("frmr_recv", ctypes.c_uint16), ("frmr_xmit", ctypes.c_uint16), ("iframe_recv_err", ctypes.c_uint16),
        ("xmit_aborts", ctypes.c_uint16), ("xmit_success", ctypes.c_uint32), ("recv_success", ctypes.c_uint32),
        ("iframe_xmit_err", ctypes.c_uint16), ("recv_buff_unavail", ctypes.c_uint16), ("t1_timeouts", ctypes.c_uint16),
        ("ti_timeouts", ctypes.c_uint16), ("reserved1", ctypes.c_uint32), ("free_ncbs", ctypes.c_uint16),
        ("max_cfg_ncbs", ctypes.c_uint16), ("max_ncbs", ctypes.c_uint16), ("xmit_buf_unavail", ctypes.c_uint16),
        ("max_dgram_size", ctypes.c_uint16), ("pending_sess", ctypes.c_uint16), ("max_cfg_sess", ctypes.c_uint16),
        ("max_sess", ctypes.c_uint16), ("max_sess_pkt_size", ctypes.c_uint16), ("name_count", ctypes.c_uint16),
    ]


class NAME_BUFFER(ctypes.Structure):
    _fields_ = [("name", ctypes.c_ubyte * NCBNAMSZ), ("name_num", ctypes.c_ubyte), ("name_flags", ctypes.c_ubyte)]


def main():
    if len(sys.argv) != 3:
        print("usage: nbstatus.py LIBNETBIOS_SO NAME", file=sys.stderr)
        return 2
    lib = ctypes.CDLL(sys.argv[1])
    lib.Netbios.argtypes = [ctypes.POINTER(NCB)]
    lib.Netbios.restype = ctypes.c_ubyte
    lib.netbios_strerror.restype = ctypes.c_char_p

    def call(ncb, what):
        rc = lib.Netbios(ctypes.byref(ncb))
        if rc != 0:
            raise SystemExit(f"{what} failed: {lib.netbios_strerror(rc).decode()}")

    call(NCB(ncb_command=NCBRESET), "RESET")
    add = NCB(ncb_command=NCBADDNAME)
    add.ncb_name[:] = list(sys.argv[2].upper().encode("ascii")[:15].ljust(15) + b"\x00")
    call(add, "ADD NAME")

    class Status(ctypes.Structure):
        _fields_ = [("header", ADAPTER_STATUS), ("names", NAME_BUFFER * 32)]

    status = Status()
    astat = NCB(ncb_command=NCBASTAT, ncb_buffer=ctypes.cast(ctypes.byref(status), ctypes.c_void_p),
                ncb_length=ctypes.sizeof(status))
    astat.ncb_callname[0] = ord("*")
    call(astat, "ADAPTER STATUS")
    h = status.header
    print(f"adapter {bytes(h.adapter_address).hex('-')}  names {h.name_count}  sessions {h.pending_sess}/{h.max_sess}"
          f"  max datagram {h.max_dgram_size}  sent {h.xmit_success}  received {h.recv_success}")
    for entry in status.names[:h.name_count]:
        kind = "GROUP" if entry.name_flags & 0x80 else "UNIQUE"
        print(f"    {bytes(entry.name[:15]).decode('latin-1')}<{entry.name[15]:02X}>  {kind}  #{entry.name_num}")
    lib.netbios_shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
