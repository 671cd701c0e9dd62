#!/usr/bin/env python3
"""report.py OUT "ARCHS" E2E_MIB: reads what tests/bench/bench.sh left in
OUT/<arch>/ (load.log, e2e-*.log: serial lines with host timestamps;
info.txt: sizes and versions) and writes OUT/results.md and OUT/results.png
(gnuplot), then prints the markdown. Every figure is computed from those
logs; a missing one is shown as "-" with the reason when known."""
import glob, os, re, statistics, subprocess, sys

out, archs, e2e_mib = sys.argv[1], sys.argv[2].split(), sys.argv[3]
TOOLS = ["raw", "hop", "kexec-tools"]
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
    times, mem, errs, skips = {}, {}, [], []
    meminfo = None
    for _, line in read_log(os.path.join(d, "load.log")):
        if line.startswith("BENCH load ") or line.startswith("BENCH mem "):
            f = kv(line)
            key = (f["sys"], int(f["size"]), f["tool"])
            if f.get("rc") != "0":
                errs.append("%s: exit %s" % (line.split(" rc=")[0][6:], f.get("rc")))
                continue
            if line.startswith("BENCH load "):
                times.setdefault(key, []).append(int(f["us"]) / 1000.0)
            else:
                mem[key] = (None if f["anon_kb"] == "-" else int(f["anon_kb"]),
                            int(f["maxrss_kb"]))
        elif line.startswith("BENCH-SKIP") or line.startswith("BENCH-ERR"):
            (skips if line.startswith("BENCH-SKIP") else errs).append(line)
        elif line.startswith("BENCH-INFO"):
            meminfo = kv(line)
    loaded = os.path.exists(os.path.join(d, "load.log"))
    load_rc = open(os.path.join(d, "load.rc")).read().strip() \
        if os.path.exists(os.path.join(d, "load.rc")) else "?"
    e2e = {}
    for path in sorted(glob.glob(os.path.join(d, "e2e-*.log"))):
        tool = re.sub(r"^e2e-(.*)-\d+\.log$", r"\1", os.path.basename(path))
        rows = read_log(path)
        start = first = stage2 = None
        for t, line in rows:
            if start is None:
                if line.startswith("BENCH-E2E start"):
                    start = t
            elif first is None and "Linux version" in line:
                first = t
            elif first is not None and line.startswith("HOP-STAGE2"):
                stage2 = t
                break
        r = e2e.setdefault(tool, {"first": [], "stage2": [], "failed": 0})
        if start is not None and first is not None:
            r["first"].append(first - start)
            if stage2 is not None:
                r["stage2"].append(stage2 - start)
        else:
            r["failed"] += 1
    data[arch] = dict(info=info, times=times, mem=mem, errs=errs, skips=skips,
                      meminfo=meminfo, e2e=e2e, loaded=loaded, load_rc=load_rc)

md = []
w = md.append
w("# make bench: hop, kexec-tools and the raw floor")
w("")
w("Produced by `make bench` (BENCH_ARCHS=\"%s\"). " % " ".join(archs)
  + "**Figures come from QEMU TCG (no KVM) on a shared 2-core host: absolute "
  "times are emulation times, the ratios are what matters.** "
  "Load times are medians of the runs listed; one QEMU at a time.")
w("")
for arch in archs:
    i = data[arch]["info"]
    mi = data[arch]["meminfo"] or {}
    w("- %s: kernel %s, QEMU -m %s (MemTotal %s kB), hop %s, kexec-tools %s (Debian)"
      % (arch, i.get("kernel", "?"), i.get("mem_mib", "?"),
         mi.get("memtotal_kb", "?"), i.get("hop_version", "?"),
         i.get("kexec_tools_version", "?")))
w("")
w("What is measured: `bench-run` (tests/bench/run.c) fork+execs each loader "
  "and times it from before the fork to wait4's return (the load syscall is "
  "the last thing each does; kexec-tools' time includes its dynamic "
  "linking). Each load is undone with `kexec -u` before the next; the three "
  "loaders alternate run by run. The floor, `bench-raw` (tests/bench/raw.c), "
  "opens the two files and calls kexec_file_load, or, for kexec_load, "
  "mmaps them and calls kexec_load with the segments of `hop kexec -c "
  "--plan` for the same files (planned before the timed runs; the few KiB "
  "of boot_params/trampoline/tree are zeroed buffers of the planned sizes), "
  "so what is left is the kernel's copy. Initrds are zero-filled files in "
  "the guest's tmpfs; the kernel is Debian's vmlinuz.")
w("")
w("## Load time (ms)")
w("")
w("Median (minimum) of the runs; the ratios likewise. Under TCG on a "
  "shared host, other work only ever adds time, so the minimum is the "
  "steadier estimate of a loader's own cost; the targets below are judged "
  "on the medians, with the minima alongside.")
