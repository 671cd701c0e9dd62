#!/usr/bin/env python3
"""report.py OUT "ARCHS" E2E_MIB: reads what tests/bench/bench.sh left in
OUT/<arch>/ (load-<guest MiB>.log, e2e-*.log: serial lines with host timestamps;
info.txt: sizes and versions) and writes OUT/results.md and OUT/results.png
(gnuplot), then prints the markdown. Every figure is computed from those
logs; a missing one is shown as "-" with the reason when known."""
import glob, os, re, statistics, subprocess, sys

out, archs, e2e_mib = sys.argv[1], sys.argv[2].split(), sys.argv[3]
TOOLS = ["copy", "raw", "hop", "kexec-tools"]
SCENS = ["bundle", "tmpfs", "churn"]
SYSNAME = {"c": "kexec_load", "s": "kexec_file_load"}


def kv(text):
    return dict(re.findall(r"(\w+)=(\S+)", text))


def read_log(path):
    """[(seconds, line)] of a serial.py log"""
    rows = []
    if os.path.exists(path):
        for raw in open(path, errors="replace"):
            t, _, line = raw.rstrip("\n").partition("\t")
            try:
                rows.append((float(t), line))
            except ValueError:
                pass
    return rows


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(x, nd=0):
    if x is None:
        return "-"
    return ("%%.%df" % nd) % x


def ratio(a, b):
    return a / b if a is not None and b else None


data = {}
for arch in archs:
    d = os.path.join(out, arch)
    info = {}
    if os.path.exists(os.path.join(d, "info.txt")):
        for line in open(os.path.join(d, "info.txt")):
            k, _, v = line.strip().partition("=")
            info[k] = v
    times, mem, errs, skips, plans = {}, {}, [], [], {}
    meminfo = {}
    loadlogs = sorted(glob.glob(os.path.join(d, "load-*.log")),
                      key=lambda f: int(re.sub(r"\D", "", os.path.basename(f)) or 0))
    for logf in loadlogs:
        gmem = int(re.sub(r"\D", "", os.path.basename(logf)))
        for _, line in read_log(logf):
            if line.startswith("BENCH load ") or line.startswith("BENCH mem "):
                f = kv(line)
                key = (gmem, f.get("scen", "tmpfs"), f["sys"], int(f["size"]), f["tool"])
                if f.get("rc") != "0":
                    errs.append("%d MiB guest: %s: exit %s" % (gmem, line.split(" rc=")[0][6:], f.get("rc")))
                    continue
                if line.startswith("BENCH load "):
                    times.setdefault(key, []).append(int(f["us"]) / 1000.0)
                else:
                    mem[key] = (None if f["anon_kb"] == "-" else int(f["anon_kb"]),
                                int(f["maxrss_kb"]))
            elif line.startswith("BENCH-SKIP") or line.startswith("BENCH-ERR"):
                (skips if line.startswith("BENCH-SKIP") else errs).append(
                    "%d MiB guest: %s" % (gmem, line))
            elif line.startswith("BENCH-INFO"):
                meminfo[gmem] = kv(line)
            elif line.startswith("BENCH-PLAN "):
                f = kv(line)
                m = re.search(r"(0x[0-9a-f]+)-0x[0-9a-f]+ +\d+ (kernel|initrd) ", line)
                if m:
                    plans.setdefault((gmem, f["scen"], int(f["size"])), {})[m.group(2)] = m.group(1)
    loaded = bool(loadlogs)
    load_rc = " ".join(open(f).read().strip() for f in
                       sorted(glob.glob(os.path.join(d, "load-*.rc")))) or "?"
    e2e = {}
    for path in sorted(glob.glob(os.path.join(d, "e2e-*.log"))):
        tool = re.sub(r"^e2e-(.*)-\d+\.log$", r"\1", os.path.basename(path))
        rows = read_log(path)
        start = first = stage2 = jump = None
        for t, line in rows:
            if start is None:
                if line.startswith("BENCH-E2E start"):
                    start = t
            elif jump is None and first is None and "Starting new kernel" in line:
                # the running kernel's last line before the jump
                # (kernel/kexec_core.c kernel_kexec)
                jump = t
            elif first is None and "Linux version" in line:
                first = t
            elif first is not None and line.startswith("HOP-STAGE2"):
                stage2 = t
                break
        r = e2e.setdefault(tool, {"first": [], "stage2": [], "jump": [], "failed": 0})
        if start is not None and first is not None:
            r["first"].append(first - start)
            if jump is not None:
                r["jump"].append(jump - start)
            if stage2 is not None:
                r["stage2"].append(stage2 - start)
        else:
            r["failed"] += 1
    data[arch] = dict(info=info, times=times, mem=mem, errs=errs, skips=skips,
                      meminfo=meminfo, e2e=e2e, loaded=loaded, load_rc=load_rc,
                      plans=plans)

