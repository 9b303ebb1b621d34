#!/usr/bin/env python3
"""mapcheck_stream: reads vmtop -J -m documents on stdin, one per line,
and checks each maps object against itself: every total (vsz, reserved,
rss, pss, swap, regions) is the sum over the categories, each category's
the sum over its groups, each group's the sum over its regions; and a
process with a size never has an empty tree.

usage: mapcheck_stream.py PID     (the process that must be in each document)
Prints "DOCS BAD WITH_MAPS"; the first few problems as '#' lines on stderr.
"""
import json
import sys

FIELDS = ("vsz_kib", "reserved_kib", "rss_kib", "pss_kib", "swap_kib")


def add(a, b):
    if a is None or b is None:
        return None
    return a + b


def check_node(where, node, children, problems, leaf_fields=FIELDS):
    """node's fields equal the sums of its children's.  An empty node's
    smaps figures may be null: nothing was read, so nothing is known."""
    for f in leaf_fields:
        want = node.get(f)
        got = 0
        for c in children:
            got = add(got, c.get(f))
        if got != want and not (want is None and not children and
                                f != "vsz_kib"):
            problems.append("%s: %s is %r, its parts add up to %r"
                            % (where, f, want, got))


def check_maps(m, problems):
    cats = m["categories"]
    check_node("totals", m["totals"], cats, problems)
    nregions = 0
    for c in cats:
        check_node("category %s" % c["kind"], c, c["groups"], problems)
        for g in c["groups"]:
            regs = g["regions"]
            nregions += len(regs)
            # regions carry no reserved_kib: vsz of the ---p ones
            check_node("group %s/%s" % (c["kind"], g["name"]), g, regs,
                       problems, ("vsz_kib", "rss_kib", "pss_kib",
                                  "swap_kib"))
            res = sum(r["vsz_kib"] for r in regs if r["perms"][:3] == "---")
            if res != g["reserved_kib"]:
                problems.append("group %s/%s: reserved_kib %r, ---p "
                                "regions add up to %r"
                                % (c["kind"], g["name"],
                                   g["reserved_kib"], res))
    if nregions != m["totals"]["regions"]:
        problems.append("totals.regions %r, %d regions listed"
                        % (m["totals"]["regions"], nregions))


def main():
    pid = int(sys.argv[1])
    docs = bad = with_maps = 0
    shown = 0
    for line in sys.stdin.buffer:
        docs += 1
        problems = []
        try:
            doc = json.loads(line)
            procs = [p for p in doc["processes"] if p["pid"] == pid]
            if len(procs) != 1:
                problems.append("pid %d listed %d times" % (pid, len(procs)))
            for p in procs:
                if p["maps"] is not None:
                    with_maps += 1
                    check_maps(p["maps"], problems)
                    # a process with a size has mappings: an empty tree
                    # is a maps file read across an exec
                    if p["maps"]["totals"]["regions"] == 0 and p["vsz_kib"]:
                        problems.append("empty tree, vsz_kib %r"
                                        % p["vsz_kib"])
        except (ValueError, KeyError, TypeError) as e:
            problems.append("invalid document: %r" % e)
        if problems:
            bad += 1
            for msg in problems[:5]:
                if shown < 20:
                    print("# doc %d: %s" % (docs, msg), file=sys.stderr)
                    shown += 1
    print(docs, bad, with_maps)


main()