w("")
minima = {}
w("| arch | syscall | initrd MiB | runs | raw floor | hop | kexec-tools | hop / floor | kexec-tools / hop |")
w("|---|---|---|---|---|---|---|---|---|")
chart = []
for arch in archs:
    t = data[arch]["times"]
    keys = sorted({(s, z) for (s, z, _) in t}, key=lambda k: (k[0] != "c", k[1]))
    if not keys:
        why = "not measured: the load boot gave no result (QEMU exit %s; see build/bench/%s/load.log)" \
            % (data[arch]["load_rc"], arch)
        w("| %s | - | - | - | %s | | | | |" % (arch, why))
    for s, z in keys:
        m = {tool: med(t.get((s, z, tool), [])) for tool in TOOLS}
        lo = {tool: min(t.get((s, z, tool), [0])) or None for tool in TOOLS}
        n = max(len(t.get((s, z, tool), [])) for tool in TOOLS)
        both = lambda tool: "%s (%s)" % (fmt(m[tool]), fmt(lo[tool]))
        rat = lambda d, a, b: ("%s× (%s×)" % (fmt(ratio(d[a], d[b]), 2),
                               fmt(ratio(lo[a], lo[b]), 2))) \
            if d[a] and d[b] else "-"
        w("| %s | %s | %d | %d | %s | %s | %s | %s | %s |" % (
            arch, SYSNAME[s], z, n, both("raw"), both("hop"),
            both("kexec-tools"), rat(m, "hop", "raw"),
            rat(m, "kexec-tools", "hop")))
        chart.append((arch, s, z, m))
        minima[(arch, s, z)] = lo
    for sk in data[arch]["skips"]:
        w("| %s | | | | %s | | | | |" % (arch, sk.replace("BENCH-SKIP ", "not measured: ")))
w("")
w("## Peak memory while loading (KiB)")
w("")
w("Anonymous: the peak of RssAnon in /proc/PID/status, polled every ms "
  "(a separate run, so polling does not slow the timed ones). Total: "
  "wait4's ru_maxrss (VmHWM: anonymous, file and shmem pages; a mapped "
  "tmpfs initrd counts here as it is touched).")
w("")
w("| arch | syscall | initrd MiB | anon: floor | anon: hop | anon: kexec-tools | total: floor | total: hop | total: kexec-tools |")
w("|---|---|---|---|---|---|---|---|---|")
for arch in archs:
    mm = data[arch]["mem"]
    keys = sorted({(s, z) for (s, z, _) in mm}, key=lambda k: (k[0] != "c", k[1]))
    for s, z in keys:
        g = lambda tool, j: fmt(mm[(s, z, tool)][j]) if (s, z, tool) in mm else "-"
        w("| %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
            arch, SYSNAME[s], z, g("raw", 0), g("hop", 0), g("kexec-tools", 0),
            g("raw", 1), g("hop", 1), g("kexec-tools", 1)))
w("")
w("## Reboot, end to end (s, host clock)")
w("")
w("A short boot per run: `kexec -c -l` of the kernel and a %s MiB initrd "
  "(the stage-2 cpio then zeros), then `kexec -e`. From the serial line "
  "printed just before the loader starts to the next kernel's first line "
  "(`Linux version`), and to its /init's first line; timestamps taken by "
  "the host as the lines arrive (tests/bench/serial.py)." % e2e_mib)