md = []
w = md.append
w("# make bench: hop, kexec-tools and the floors")
w("")
w("Produced by `make bench` (BENCH_ARCHS=\"%s\"). " % " ".join(archs)
  + "**Figures come from QEMU TCG (no KVM) on a shared 2-core host: absolute "
  "times are emulation times, the ratios are what matters.** "
  "Load times are medians of the runs listed; one QEMU at a time.")
w("")
for arch in archs:
    i = data[arch]["info"]
    mi = data[arch]["meminfo"]
    w("- %s: kernel %s, QEMU -m %s (MemTotal %s kB), hop %s, kexec-tools %s (Debian)"
      % (arch, i.get("kernel", "?"), i.get("mem_mib", "?"),
         " / ".join(v.get("memtotal_kb", "?") for _, v in sorted(mi.items())) or "?",
         i.get("hop_version", "?"), i.get("kexec_tools_version", "?")))
w("")
w("What is measured: `bench-run` (tests/bench/run.c) fork+execs each loader "
  "and times it from before the fork to wait4's return (the load syscall is "
  "the last thing each does; kexec-tools' time includes its dynamic "
  "linking). Each load is undone with `kexec -u` before the next; the "
  "loaders and floors alternate run by run. Two floors: the **copy floor**, "
  "`bench-raw copy` (tests/bench/raw.c), writes the same kernel and initrd "
  "bytes into a new tmpfs file (a page allocated and filled per page, what "
  "kexec_load cannot do with less); the **raw floor**, `bench-raw load`, "
  "calls kexec_load with the segments of `hop kexec -c --plan` for the "
  "same files (hop's placement is the best found, docs/placement.md; the "
  "few KiB of boot_params/trampoline/tree are zeroed buffers of the "
  "planned sizes), so what is left is the kernel's side. kexec_file_load's "
  "floor is `bench-raw file`: the two files and the syscall. Scenarios, "
  "where the initrd's pages come from: **bundle**, in the initramfs the "
  "guest booted (a LinuxBoot payload); **tmpfs**, written after boot; "
  "**churn**, written after as much again was written interleaved with a "
  "file then deleted (scattered free pages, a busy system). Initrds are "
  "zero-filled; the kernel is Debian's vmlinuz.")
w("")
w("## Load time (ms)")
w("")
w("Median (minimum) of the runs; the ratios likewise. Under TCG on a "
  "shared host, other work only ever adds time, so the minimum is the "
  "steadier estimate of a loader's own cost; the targets below are judged "
  "on the medians and the minima.")
w("")
minima = {}
w("| arch | guest MiB | scenario | syscall | initrd MiB | runs | copy floor | raw floor | hop | kexec-tools | hop / copy | kexec-tools / hop |")
w("|---|---|---|---|---|---|---|---|---|---|---|---|")
chart = []


def keyorder(k):
    g, sc, sy, z = k
    return (g, sy != "c", SCENS.index(sc) if sc in SCENS else 9, z)


