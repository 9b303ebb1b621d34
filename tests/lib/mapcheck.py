#!/usr/bin/env python3
"""mapcheck: checks vmtop's "maps" JSON object against outside truth.

usage: mapcheck.py COMMAND PID [ARGS...]   ($VMTOP names the program)
  invariants PID [--loose]  leaves = /proc/PID/maps, categories add up to
                            VmSize, rss to smaps_rollup, reserved to ---p
  arenas PID XML [CAP]      arenas match malloc_info's <heap nr>=1 entries;
                            with CAP, exactly CAP arenas with the main one
  stacks PID KIB TID...     each TID has a stack of KIB plus a guard
  libs PID PATH...          each library is one group holding all its
                            segments of /proc/PID/maps
  dns PID PATH              PATH is a library tagged dns, in resolver
Exit status 0 when the check holds, 3 when the process went away while
it was checked, 4 when it kept changing its mappings or Rss (--loose), else 1;
diagnostics on stdout start with '#'.
"""
import json
import os
import re
import subprocess
import sys


def fail(msg):
    print("# " + msg)
    sys.exit(1)


class Gone(Exception):
    """The process exited while it was being checked."""


def vmtop_maps(pid):
    cmd = [os.environ["VMTOP"], "-b", "-n", "1", "-m", "-J", "-p", str(pid)]
    out = subprocess.run(cmd, capture_output=True, text=True,
                         errors="surrogateescape", timeout=60)
    if out.returncode != 0:
        fail("vmtop exited %d: %s" % (out.returncode, out.stderr.strip()))
    if not os.path.exists("/proc/%d" % pid):
        raise Gone()
    for line in out.stdout.splitlines():
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except ValueError:
            if not os.path.exists("/proc/%d" % pid):
                raise Gone()
            raise
        for p in doc["processes"]:
            if p["pid"] == pid and p.get("maps") is not None:
                return p["maps"]
    if not os.path.exists("/proc/%d" % pid):
        raise Gone()
    fail("no maps object for pid %d" % pid)


def proc_maps(pid):
    """(start, end, perms, path) of each line of /proc/PID/maps."""
    res = []
    with open("/proc/%d/maps" % pid, errors="surrogateescape") as f:
        for line in f:
            parts = line.rstrip("\n").split(None, 5)
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            res.append((lo, hi, parts[1], parts[5] if len(parts) > 5 else ""))
    return res


