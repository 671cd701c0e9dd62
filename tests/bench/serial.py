#!/usr/bin/env python3
"""serial.py LOG TIMEOUT CMD...: runs CMD (QEMU with its serial console on
stdout) and writes every line it prints to LOG as "SECONDS<TAB>LINE",
SECONDS being the host's monotonic clock when the line's newline arrived,
from CMD's start. The guest's clocks cannot time a kexec (the next kernel
starts its own), the host's can. Kills CMD after TIMEOUT seconds; exits
with CMD's status, or 124 on timeout (as timeout(1))."""
import os, select, subprocess, sys, time

log, limit, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
fd = p.stdout.fileno()
rc, part = None, b""
with open(log, "w") as out:
    while True:
        left = limit - (time.monotonic() - t0)
        if left <= 0:
            p.kill()
            p.wait()
            rc = 124
            break
        r, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not r:
            continue
        data = os.read(fd, 65536)
        now = time.monotonic() - t0
        if not data:
            rc = p.wait()
            break
        part += data
        *lines, part = part.split(b"\n")
        for line in lines:
            text = line.decode("utf-8", "replace").rstrip("\r")
            out.write("%.6f\t%s\n" % (now, text))
        out.flush()
    if part:
        out.write("%.6f\t%s\n" % (time.monotonic() - t0,
                                  part.decode("utf-8", "replace").rstrip("\r")))
sys.exit(rc)
