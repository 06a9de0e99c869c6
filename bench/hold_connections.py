#!/usr/bin/env python3
"""Open N real idle HTTP/1.1 keep-alive connections and hold them.

Each connection sends one `GET /healthz HTTP/1.1` request and reads the whole
response (head + Content-Length body), so the server sees a normal keep-alive
connection that has finished a request and is now idle.

Connections are spread over several loopback source addresses (127.0.0.2,
127.0.0.3, ...) so that per-client-IP connection limits (weavr-gateway allows
1,024 per IP by default) do not cap the test. Both servers get the same load.

Protocol with the caller (bench/http.sh):
  * prints `ready ok=<n> failed=<n> seconds=<t>` on stdout once all attempts finished;
  * on SIGUSR1 or SIGTERM/SIGINT (or stdin EOF with --stdin), checks how many of
    the held connections are still open, prints `still_open=<n> closed_by_peer=<n>`,
    closes everything and exits 0.
"""

import argparse
import errno
import ipaddress
import selectors
import signal
import socket
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("-n", "--connections", type=int, default=10_000)
    p.add_argument("--source-base", default="127.0.0.2",
                   help="first loopback source address (default 127.0.0.2); use 'none' to not bind")
    p.add_argument("--per-source", type=int, default=1_000,
                   help="connections per source address (default 1000, below the gateway's 1024/IP)")
    p.add_argument("--in-flight", type=int, default=256,
                   help="connection attempts in progress at once (keep below the listen backlog)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds for the whole opening phase")
    return p.parse_args()


class Conn:
    __slots__ = ("sock", "buf", "state")

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.state = "connecting"  # -> "reading" -> "idle" | "failed"


def response_complete(buf):
    """True once a full response (head + Content-Length body) is in buf; raises on a bad response."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return False
    head = buf[:end].decode("latin-1").split("\r\n")
    status = head[0].split(" ")
    if len(status) < 2 or status[1] != "200":
        raise ValueError("status line: " + head[0])
    length = None
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        if name.strip().lower() == "connection" and value.strip().lower() == "close":
            raise ValueError("server sent connection: close")
    if length is None:
        raise ValueError("no content-length")
    return len(buf) >= end + 4 + length


def open_all(args):
    sel = selectors.DefaultSelector()
    held, failures = [], {}
    base = None if args.source_base == "none" else ipaddress.IPv4Address(args.source_base)
    started, in_flight, next_index = time.monotonic(), 0, 0
    deadline = started + args.timeout

    def fail(conn, why):
        nonlocal in_flight
        failures[why] = failures.get(why, 0) + 1
        sel.unregister(conn.sock)
        conn.sock.close()
        conn.state = "failed"
        in_flight -= 1

    while (next_index < args.connections or in_flight) and time.monotonic() < deadline:
        while next_index < args.connections and in_flight < args.in_flight:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Conn(s)
            try:
                if base is not None:
                    s.bind((str(base + next_index // args.per_source), 0))
                rc = s.connect_ex((args.host, args.port))
            except OSError as e:
                rc = e.errno
            next_index += 1
            in_flight += 1
            sel.register(s, selectors.EVENT_WRITE, conn)
            if rc not in (0, errno.EINPROGRESS):
                fail(conn, "connect: " + errno.errorcode.get(rc, str(rc)))
        for key, _ in sel.select(timeout=0.5):
            conn = key.data
            try:
                if conn.state == "connecting":
                    err = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        fail(conn, "connect: " + errno.errorcode.get(err, str(err)))
                        continue
                    conn.sock.sendall(REQUEST)  # 35 bytes into an empty socket buffer
                    conn.state = "reading"
                    sel.modify(conn.sock, selectors.EVENT_READ, conn)
                else:
                    data = conn.sock.recv(4096)
                    if not data:
                        fail(conn, "closed before a full response")
                        continue
                    conn.buf += data
                    if response_complete(conn.buf):
                        sel.unregister(conn.sock)
                        conn.state, conn.buf = "idle", b""
                        held.append(conn.sock)
                        in_flight -= 1
            except (OSError, ValueError) as e:
                fail(conn, type(e).__name__ + ": " + str(e)[:80])
    for key in list(sel.get_map().values()):  # attempts still pending at the deadline
        fail(key.data, "timeout")
    sel.close()
    return held, failures, time.monotonic() - started


def count_open(held):
    still, closed = 0, 0
    for s in held:
        try:
            data = s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            if data:
                still += 1  # unexpected bytes, but the connection is open
            else:
                closed += 1
        except BlockingIOError:
            still += 1
        except OSError:
            closed += 1
    return still, closed


def main():
    args = parse_args()
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    for sig in (signal.SIGUSR1, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)

    held, failures, seconds = open_all(args)
    failed = sum(failures.values())
    print(f"ready ok={len(held)} failed={failed} seconds={seconds:.1f}", flush=True)
    for why, n in sorted(failures.items()):
        print(f"  failure x{n}: {why}", file=sys.stderr, flush=True)

    while not stop["now"]:
        time.sleep(0.2)  # not signal.pause(): a signal just before it would block forever

    still, closed = count_open(held)
    print(f"still_open={still} closed_by_peer={closed}", flush=True)
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