def status_kib(pid, key):
    with open("/proc/%d/status" % pid, errors="surrogateescape") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def rollup_rss(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Rss:"):
                return int(line.split()[1])
    return None


def regions(maps):
    for cat in maps["categories"]:
        for grp in cat["groups"]:
            for reg in grp["regions"]:
                yield cat, grp, reg


class Busy(Exception):
    """The process changed its mappings while it was being checked."""


def check_invariants(pid, loose):
    before = (proc_maps(pid), status_kib(pid, "VmSize"))
    rss_before = rollup_rss(pid)
    maps = vmtop_maps(pid)
    lines = proc_maps(pid)
    vmsize = status_kib(pid, "VmSize")
    rss = rollup_rss(pid)
    if loose and before != (lines, vmsize):
        raise Busy()
    # a process that touches or frees memory while it is read is as busy
    # as one that maps: its Rss moved under vmtop's read
    if (loose and rss is not None and rss_before is not None and
            abs(rss - rss_before) > max(256, rss // 50)):
        raise Busy()
    errors = []
    leaves = sorted((int(r["start"], 16), int(r["end"], 16))
                    for _, _, r in regions(maps))
    truth = sorted((lo, hi) for lo, hi, _, _ in lines)
    if leaves != truth:
        errors.append("leaves differ from maps: %d vs %d regions"
                      % (len(leaves), len(truth)))
    vsz = sum(c["vsz_kib"] for c in maps["categories"])
    if vsz != vmsize:
        errors.append("categories vsz %d != VmSize %d" % (vsz, vmsize))
    if maps["totals"]["vsz_kib"] != vsz:
        errors.append("totals vsz != sum of categories")
    reserved = sum((hi - lo) // 1024 for lo, hi, p, _ in lines if p == "---p")
    if maps["totals"]["reserved_kib"] != reserved:
        errors.append("reserved %d != ---p size %d"
                      % (maps["totals"]["reserved_kib"], reserved))
    for cat in maps["categories"]:
        if sum(g["vsz_kib"] for g in cat["groups"]) != cat["vsz_kib"]:
            errors.append("groups of %s do not add up" % cat["kind"])
    got = sum(c["rss_kib"] for c in maps["categories"])
    slack = max(256, rss // 50) if loose else 0
    if rss is not None and abs(got - rss) > slack:
        errors.append("rss %d != smaps_rollup Rss %d" % (got, rss))
    return errors


def cmd_invariants(pid, args):
    """With --loose (other people's processes), a process whose mappings
    or Rss change under the check is retried, then reported busy (exit 4)."""
    loose = "--loose" in args
    for attempt in range(5):
        try:
            errors = check_invariants(pid, loose)
            break
        except Busy:
            if attempt == 4:
                print("# pid %d kept changing its mappings" % pid)
                return 4
    for e in errors:
        print("# pid %d: %s" % (pid, e))
    return 1 if errors else 0


def malloc_info_heaps(path):
    """{nr: (mprotect bytes, subheaps)} of the non-main arenas."""
    text = open(path).read()
    res = {}
    for m in re.finditer(r'<heap nr="(\d+)">(.*?)</heap>', text, re.S):
        nr = int(m.group(1))
        body = m.group(2)
        mp = re.search(r'<aspace type="mprotect" size="(\d+)"/>', body)
        sub = re.search(r'<aspace type="subheaps" size="(\d+)"/>', body)
        if nr > 0:
            res[nr] = (int(mp.group(1)), int(sub.group(1)) if sub else 1)
    return res


def cmd_arenas(pid, args):
    maps = vmtop_maps(pid)
    want = malloc_info_heaps(args[0])
    ar = maps["arenas"]
    errors = []
    if ar["count"] != len(want) or len(ar["items"]) != len(want):
        errors.append("count %d, malloc_info has %d" % (ar["count"], len(want)))
    got = sorted((it["committed_kib"] * 1024, it["heaps"])
                 for it in ar["items"])
    if got != sorted(want.values()):
        errors.append("arenas (committed, heaps) %s != malloc_info %s"
                      % (got, sorted(want.values())))
    if any(not it["verified"] for it in ar["items"]):
        errors.append("an arena is not verified")
    if len(args) > 1 and ar["count"] + 1 != int(args[1]):
        errors.append("%d arenas + main != cap %s" % (ar["count"], args[1]))
    if len(args) > 1 and ar["limit"] != int(args[1]):
        errors.append("limit %s != cap %s" % (ar["limit"], args[1]))
    for e in errors:
        print("# " + e)
    return 1 if errors else 0


def cmd_stacks(pid, args):
    maps = vmtop_maps(pid)
    kib = int(args[0])
    threads = {t["tid"]: t for t in maps["threads"]}
    errors = []
    for tid in map(int, args[1:]):
        st = threads.get(tid, {}).get("stack")
        if not st:
            errors.append("tid %d: no stack (%s)" % (tid, threads.get(tid)))
            continue
        size = (int(st["end"], 16) - int(st["start"], 16)) // 1024
        if size != kib or st["guard_kib"] != 4:
            errors.append("tid %d: stack %d KiB guard %s, want %d + 4"
                          % (tid, size, st["guard_kib"], kib))
    groups = [g["name"] for c in maps["categories"]
              if c["kind"] == "thread_stack" for g in c["groups"]]
    for tid in map(int, args[1:]):
        if groups.count("tid %d" % tid) != 1:
            errors.append("tid %d: %d groups" % (tid, groups.count("tid %d" % tid)))
    for e in errors:
        print("# " + e)
    return 1 if errors else 0


def cmd_libs(pid, args):
    maps = vmtop_maps(pid)
    lines = proc_maps(pid)
    errors = []
    for path in args:
        groups = [g for c in maps["categories"] if c["kind"] == "library"
                  for g in c["groups"] if g["name"] == path]
        segs = [(lo, hi) for lo, hi, _, p in lines if p == path]
        if len(groups) != 1:
            errors.append("%s: %d library groups" % (path, len(groups)))
            continue
        g = groups[0]
        got = sorted((int(r["start"], 16), int(r["end"], 16))
                     for r in g["regions"])
        want_kib = sum(hi - lo for lo, hi in segs) // 1024
        if got != sorted(segs) or g["vsz_kib"] != want_kib:
            errors.append("%s: %d KiB in %d regions, maps has %d KiB in %d"
                          % (path, g["vsz_kib"], len(got), want_kib, len(segs)))
    for e in errors:
        print("# " + e)
    return 1 if errors else 0


def cmd_dns(pid, args):
    maps = vmtop_maps(pid)
    path = args[0]
    errors = []
    regs = [r for _, _, r in regions(maps) if r["path"] == path]
    if not regs or any("dns" not in r["tags"] or r["kind"] != "library"
                       for r in regs):
        errors.append("%s: regions %s" % (path, regs[:1]))
    if path not in maps["resolver"]["modules"]:
        errors.append("%s not in resolver modules %s"
                      % (path, maps["resolver"]["modules"]))
    if maps["resolver"]["regions"] < len(regs):
        errors.append("resolver regions %d < %d"
                      % (maps["resolver"]["regions"], len(regs)))
    for e in errors:
        print("# " + e)
    return 1 if errors else 0


def main():
    try:
        return run_cmd()
    except Exception:
        # Anything that breaks on a process that has since exited (or
        # turned zombie) is a race, not a finding.
        pid = sys.argv[2] if len(sys.argv) > 2 else "?"
        if not os.path.exists("/proc/%s/maps" % pid) or \
                not open("/proc/%s/maps" % pid).read(1):
            print("# process %s is gone" % pid)
            return 3
        raise


def run_cmd():
    cmds = {"invariants": cmd_invariants, "arenas": cmd_arenas,
            "stacks": cmd_stacks, "libs": cmd_libs, "dns": cmd_dns}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds:
        print(__doc__)
        return 2
    return cmds[sys.argv[1]](int(sys.argv[2]), sys.argv[3:])


if __name__ == "__main__":
    sys.exit(main())