w("")
w("| arch | tool | runs | to the next kernel | to its /init | next kernel reached |")
w("|---|---|---|---|---|---|")
for arch in archs:
    for tool in ["hop", "kexec-tools"]:
        r = data[arch]["e2e"].get(tool)
        if not r:
            w("| %s | %s | 0 | - | - | not measured |" % (arch, tool))
            continue
        n = len(r["first"]) + r["failed"]
        w("| %s | %s | %d | %s | %s | %d of %d |" % (
            arch, tool, n, fmt(med(r["first"]), 2), fmt(med(r["stage2"]), 2),
            len(r["first"]), n))
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
    rows = [(z, m) for (a, s, z, m) in chart if a == arch and s == "c"]
    rs = [(z, ratio(m["hop"], m["raw"])) for z, m in rows if ratio(m["hop"], m["raw"])]
    lrs = [(z, ratio(minima[(arch, "c", z)]["hop"], minima[(arch, "c", z)]["raw"]))
           for z, _ in rows if ratio(minima[(arch, "c", z)]["hop"], minima[(arch, "c", z)]["raw"])]
    if rs:
        worst = max(r for _, r in rs)
        w("- %s kexec_load, hop within 1.2× of the floor: %s on medians (hop/floor %s; on minima %s)" % (
            arch, verdict(worst <= 1.2),
            ", ".join("%d MiB %.2f×" % (z, r) for z, r in rs),
            ", ".join("%d MiB %.2f×" % (z, r) for z, r in lrs)))
    else:
        w("- %s kexec_load, hop within 1.2× of the floor: not measured" % arch)
    if arch in ("x86_64", "arm64"):
        ks = [(z, ratio(m["kexec-tools"], m["hop"])) for z, m in rows
              if ratio(m["kexec-tools"], m["hop"])]
        if ks:
            w("- %s kexec_load, hop ≥2× faster than kexec-tools: %s (kexec-tools/hop %s)" % (
                arch, verdict(min(r for _, r in ks) >= 2),
                ", ".join("%d MiB %.2f×" % (z, r) for z, r in ks)))
        else:
            w("- %s kexec_load, hop ≥2× faster than kexec-tools: not measured" % arch)
    mm = data[arch]["mem"]
    an = [(s, v[0]) for (s, z, tool), v in mm.items()
          if tool == "hop" and z == 256 and v[0] is not None]
    if an:
        w("- %s hop peak anonymous memory with a 256 MiB initrd < 2 MiB: %s (%s)" % (
            arch, verdict(max(v for _, v in an) < 2048),
            ", ".join("%s %d KiB" % (SYSNAME[s], v) for s, v in sorted(an))))
    else:
        w("- %s hop peak anonymous memory with a 256 MiB initrd < 2 MiB: not measured" % arch)
    i = data[arch]["info"]
    if "hop" in i:
        w("- %s static size < 110 KB (half of a static kexec-tools, ~220 KB on x86_64): %s (%d bytes)" % (
            arch, verdict(int(i["hop"]) < 110000), int(i["hop"])))
    e = data[arch]["e2e"]
    h, k = med(e.get("hop", {}).get("first", [])), med(e.get("kexec-tools", {}).get("first", []))
    if h is not None and k is not None:
        w("- %s end to end no slower than kexec-tools: %s (hop %.2f s, kexec-tools %.2f s)" % (
            arch, verdict(h <= k), h, k))
    else:
        w("- %s end to end no slower than kexec-tools: not measured (hop %s, kexec-tools %s)" % (
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

# the chart: load time per (arch, syscall) panel, then hop's and
# kexec-tools' anonymous peak per arch; gnuplot clustered histograms
panels = sorted({(a, s) for a, s, _, _ in chart},
                key=lambda k: (archs.index(k[0]), k[0] != "c" and k[1] != "c"))
if panels:
    plot = ["set terminal pngcairo size %d,700 font ',9'" % (380 * max(len(panels), len(archs))),
            "set output '%s'" % os.path.join(out, "results.png"),
            "set style data histogram", "set style histogram clustered gap 1",
            "set style fill solid 0.8 border -1", "set key top left",
            "set termoption noenhanced",
            "set multiplot layout 2,%d title 'make bench (QEMU TCG: ratios matter, not absolute times)'"
            % max(len(panels), len(archs))]
    for a, s in panels:
        f = os.path.join(out, "chart-%s-%s.dat" % (a, s))
        with open(f, "w") as fh:
            fh.write("# size raw hop kexec-tools\n")
            for a2, s2, z, m in chart:
                if (a2, s2) == (a, s):
                    fh.write("%d %s\n" % (z, " ".join(
                        "%.1f" % m[t] if m[t] is not None else "0" for t in TOOLS)))
        plot += ["set title '%s %s: load time (ms)'" % (a, SYSNAME[s]),
                 "set xlabel 'initrd MiB'", "unset logscale y", "set yrange [0:*]",
                 "plot '%s' using 2:xtic(1) title 'raw floor', '' using 3 title 'hop', "
                 "'' using 4 title 'kexec-tools'" % f]
    for _ in range(max(len(panels), len(archs)) - len(panels)):
        plot.append("set multiplot next")
    for a in archs:
        f = os.path.join(out, "chart-%s-mem.dat" % a)
        mm = data[a]["mem"]
        with open(f, "w") as fh:
            fh.write("# size raw hop kexec-tools\n")
            for z in sorted({z for (s, z, _) in mm if s == "c"}):
                fh.write("%d %s\n" % (z, " ".join(
                    "%.3f" % (mm[("c", z, t)][0] / 1024.0)
                    if ("c", z, t) in mm and mm[("c", z, t)][0] else "0.001"
                    for t in TOOLS)))
        plot += ["set title '%s kexec_load: peak anonymous memory (MiB, log)'" % a,
                 "set logscale y", "set yrange [0.01:*]",
                 "plot '%s' using 2:xtic(1) title 'raw floor', '' using 3 title 'hop', "
                 "'' using 4 title 'kexec-tools'" % f]
    plot.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(plot) + "\n", text=True,
                       capture_output=True)
    if r.returncode != 0:
        sys.stderr.write("hop: error: bench: gnuplot: %s\n" % r.stderr.strip())
        sys.exit(1)
print(md)