for arch in archs:
    t = data[arch]["times"]
    keys = sorted({k[:4] for k in t}, key=keyorder)
    if not keys:
        why = "not measured: the load boot gave no result (QEMU exit %s; see build/bench/%s/load-*.log)" \
            % (data[arch]["load_rc"], arch)
        w("| %s | - | - | - | - | - | %s | | | | | |" % (arch, why))
    for k in keys:
        g, sc, sy, z = k
        m = {tool: med(t.get(k + (tool,), [])) for tool in TOOLS}
        lo = {tool: min(t.get(k + (tool,), [0])) or None for tool in TOOLS}
        n = max(len(t.get(k + (tool,), [])) for tool in TOOLS)
        both = lambda tool: "%s (%s)" % (fmt(m[tool]), fmt(lo[tool])) if m[tool] else "-"
        rat = lambda a, b: ("%s× (%s×)" % (fmt(ratio(m[a], m[b]), 2),
                            fmt(ratio(lo[a], lo[b]), 2))) if m[a] and m[b] else "-"
        w("| %s | %d | %s | %s | %d | %d | %s | %s | %s | %s | %s | %s |" % (
            arch, g, sc, SYSNAME[sy], z, n, both("copy"), both("raw"),
            both("hop"), both("kexec-tools"), rat("hop", "copy"),
            rat("kexec-tools", "hop")))
        chart.append((arch, k, m))
        minima[(arch,) + k] = lo
    for sk in data[arch]["skips"]:
        w("| %s | | | | | | %s | | | | | |" % (arch, sk.replace("BENCH-SKIP ", "not measured: ")))
w("")
w("Where hop put the kernel and the initrd (kexec_load), per guest, scenario and size:")
w("")
for arch in archs:
    pl = data[arch]["plans"]
    if pl:
        w("- %s: %s" % (arch, "; ".join(
            "%d MiB %s %d MiB: kernel %s, initrd %s" % (g, sc, z, v.get("kernel", "?"), v.get("initrd", "-"))
            for (g, sc, z), v in sorted(pl.items(), key=lambda kv_: keyorder(kv_[0][:2] + ("c", kv_[0][2]))))))
w("")
w("## Peak memory while loading (KiB)")
w("")
w("Anonymous: the peak of RssAnon in /proc/PID/status, polled every ms "
  "(a separate run, so polling does not slow the timed ones). Total: "
  "wait4's ru_maxrss (VmHWM: anonymous, file and shmem pages; a mapped "
  "tmpfs initrd counts here as it is touched).")
w("")
w("| arch | guest MiB | scenario | syscall | initrd MiB | anon: raw floor | anon: hop | anon: kexec-tools | total: raw floor | total: hop | total: kexec-tools |")
w("|---|---|---|---|---|---|---|---|---|---|---|")
for arch in archs:
    mm = data[arch]["mem"]
    for k in sorted({k[:4] for k in mm}, key=keyorder):
        g_ = lambda tool, j: fmt(mm[k + (tool,)][j]) if k + (tool,) in mm else "-"
        w("| %s | %d | %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
            arch, k[0], k[1], SYSNAME[k[2]], k[3], g_("raw", 0), g_("hop", 0),
            g_("kexec-tools", 0), g_("raw", 1), g_("hop", 1), g_("kexec-tools", 1)))
w("")
w("## Reboot, end to end (s, host clock)")
w("")
w("A short boot per run: `kexec -c -l` of the kernel and a %s MiB initrd "
  "(the stage-2 cpio then zeros), then `kexec -e`. From the serial line "
  "printed just before the loader starts to the next kernel's first line "
  "(`Linux version`), and to its /init's first line; \"to the jump\": to the running kernel's \"Starting new kernel\" (the loader's part and the exec; after it, both tools wait for the same kernel to unpack and boot); timestamps taken by "
  "the host as the lines arrive (tests/bench/serial.py)." % e2e_mib)
