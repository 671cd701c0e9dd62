#!/usr/bin/env python3
"""Checks what stage 2 received after a measured boot (tests/vm/trust.sh),
independently of hop's code: the event log (TCG PC Client crypto-agile
format: a Spec ID Event03 header, then TCG_PCR_EVENT2 events) must name
the files and the command line in order with their digests in every bank,
and replay to the PCR values the TPM holds.

  eventlog_check.py SERIAL PCR OUT KIND NAME FILE [KIND NAME FILE...]
      SERIAL: stage 2's console log; OUT: the log's bytes are written there
  eventlog_check.py --tpm2 TPM2_EVENTLOG_OUTPUT SERIAL PCR
      tpm2_eventlog's replayed PCR values must equal the TPM's
"""
import hashlib
import re
import struct
import sys

ALGS = {0x0004: "sha1", 0x000B: "sha256", 0x000C: "sha384", 0x000D: "sha512"}
HEXLEN = {"sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}


def serial(path):
    """the PCR values (bank -> bytes), the log's bytes and the command line"""
    pcrs, log, cmdline = {}, None, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\r\n")
        # a kernel line may follow the value on the same console line
        # (stage 2 quiets the console first; an early one can still)
        m = re.match(r"^HOP-STAGE2 pcr-(\w+): ([0-9A-Fa-f]+)", line)
        if m and m.group(1) in HEXLEN:
            pcrs[m.group(1)] = bytes.fromhex(m.group(2)[:HEXLEN[m.group(1)]])
        m = re.match(r"^HOP-STAGE2 eventlog: ([0-9a-f]+)$", line)
        if m:
            log = bytes.fromhex(m.group(1))
        m = re.match(r"^HOP-STAGE2 cmdline: (.*)$", line)
        if m:
            cmdline = m.group(1)
    if not pcrs or log is None or cmdline is None:
        sys.exit("%s: no PCR, event log or command line from stage 2" % path)
    return pcrs, log, cmdline


def parse(log):
    """[(pcr, type, {bank: digest}, data)] after checking the header"""
    pcr, typ, _digest, size = struct.unpack_from("<II20sI", log, 0)
    if pcr != 0 or typ != 3:
        sys.exit("the first event is not EV_NO_ACTION in PCR 0")
    spec = log[32:32 + size]
    if spec[:16] != b"Spec ID Event03\0":
        sys.exit("no Spec ID Event03 header")
    n = struct.unpack_from("<I", spec, 24)[0]
    sizes = {}
    for i in range(n):
        alg, sz = struct.unpack_from("<HH", spec, 28 + 4 * i)
        sizes[alg] = sz
    if spec[28 + 4 * n] != 0 or len(spec) != 29 + 4 * n:
        sys.exit("the header's vendor info is not empty")
    off, events = 32 + size, []
    while off < len(log):
        pcr, typ, count = struct.unpack_from("<III", log, off)
        off += 12
        digests = {}
        for _ in range(count):
            alg = struct.unpack_from("<H", log, off)[0]
            digests[ALGS[alg]] = log[off + 2:off + 2 + sizes[alg]]
            off += 2 + sizes[alg]
        size = struct.unpack_from("<I", log, off)[0]
        data = log[off + 4:off + 4 + size]
        off += 4 + size
        events.append((pcr, typ, digests, data))
    if off != len(log):
        sys.exit("the log ends inside an event")
    return events


def check(argv):
    pcrs, log, cmdline = serial(argv[0])
    pcr = int(argv[1])
    open(argv[2], "wb").write(log)
    want = []
    rest = argv[3:]
    for i in range(0, len(rest), 3):
        want.append(("%s %s" % (rest[i], rest[i + 1]), open(rest[i + 2], "rb").read()))
    want.append(("cmdline " + cmdline, cmdline.encode()))
    events = [e for e in parse(log) if e[0] == pcr]
    if len(events) != len(want):
        sys.exit("%d events for PCR %d, %d expected" % (len(events), pcr, len(want)))
    replay = {}
    for (p, typ, digests, data), (desc, content) in zip(events, want):
        if typ != 0x0D or data.decode() != desc:
            sys.exit("event %r (type %#x), expected %r" % (data, typ, desc))
        for bank, d in digests.items():
            if hashlib.new(bank, content).digest() != d:
                sys.exit("%s: the %s digest is not the file's" % (desc, bank))
            old = replay.get(bank, bytes(len(d)))
            replay[bank] = hashlib.new(bank, old + d).digest()
        print("OK event %s" % desc[:60])
    for bank, value in pcrs.items():
        if replay.get(bank) != value:
            sys.exit("PCR %d %s: the log replays to %s, the TPM holds %s" % (
                pcr, bank, replay.get(bank, b"").hex(), value.hex()))
        print("OK pcr %d %s %s" % (pcr, bank, value.hex()))
    if "sha256" not in pcrs:
        sys.exit("no sha256 bank")


def check_tpm2(argv):
    pcrs, _log, _cmdline = serial(argv[1])
    pcr = int(argv[2])
    got, bank, inside = {}, None, False
    for line in open(argv[0]):
        if line.startswith("pcrs:"):
            inside = True
            continue
        if not inside:
            continue
        m = re.match(r"^\s+(sha\w+):\s*$", line)
        if m:
            bank = m.group(1)
            continue
        m = re.match(r"^\s+(\d+)\s*:\s*0x([0-9A-Fa-f]+)\s*$", line)
        if m and bank and int(m.group(1)) == pcr:
            got[bank] = bytes.fromhex(m.group(2))
    for b, value in pcrs.items():
        if got.get(b) != value:
            sys.exit("tpm2_eventlog: PCR %d %s: %s, the TPM holds %s" % (
                pcr, b, got.get(b, b"").hex(), value.hex()))
        print("OK tpm2_eventlog pcr %d %s" % (pcr, b))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--tpm2"]:
        check_tpm2(sys.argv[2:])
    else:
        check(sys.argv[1:])
