#!/usr/bin/env python3
"""CPU of vmtop's Prometheus exporter beside Debian's
prometheus-process-exporter, both watching the same processes and
scraped alike (issue "Beyond one machine"; BENCHMARKS.md, L580).

usage: exporter.py [--duration SECONDS] [--interval SECONDS]
  defaults: 300 s (5 minutes), a scrape every 15 s

The workload is L580's: bench/fix_tree 500 10 (a 500-process tree) and
tests/fixtures/fix_threads 64 (a 64-thread malloc process).  vmtop runs
`vmtop --listen 127.0.0.1:PORT -p PIDS` with its default --budget;
process-exporter runs with its defaults (smaps gathering and per-thread
metrics on), a config that groups the same processes by name.  Both are
scraped at the same moments with Prometheus's Accept header.  Each
exporter's CPU is utime+stime of /proc/PID/stat, read after its first
scrape (start-up excluded) and after the last.  Target: vmtop at most
0.5 x process-exporter.

Run from the build directory (make bench WHAT=exporter does).
"""
import os, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.request

B = os.getcwd()
TICK = os.sysconf("SC_CLK_TCK")
# what Prometheus 2.x sends: OpenMetrics first, text format as fallback
ACCEPT = ("application/openmetrics-text;version=1.0.0,"
          "application/openmetrics-text;version=0.0.1;q=0.75,"
          "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu(pid):
    """utime+stime of a process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def scrape(url):
    """(seconds, bytes, samples, body) of one GET of url."""
    req = urllib.request.Request(url, headers={"Accept": ACCEPT})
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
    dt = time.monotonic() - t0
    samples = sum(1 for l in body.decode().splitlines()
                  if l and not l.startswith("#"))
    return dt, len(body), samples, body.decode()


def watched(body, family, label):
    """{group: processes} of an exposition's FAMILY{LABEL="..."} lines."""
    out = {}
    for l in body.splitlines():
        if l.startswith(family + "{"):
            labels, value = l.rsplit(" ", 1)
            for kv in labels[len(family) + 1:-1].split(","):
                k, _, v = kv.partition("=")
                if k == label:
                    out[v.strip('"')] = float(value)
    return out


def wait_up(url, proc, what):
    end = time.monotonic() + 30
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %d" % (what, proc.returncode))
        try:
            return scrape(url)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("%s did not serve %s" % (what, url))


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


def tree_pids(root):
    """The root and every process of its process group (fix_tree)."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                pgrp = int(f.read().rsplit(")", 1)[1].split()[2])
        except OSError:
            continue
        if pgrp == root:
            pids.append(int(d))
    return sorted(pids)


def main():
    duration, interval = 300.0, 15.0
    args = sys.argv[1:]
    while args:
        if args[0] == "--duration":
            duration = float(args[1])
        elif args[0] == "--interval":
            interval = float(args[1])
        else:
            sys.exit(__doc__)
        args = args[2:]
    pe_bin = shutil.which("prometheus-process-exporter")
    if not pe_bin:
        sys.exit("exporter.py: prometheus-process-exporter is not installed "
                 "(Debian package prometheus-process-exporter)")

    tmp = tempfile.mkdtemp(prefix="vmtop-bench-exporter.")
    procs = []
    try:
        # process-exporter selects by name, not PID: copies of the
        # fixtures under names of this run only, so that neither exporter
        # counts another user's fix_threads
        tag = "bx%d" % (os.getpid() % 100000)
        names = {"tree": tag + "_tree", "thr": tag + "_thr"}
        for k, src in (("tree", "/bench/fix_tree"),
                       ("thr", "/tests/fixtures/fix_threads")):
            shutil.copy(B + src, os.path.join(tmp, names[k]))
        tree, root = start_fixture([os.path.join(tmp, names["tree"]),
                                    "500", "10"])
        procs.append(tree)
        thr, thr_pid = start_fixture([os.path.join(tmp, names["thr"]),
                                      "64"])
        procs.append(thr)
        time.sleep(0.5)
        pids = tree_pids(root) + [thr_pid]
        print("L580 workload: %d processes of fix_tree (%s), fix_threads "
              "64 (%s, pid %d)" % (len(pids) - 1, names["tree"],
                                   names["thr"], thr_pid))

        vport, pport = free_port(), free_port()
        vm = subprocess.Popen(
            [B + "/vmtop", "--listen", "127.0.0.1:%d" % vport,
             "-p", ",".join(map(str, pids))],
            stdout=subprocess.DEVNULL, start_new_session=True)
        procs.append(vm)
        conf = os.path.join(tmp, "process-exporter.yml")
        with open(conf, "w") as f:
            f.write("process_names:\n"
                    "  - name: '{{.Comm}}'\n"
                    "    comm: [%s, %s]\n" % (names["tree"], names["thr"]))
        pe = subprocess.Popen(
            [pe_bin, "-config.path", conf,
             "-web.listen-address", "127.0.0.1:%d" % pport],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        procs.append(pe)
        urls = {"vmtop": "http://127.0.0.1:%d/metrics" % vport,
                "process-exporter": "http://127.0.0.1:%d/metrics" % pport}
        pid_of = {"vmtop": vm.pid, "process-exporter": pe.pid}
        # the first scrape of each: start-up and first full reads are
        # not what a long-running exporter costs
        wait_up(urls["vmtop"], vm, "vmtop --listen")
        wait_up(urls["process-exporter"], pe, "prometheus-process-exporter")
        c0 = {k: cpu(p) for k, p in pid_of.items()}
        stats = {k: [] for k in urls}
        n = max(1, int(duration // interval))
        print("scraping both every %g s for %g s (%d scrapes each)"
              % (interval, n * interval, n))
        t_next = time.monotonic()
        for i in range(n):
            t_next += interval
            time.sleep(max(0.0, t_next - time.monotonic()))
            for k, u in urls.items():
                stats[k].append(scrape(u))
        c1 = {k: cpu(p) for k, p in pid_of.items()}

        # both must have watched the same processes for a fair figure
        print("  processes watched: vmtop %r, process-exporter %r"
              % (watched(stats["vmtop"][-1][3], "vmtop_processes", "group"),
                 watched(stats["process-exporter"][-1][3],
                         "namedprocess_namegroup_num_procs", "groupname")))
        used = {k: c1[k] - c0[k] for k in urls}
        for k in urls:
            s = stats[k]
            print("  %-18s CPU %7.3f s (%6.1f ms per scrape)  "
                  "scrape %5.1f ms  %6d samples  %7d bytes"
                  % (k, used[k], used[k] / n * 1000,
                     sum(x[0] for x in s) / n * 1000, s[-1][2], s[-1][1]))
        pe_cpu = used["process-exporter"]
        if pe_cpu > 0:
            ratio = used["vmtop"] / pe_cpu
            print("  vmtop / process-exporter CPU: %.2f  (target <= 0.50: "
                  "%s)" % (ratio, "met" if ratio <= 0.5 else "NOT met"))
        else:
            print("  process-exporter used no measurable CPU")
    finally:
        for p in reversed(procs):
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