w("")
w("| arch | tool | runs | to the jump | to the next kernel | to its /init | next kernel reached |")
w("|---|---|---|---|---|---|---|")
for arch in archs:
    for tool in ["hop", "kexec-tools"]:
        r = data[arch]["e2e"].get(tool)
        if not r:
            w("| %s | %s | 0 | - | - | - | not measured |" % (arch, tool))
            continue
        n = len(r["first"]) + r["failed"]
        w("| %s | %s | %d | %s | %s | %s | %d of %d |" % (
            arch, tool, n, fmt(med(r["jump"]), 2), fmt(med(r["first"]), 2),
            fmt(med(r["stage2"]), 2), len(r["first"]), n))
w("")
w("## Size (bytes)")
w("")
w("| arch | hop (static, stripped) | kexec-tools binary | kexec-tools + its shared libraries (files) | hop / (kexec-tools + libraries) |")
w("|---|---|---|---|---|")
for arch in archs:
    i = data[arch]["info"]
    if "hop" not in i:
        w("| %s | - | - | - | - |" % arch)
        continue
    h, k, kl = int(i["hop"]), int(i["kexec_tools"]), int(i["kexec_tools_libs"])
    w("| %s | %d | %d | %d (%s) | %.2f |" % (arch, h, k, kl,
      i["kexec_tools_nfiles"], h / kl))
w("")
# every build configuration (configs/features.mk) against its budget
# (README, "Build configurations"); full has none
BUDGETS = [("minimal", 48 * 1024), ("default", 111708), ("full", None)]
w("| arch | minimal (budget %d) | default (budget %d) | full |" % (
    BUDGETS[0][1], BUDGETS[1][1]))
w("|---|---|---|---|")
for arch in archs:
    i = data[arch]["info"]
    cells = []
    for c, budget in BUDGETS:
        v = i.get("hop" if c == "full" else "hop_" + c)
        if v is None:
            cells.append("-")
        elif budget is None:
            cells.append(v)
        else:
            cells.append("%s (%s)" % (v, "within" if int(v) <= budget
                                      else "+%d" % (int(v) - budget)))
    w("| %s | %s |" % (arch, " | ".join(cells)))
w("")
w("## Targets")
w("")


def verdict(ok):
    return "**met**" if ok else "**not met**"


for arch in archs:
    rows = [(k, m) for (a, k, m) in chart if a == arch and k[2] == "c"]
    label = lambda k: "%d MiB guest %s %d MiB" % (k[0], k[1], k[3])
    rs = [(k, ratio(m["hop"], m["copy"]), ratio(minima[(arch,) + k]["hop"],
           minima[(arch,) + k]["copy"])) for k, m in rows if ratio(m["hop"], m["copy"])]
    if rs:
        worst = max(r for _, r, _ in rs)
        worst_lo = max(r or 0 for _, _, r in rs)
        w("- %s kexec_load, hop within 1.25× of the copy floor in every scenario: %s on medians, %s on minima (hop/copy: %s)" % (
            arch, verdict(worst <= 1.25), verdict(worst_lo <= 1.25),
            ", ".join("%s %.2f× (%s×)" % (label(k), r, fmt(rl, 2)) for k, r, rl in rs)))
    else:
        w("- %s kexec_load, hop within 1.25× of the copy floor: not measured" % arch)
    if arch in ("x86_64", "arm64"):
        ks = [(k, ratio(m["kexec-tools"], m["hop"])) for k, m in rows
              if k[3] == 64 and ratio(m["kexec-tools"], m["hop"])]
        if ks:
            # no loader beats the raw floor: kexec-tools/raw bounds it
            bound = [ratio(m["kexec-tools"], m["raw"]) for k, m in rows
                     if k[3] == 64 and ratio(m["kexec-tools"], m["raw"])]
            w("- %s kexec_load, 64 MiB initrd, hop ≥10× faster than kexec-tools' default: %s (kexec-tools/hop %s; kexec-tools/raw floor, the most any loader could reach: %s)" % (
                arch, verdict(min(r for _, r in ks) >= 10),
                ", ".join("%s %.1f×" % (label(k), r) for k, r in ks),
                ", ".join("%.1f×" % b for b in bound)))
        else:
            w("- %s kexec_load, 64 MiB initrd, hop ≥10× faster than kexec-tools' default: not measured" % arch)
    mm = data[arch]["mem"]
    an = [v[0] for k, v in mm.items() if k[4] == "hop" and v[0] is not None]
    if an:
        w("- %s hop peak anonymous memory ≤ 1 MiB: %s (at most %d KiB over every scenario and size)" % (
            arch, verdict(max(an) <= 1024), max(an)))
    else:
        w("- %s hop peak anonymous memory ≤ 1 MiB: not measured" % arch)
    i = data[arch]["info"]
    if "hop" in i:
        w("- %s static size < 110 KB (half of a static kexec-tools, ~220 KB on x86_64): %s (%d bytes)" % (
            arch, verdict(int(i["hop"]) < 110000), int(i["hop"])))
    e = data[arch]["e2e"]
    h, k = med(e.get("hop", {}).get("first", [])), med(e.get("kexec-tools", {}).get("first", []))
    hj, kj = med(e.get("hop", {}).get("jump", [])), med(e.get("kexec-tools", {}).get("jump", []))
    if h is not None and k is not None:
        w("- %s end to end at most half of kexec-tools': %s (hop %.2f s, kexec-tools %.2f s; to the jump %s s and %s s, the rest is the next kernel's own)" % (
            arch, verdict(h <= k / 2), h, k, fmt(hj, 2), fmt(kj, 2)))
    else:
        w("- %s end to end at most half of kexec-tools': not measured (hop %s, kexec-tools %s)" % (
            arch, fmt(h, 2), fmt(k, 2)))
