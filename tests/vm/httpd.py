#!/usr/bin/env python3
"""One HTTP/1.1 exchange on stdin/stdout, as QEMU's guestfwd=...-cmd: runs
it for each connection a guest opens (tests/vm/net.sh). MODE says how the
server behaves; ROOT is the folder it serves.

  files     GET /NAME: ROOT/NAME with Content-Length (404 if missing);
            /redirect/NAME: 302 to /NAME
  chunked   the same, in chunks of odd sizes
  stall     reads the request, answers nothing, holds the connection
  overlong  announces 4 KiB less than the file's length, sends it all
  loop      every request: 302 to the next /loop/N

With --tls CERT KEY the exchange is HTTPS (TLS 1.2 or later, over the
socket QEMU gives as stdin).
"""
import os
import signal
import sys


def main():
    mode, root = sys.argv[1], sys.argv[2]
    inp = sys.stdin.buffer
    out = sys.stdout.buffer
    if len(sys.argv) > 5 and sys.argv[3] == "--tls":
        import socket
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[4], sys.argv[5])
        try:
            conn = ctx.wrap_socket(socket.socket(fileno=0), server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that refused the certificate
        inp, out = conn.makefile("rb"), conn.makefile("wb")
    serve(mode, root, inp, out)


def serve(mode, root, inp, out):
    head = b""
    while b"\r\n\r\n" not in head:
        b = inp.read1(4096) if hasattr(inp, "read1") else inp.read(1)
        if not b:
            return
        head += b
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    method, target = line.split(" ")[0], line.split(" ")[1]
    if mode == "stall":
        # hold the connection, answer nothing, until the client gives up
        # (or QEMU ends): EOF on the socket, or two minutes at most
        signal.alarm(120)
        while inp.read1(4096) if hasattr(inp, "read1") else inp.read(1):
            pass
        return
    if mode == "loop":
        n = int(target.rsplit("/", 1)[-1]) if target.startswith("/loop/") else 0
        out.write(b"HTTP/1.1 302 Found\r\nLocation: /loop/%d\r\n"
                  b"Content-Length: 0\r\nConnection: close\r\n\r\n" % (n + 1))
        out.flush()
        return
    if target.startswith("/redirect/"):
        out.write(b"HTTP/1.1 302 Found\r\nLocation: /%s\r\n"
                  b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                  % target[len("/redirect/"):].encode())
        out.flush()
        return
    path = os.path.realpath(os.path.join(root, target.lstrip("/")))
    if not path.startswith(os.path.realpath(root) + "/") or not os.path.isfile(path):
        out.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                  b"Connection: close\r\n\r\n")
        out.flush()
        return
    with open(path, "rb") as f:
        data = f.read()
    if mode == "chunked":
        out.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                  b"Connection: close\r\n\r\n")
        i, size = 0, 1
        while i < len(data):
            size = size * 7 % 65521 + 1
            part = data[i:i + size]
            out.write(b"%x\r\n%s\r\n" % (len(part), part))
            i += len(part)
        out.write(b"0\r\n\r\n")
    else:
        # overlong: the file's length less 4 KiB announced, the whole
        # file sent, so that the bytes past the announced end arrive in
        # the stream with it, not after a pause
        announced = len(data) - 4096 if mode == "overlong" else len(data)
        out.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                  b"Connection: close\r\n\r\n" % announced)
        if method != "HEAD":
            out.write(data)
    out.flush()


if __name__ == "__main__":
    main()
