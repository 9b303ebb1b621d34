#!/usr/bin/env python3
"""The list's memory columns at L580 (500 idle processes + one 64-thread
malloc process), measured side by side:

  pss   vmtop --columns +PSS,USS -d 1 (the TUI, its rollup cadence on)
        vs htop -d 10 with its PSS column (htop reads smaps_rollup of
        every process at each refresh): CPU ms per refresh, from
        utime+stime of /proc/PID/stat over --seconds after a warm-up;
        the target is vmtop <= htop
  base  without memory columns, this vmtop vs --base VMTOP (main's
        build): CPU ms per refresh of `vmtop -b -d 0` (bench.py's
        per_refresh) and of the TUI at -d 1; the target is a ratio of 1

usage: columns.py [--seconds S] [--base PATH] [pss|base|all]

Run from the build directory (make bench WHAT=columns does): it expects
./vmtop, bench/fix_tree and tests/fixtures/fix_threads; htop is Debian's
package (apt-get install htop), run with a settings file of its own in a
temporary HOME (fields of its default screen and PSS; kernel threads
hidden, as in vmtop).  Every process started is killed by its PID.
"""
import os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import tui  # noqa: E402

B = os.getcwd()
SECONDS = 20
# htop 3.x's field numbers (linux/ProcessField.h): its default screen,
# then M_PSS (119) before COMMAND (1)
HTOP_FIELDS = "0 48 17 18 38 39 40 2 46 47 49 119 1"


def stat_of(pid):
    """(comm, ppid) from /proc/PID/stat read as bytes: other processes'
    names may be anything."""
    with open("/proc/%d/stat" % pid, "rb") as f:
        head, tail = f.read().rsplit(b")", 1)
    return head.split(b"(", 1)[1].decode("utf-8", "replace"), \
        int(tail.split()[1])


def find_in_pane(tm, name):
    """The process named name under the pane's shell."""
    root = int(tm.run("list-panes", "-t", "b", "-F",
                      "#{pane_pid}").split()[0])
    todo = [root]
    while todo:
        p = todo.pop()
        try:
            if stat_of(p)[0] == name:
                return p
        except OSError:
            pass
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    if stat_of(int(d))[1] == p:
                        todo.append(int(d))
                except OSError:
                    pass
    raise RuntimeError("no %s in the pane" % name)


def per_refresh_ms(pid, seconds, interval):
    """CPU ms per refresh of a program refreshing every interval s."""
    return tui.cpu_pct(pid, seconds) / 100 * interval * 1000


def htop_home(fields):
    home = tempfile.mkdtemp(prefix="vmtop-bench-htop-")
    os.makedirs(os.path.join(home, ".config", "htop"))
    with open(os.path.join(home, ".config", "htop", "htoprc"), "w") as f:
        f.write("htop_version=3.2.2\nconfig_reader_min_version=3\n"
                "fields=%s\nhide_kernel_threads=1\n"
                "hide_userland_threads=1\nsort_key=46\nsort_direction=-1\n"
                "delay=10\n" % fields)
    return home


def watch(cmd, want, seconds, interval, name):
    """Starts cmd in tmux, waits for want on screen, warms up, measures."""
    tm = tui.Tmux(cmd)
    try:
        tm.wait(want, 30)
        time.sleep(3)
        pid = find_in_pane(tm, name)
        return per_refresh_ms(pid, seconds, interval), tm.screen()
    finally:
        tm.close()


def bench_pss(seconds):
    if not shutil.which("htop"):
        print("pss: htop is not installed (apt-get install htop): skipped")
        return
    home = htop_home(HTOP_FIELDS)
    try:
        ht, hscreen = watch(["env", "HOME=" + home,
                             "XDG_CONFIG_HOME=" + home + "/.config",
                             "htop", "-d", "10"], "PSS", seconds, 1.0,
                            "htop")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    vm, vscreen = watch([B + "/vmtop", "-d", "1", "--columns", "+PSS,USS"],
                        "PSS/USS up to", seconds, 1.0, "vmtop")
    age = [l for l in vscreen.splitlines() if "PSS/USS up to" in l]
    print("L580 (%d processes), refresh 1 s, %d s each:"
          % (bench.nprocs(), seconds))
    print("  htop -d 10 with PSS, per refresh    %8.2f ms" % ht)
    print("  vmtop --columns +PSS,USS, per refresh %6.2f ms  %.2f x htop"
          % (vm, vm / ht))
    if age:
        print("  vmtop's header: %s"
              % age[0][age[0].index("PSS/USS"):].strip())


def bench_base(seconds, base):
    if not base:
        print("base: no --base VMTOP given (main's build): skipped")
        return
    print("L580 (%d processes), without memory columns:" % bench.nprocs())
    for label, prog in (("this vmtop", B + "/vmtop"), ("--base", base)):
        b = bench.per_refresh(lambda n: [prog, "-b", "-d", "0", "-n",
                                         str(n)])
        bench.row("%s -b, per refresh" % label, b, "ms")
        if label == "this vmtop":
            mine = b
    base_b = b
    print("  batch ratio this / base: %.2f" % (mine[0] / base_b[0]))
    tuis = []
    for prog in (B + "/vmtop", base):
        ms, _ = watch([prog, "-d", "1"], "Tasks:", seconds, 1.0, "vmtop")
        tuis.append(ms)
    print("  TUI -d 1 per refresh: this %.2f ms, base %.2f ms, ratio %.2f"
          % (tuis[0], tuis[1], tuis[0] / tuis[1]))


def main():
    global SECONDS
    args = sys.argv[1:]
    base = None
    while args[:1] and args[0].startswith("--"):
        if args[0] == "--seconds":
            SECONDS = int(args[1])
        elif args[0] == "--base":
            base = args[1]
        args = args[2:]
    what = args[0] if args else "all"
    tree, _ = bench.start([B + "/bench/fix_tree", "500", "10"])
    thr, _ = bench.start([B + "/tests/fixtures/fix_threads", "64"])
    try:
        time.sleep(0.5)
        if what in ("pss", "all"):
            bench_pss(SECONDS)
        if what in ("base", "all"):
            bench_base(SECONDS, base)
    finally:
        bench.stop(tree)
        bench.stop(thr)


if __name__ == "__main__":
    main()