errs = [(a, e) for a in archs for e in data[a]["errs"]]
if errs:
    w("")
    w("## Errors seen")
    w("")
    for a, e in errs[:40]:
        w("- %s: `%s`" % (a, e))
md = "\n".join(md) + "\n"
open(os.path.join(out, "results.md"), "w").write(md)

# the chart: one panel per (arch, guest size) of kexec_load times, a
# cluster per scenario and initrd size, a bar per loader and floor; then
# kexec_file_load's panels; gnuplot clustered histograms
panels = []
for a, k, _ in chart:
    if (a, k[0], k[2]) not in panels:
        panels.append((a, k[0], k[2]))
panels.sort(key=lambda x: (archs.index(x[0]), x[2] != "c", x[1]))
if panels:
    cols = min(len(panels), 3)
    rows_ = (len(panels) + cols - 1) // cols
    plot = ["set terminal pngcairo size %d,%d font ',9'" % (560 * cols, 420 * rows_),
            "set output '%s'" % os.path.join(out, "results.png"),
            "set style data histogram", "set style histogram clustered gap 1",
            "set style fill solid 0.8 border -1", "set key above horizontal",
            "set termoption noenhanced", "set xtics rotate by -30",
            "set multiplot layout %d,%d title 'make bench: load time, ms (QEMU TCG: ratios matter, not absolute times)'"
            % (rows_, cols)]
    for a, g, sy in panels:
        f = os.path.join(out, "chart-%s-%d-%s.dat" % (a, g, sy))
        with open(f, "w") as fh:
            fh.write("# case copy raw hop kexec-tools\n")
            for a2, k, m in chart:
                if (a2, k[0], k[2]) == (a, g, sy):
                    fh.write("%s-%d %s\n" % (k[1], k[3], " ".join(
                        "%.1f" % m[t] if m[t] is not None else "0" for t in TOOLS)))
        plot += ["set title '%s, %d MiB guest, %s'" % (a, g, SYSNAME[sy]),
                 "set yrange [0:*]",
                 "plot '%s' using 2:xtic(1) title 'copy floor', '' using 3 title 'raw floor', "
                 "'' using 4 title 'hop', '' using 5 title 'kexec-tools'" % f]
    plot.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(plot) + "\n", text=True,
                       capture_output=True)
    if r.returncode != 0:
        sys.stderr.write("hop: error: bench: gnuplot: %s\n" % r.stderr.strip())
        sys.exit(1)
print(md)
