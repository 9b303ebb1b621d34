#!/usr/bin/env python3
"""vmtop TUI steady-state cost (BENCHMARKS.md targets):

  map   vmtop -d 1 watching the memory-map tree of a 60 000-mapping
        process (bench/fix_maps 50000 10000), as it opens and with
        everything unfolded (*): <= 5 % of one core
  list  vmtop at the default refresh showing the idle process list:
        <= 0.5 % of one core

usage: tui.py [--seconds S] [map|list|all]

Run from the build directory (it expects ./vmtop and bench/fix_maps).
vmtop runs in a private tmux server (100x30); its CPU is utime+stime from
/proc/PID/stat over S seconds (default 20) after a warm-up, so the cost
of opening the view is not counted.  Every process started is killed by
its PID at the end.
"""
import os, shutil, signal, subprocess, sys, tempfile, time

B = os.getcwd()
HZ = os.sysconf("SC_CLK_TCK")
SECONDS = 20


class Tmux:
    def __init__(self, cmd):
        self.dir = tempfile.mkdtemp(prefix="vmtop-bench-")
        self.sock = os.path.join(self.dir, "sock")
        env = "env TERM=screen LC_ALL=C.UTF-8 "
        self.run("-f", "/dev/null", "new-session", "-d", "-x", "100",
                 "-y", "30", "-s", "b", env + " ".join(cmd))

    def run(self, *args):
        return subprocess.run(["tmux", "-S", self.sock] + list(args),
                              capture_output=True, text=True).stdout

    def screen(self):
        return self.run("capture-pane", "-t", "b", "-p")

    def keys(self, *k):
        self.run("send-keys", "-t", "b", *k)

    def wait(self, text, limit=30):
        end = time.time() + limit
        while time.time() < end:
            if text in self.screen():
                return True
            time.sleep(0.1)
        raise RuntimeError("timed out waiting for %r:\n%s"
                           % (text, self.screen()))

    def vmtop_pid(self):
        """The vmtop process in the pane: the pane's process or the
        descendant named vmtop (the shell may not exec it)."""
        todo = [int(self.run("list-panes", "-t", "b", "-F",
                             "#{pane_pid}").split()[0])]
        while todo:
            pid = todo.pop()
            if comm(pid) == "vmtop":
                return pid
            todo += children(pid)
        raise RuntimeError("no vmtop process in the pane")

    def close(self):
        self.run("kill-server")
        shutil.rmtree(self.dir, ignore_errors=True)


def stat_fields(pid):
    with open("/proc/%d/stat" % pid) as f:
        head, tail = f.read().rsplit(")", 1)
    return head.split("(", 1)[1], tail.split()


def comm(pid):
    try:
        return stat_fields(pid)[0]
    except OSError:
        return None


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if int(stat_fields(int(d))[1][1]) == pid:
                    out.append(int(d))
            except OSError:
                pass
    return out


def ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def cpu_pct(pid, seconds):
    t0, w0 = ticks(pid), time.monotonic()
    time.sleep(seconds)
    t1, w1 = ticks(pid), time.monotonic()
    return (t1 - t0) / HZ / (w1 - w0) * 100


def start_fixture(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                         start_new_session=True)
    return p, int(p.stdout.readline().split()[0])


def stop(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def status_line(screen):
    lines = [l for l in screen.splitlines() if "smaps every" in l]
    return lines[0].strip() if lines else "?"


def bench_map(seconds, unfold):
    fix, pid = start_fixture([B + "/bench/fix_maps", "50000", "10000"])
    tm = None
    try:
        tm = Tmux([B + "/vmtop", "-d", "1", "-p", str(pid)])
        tm.wait(" %d " % pid)
        tm.keys("Enter")
        tm.wait("smaps every", 60)
        if unfold:
            tm.keys("*")  # the worst case: all 60 000 regions laid out
        vm = tm.vmtop_pid()
        time.sleep(3)  # warm-up: the first samples and the first cadence
        pct = cpu_pct(vm, seconds)
        status = status_line(tm.screen())
    finally:
        if tm:
            tm.close()
        stop(fix)
    print("map view, T-60k, -d 1%s: %.2f %% of one core over %d s "
          "(target <= 5 %%)" % (", all unfolded" if unfold else "", pct,
                                seconds))
    print("  status line: %s" % status)
    return pct


def bench_list(seconds):
    tm = Tmux([B + "/vmtop"])
    try:
        tm.wait("Tasks:")
        vm = tm.vmtop_pid()
        time.sleep(3)
        pct = cpu_pct(vm, seconds)
    finally:
        tm.close()
    n = sum(1 for d in os.listdir("/proc") if d.isdigit())
    print("process list, default refresh, %d processes: %.3f %% of one "
          "core over %d s (target <= 0.5 %%)" % (n, pct, seconds))
    return pct


def main():
    args = sys.argv[1:]
    seconds = SECONDS
    if len(args) >= 2 and args[0] == "--seconds":
        seconds = float(args[1])
        args = args[2:]
    what = args[0] if args else "all"
    if what not in ("map", "list", "all"):
        sys.exit(__doc__)
    if what in ("map", "all"):
        bench_map(seconds, False)
        bench_map(seconds, True)
    if what in ("list", "all"):
        bench_list(seconds)


if __name__ == "__main__":
    main()
