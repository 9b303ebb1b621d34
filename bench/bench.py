#!/usr/bin/env python3
"""vmtop benchmarks: CPU of vmtop beside its peers and the kernel floor,
measured side by side in one run (BENCHMARKS.md).  Prints ratios.

usage: bench.py [--reps N] list|maps|all|tui|keys|refreshing|exporter
                [ARGS]
  list   CPU per refresh of the process list at L80 (this machine) and
         L580 (500 idle processes + one 64-thread malloc process):
         vmtop -b vs top -b vs the /proc floor (procread)
  maps   CPU of one whole `vmtop -b -n 1 -m -J -p PID` on T-typ, T-thr,
         T-10k and T-60k vs `cat /proc/PID/smaps`, `cat maps`, `pmap -x`
  tui    steady CPU of the TUI watching the T-60k tree at -d 1 and of the
         idle list at the default refresh (bench/tui.py)
  keys   key-to-screen latency in the map view of T-60k, at 80x24 and
         160x50: every key within 50 ms (bench/tui.py keys)
  refreshing
         the same while vmtop refreshes that map every second: keys sent
         at random moments for 60 s, those sent during a refresh's read
         counted apart (bench/tui.py refreshing)
  columns  the list with PSS and USS vs htop with PSS at L580, and
         without memory columns vs a base build (bench/columns.py;
         ARGS: --seconds S, --base VMTOP)
  exporter  CPU of vmtop --listen vs prometheus-process-exporter, both
         scraped every 15 s for 5 minutes at L580 (bench/exporter.py;
         ARGS: --duration SECONDS, --interval SECONDS)

Run from the build directory (make bench does): it expects ./vmtop,
bench/procread, bench/fix_tree, bench/fix_maps, tests/fixtures/fix_threads.
CPU is user+sys of the child (getrusage), the median of --reps runs.
"""
import os, resource, signal, statistics, subprocess, sys, time

REPS = 7
B = os.getcwd()


