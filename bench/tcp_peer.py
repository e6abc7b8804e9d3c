"""Kernel-side TCP peers for bench/tcp_bench.sh and bench/lwip_tcp_bench.sh.

  tcp_peer.py send HOST PORT BYTES   connect, send BYTES, half-close, wait for
                                     the peer's close; prints Mbit/s
  tcp_peer.py recv HOST PORT         accept one connection, read to EOF;
                                     prints Mbit/s from the first byte
"""
import socket
import sys
import time


def send(host, port, total):
    block = bytes(range(256)) * 4096
    s = socket.create_connection((host, port), timeout=60)
    t0 = time.time()
    left = total
    while left:
        left -= s.send(block[: min(left, len(block))])
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    return total * 8 / (time.time() - t0) / 1e6


def recv(host, port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    c, _ = listener.accept()
    n = 0
    t0 = None
    while True:
        d = c.recv(1 << 20)
        if t0 is None:
            t0 = time.time()
        if not d:
            break
        n += len(d)
    return n * 8 / (time.time() - t0) / 1e6


if __name__ == "__main__":
    if sys.argv[1] == "send":
        rate = send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        rate = recv(sys.argv[2], int(sys.argv[3]))
    print("%.0f" % rate, flush=True)