def cpu_of(cmd, **kw):
    """CPU seconds (user+sys) that one run of cmd took."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, **kw)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def med(f, reps=None):
    xs = sorted(f() for _ in range(reps or REPS))
    return statistics.median(xs), xs[0], xs[-1]


def per_refresh(cmd_n):
    """CPU ms of one extra refresh: (cost(21) - cost(1)) / 20."""
    def once():
        return (cpu_of(cmd_n(21)) - cpu_of(cmd_n(1))) / 20 * 1000
    return med(once)


def floor_list(files):
    out = subprocess.run([B + "/bench/procread", "list", "200", files],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("cpu"):
            return float(line.split()[3]) / 1000  # median, in ms
    raise RuntimeError(out)


def start(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                         start_new_session=True)
    first = p.stdout.readline().split()
    return p, int(first[0])


def stop(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def nprocs():
    return sum(1 for d in os.listdir("/proc") if d.isdigit())


def row(name, value, unit, ref=None, refname=""):
    ratio = "" if not ref else "  %.2f x %s" % (value[0] / ref[0], refname)
    print("  %-34s %8.2f %s  (min %.2f, max %.2f)%s"
          % (name, value[0], unit, value[1], value[2], ratio))


def bench_list_at(label):
    print("%s: %d processes" % (label, nprocs()))
    vm = per_refresh(lambda n: [B + "/vmtop", "-b", "-d", "0", "-n", str(n)])
    top = per_refresh(lambda n: ["top", "-b", "-d", "0.01", "-n", str(n)])
    fl = med(lambda: floor_list("SMU"), 3)
    fk = med(lambda: floor_list("SMKU"), 3)
    row("top -b, per refresh", top, "ms")
    row("floor stat+statm+uid (open/close)", fl, "ms")
    row("floor, fds kept open (pread)", fk, "ms")
    row("vmtop -b, per refresh", vm, "ms", top, "top")
    print("  vmtop / floor (open/close): %.2f   vmtop / kept-open floor: %.2f"
          % (vm[0] / fl[0], vm[0] / fk[0]))


def bench_list():
    bench_list_at("L80")
    tree, _ = start([B + "/bench/fix_tree", "500", "10"])
    thr, _ = start([B + "/tests/fixtures/fix_threads", "64"])
    try:
        time.sleep(0.5)
        bench_list_at("L580")
    finally:
        stop(tree)
        stop(thr)


def bench_maps_one(label, cmd):
    p, pid = start(cmd)
    try:
        with open("/proc/%d/maps" % pid) as f:
            n = sum(1 for _ in f)
        print("%s: %d mappings (pid %d)" % (label, n, pid))
        # round-robin: each repetition runs every tool once, so that a
        # change of load on the machine weighs on all of them alike
        cmds = {
            "smaps": ["cat", "/proc/%d/smaps" % pid],
            "maps": ["cat", "/proc/%d/maps" % pid],
            "pmap": ["pmap", "-x", str(pid)],
            "vm": [B + "/vmtop", "-b", "-n", "1", "-m", "-J", "-p", str(pid)],
        }
        runs = {k: [] for k in cmds}
        for _ in range(max(REPS, 9)):
            for k, c in cmds.items():
                runs[k].append(cpu_of(c) * 1000)
        smaps, maps, pmap, vm = (
            (statistics.median(v), min(v), max(v))
            for v in (runs["smaps"], runs["maps"], runs["pmap"], runs["vm"]))
        row("cat smaps", smaps, "ms")
        row("cat maps", maps, "ms")
        row("pmap -x", pmap, "ms")
        row("vmtop -b -n 1 -m -J -p PID", vm, "ms", smaps, "cat smaps")
        print("  vmtop / pmap -x: %.2f" % (vm[0] / pmap[0]))
    finally:
        stop(p)


def bench_maps():
    libs = [l for l in ("libz.so.1", "libm.so.6", "libpcre2-8.so.0",
                        "libncursesw.so.6", "libtinfo.so.6", "libcrypt.so.1",
                        "libgcc_s.so.1", "libstdc++.so.6", "libexpat.so.1",
                        "libbz2.so.1.0", "liblzma.so.5", "libzstd.so.1")]
    bench_maps_one("T-typ", [B + "/bench/fix_maps", "0", "0"] + libs)
    bench_maps_one("T-thr", [B + "/tests/fixtures/fix_threads", "64"])
    bench_maps_one("T-10k", [B + "/bench/fix_maps", "8000", "2000"])
    bench_maps_one("T-60k", [B + "/bench/fix_maps", "50000", "10000"])


def bench_tui():
    """Steady CPU of the interactive program: bench/tui.py (not in all:
    it takes about a minute of wall time)."""
    subprocess.run([sys.executable,
                    os.path.join(os.path.dirname(__file__), "tui.py")],
                   check=True)


def main():
    global REPS
    args = sys.argv[1:]
    if args[:1] == ["--reps"]:
        REPS = int(args[1])
        args = args[2:]
    what = args[0] if args else "all"
    if what in ("list", "all"):
        bench_list()
    if what in ("maps", "all"):
        bench_maps()
    if what == "tui":
        bench_tui()
    if what == "columns":
        subprocess.run([sys.executable,
                        os.path.join(os.path.dirname(__file__),
                                     "columns.py")] + args[1:], check=True)
    if what == "exporter":
        subprocess.run([sys.executable,
                        os.path.join(os.path.dirname(__file__),
                                     "exporter.py")] + args[1:], check=True)
    if what == "keys":
        for size in ("80x24", "160x50"):
            subprocess.run([sys.executable,
                            os.path.join(os.path.dirname(__file__), "tui.py"),
                            "--size", size, "keys"], check=True)
    if what == "refreshing":
        subprocess.run([sys.executable,
                        os.path.join(os.path.dirname(__file__), "tui.py"),
                        "--seconds", "60", "--size", "80x24", "refreshing"],
                       check=True)


if __name__ == "__main__":
    main()
