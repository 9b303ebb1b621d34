#!/bin/sh
# Rules of the user's own (--rules FILE): a rule that renames a fixture's
# mapping (fix_names maps DIR/nscd/NAME) gives it the rule's kind and
# group, and the rule's insight with its knob; a bad line (an invalid
# regex) is reported as FILE:LINE with PCRE2's message and offset, and the
# other rules still apply; an unreadable file is a usage error.
. "$TOP_SRCDIR/tests/lib/tap.sh"
command -v python3 >/dev/null || skip_all "python3 is needed"

# its directory under the test's, removed with it
TMPDIR=$tap_tmpdir "$FIXTURES/fix_names" vmtoprulefix >"$tap_tmpdir/names" &
spawn_register $!
wait_for 10 grep -q '^end' "$tap_tmpdir/names" || bail "fix_names did not start"
pid=$(sed -n 's/^pid //p' "$tap_tmpdir/names")
dir=$(sed -n 's/^dir //p' "$tap_tmpdir/names")

rules=$tap_tmpdir/rules
cat >"$rules" <<'RULES'
# the test's rules
/(unclosed/ kind=anon
rule = /\/nscd\/vmtoprulefix$/ kind=anon group="vmtop test cache" insight="the test's cache" knob="TEST_CACHE_MB=16"
/x/ kind=bogus
/^\/memfd:/ kind=file group="memfd by rule"
RULES

"$VMTOP" -J -n 1 -m --rules "$rules" -p "$pid" >"$tap_tmpdir/json" \
	2>"$tap_tmpdir/err"
ok $? "vmtop -J -m --rules with bad lines still runs"
grep -qx "vmtop: $rules:2: invalid regex: missing closing parenthesis at offset 9" \
	"$tap_tmpdir/err"
ok $? "the invalid regex is reported with its line, PCRE2's message and offset"
grep -qx "vmtop: $rules:4: unknown kind 'bogus'.*" "$tap_tmpdir/err"
ok $? "the unknown kind is reported with its line"
is "$(wc -l <"$tap_tmpdir/err")" 2 "two lines on stderr, nothing else"

got=$(python3 - "$tap_tmpdir/json" "$dir/nscd/vmtoprulefix" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["processes"][0]["maps"]
where = {}
for c in m["categories"]:
    for g in c["groups"]:
        for r in g["regions"]:
            where[r["path"]] = (c["kind"], g["name"])
memfd = [v for p, v in where.items() if p.startswith("/memfd:")]
import re
ins = [bool(re.fullmatch(r"vmtop test cache: the test's cache \(1 region "
                         r"map 4 KiB, \d+ KiB resident\); knob: "
                         r"TEST_CACHE_MB=16", i["text"]))
       for i in m["insights"] if i["id"] == "rule"]
print(where.get(sys.argv[2]), memfd[:1], ins)
PY
)
is "$got" "('anon', 'vmtop test cache') [('file', 'memfd by rule')] [True]" \
	"JSON: the rules' kinds and groups, the insight with its knob"

"$VMTOP" -b -n 1 -m --rules "$rules" -p "$pid" >"$tap_tmpdir/text" 2>/dev/null
grep -q "^  - vmtop test cache: the test's cache (.*); knob: TEST_CACHE_MB=16" \
	"$tap_tmpdir/text"
ok $? "text: the rule's insight with its knob"

"$VMTOP" -b -n 1 -m -p "$pid" >"$tap_tmpdir/plain" 2>&1
! grep -q "vmtop test cache" "$tap_tmpdir/plain"
ok $? "without --rules the mapping is classified as before"

# the settings file's rules: a rule= line and a rules=FILE (relative to
# the file's directory), in batch too; --no-config leaves them out
mkdir -p "$tap_tmpdir/xdg/vmtop"
cp "$rules" "$tap_tmpdir/xdg/vmtop/more.rules"
cat >"$tap_tmpdir/xdg/vmtop/vmtoprc" <<'CFG'
rule=/\/nscd\/vmtoprulefix$/ kind=anon group="cache from vmtoprc"
rules=more.rules
rule=/[/ kind=anon
CFG
XDG_CONFIG_HOME=$tap_tmpdir/xdg "$VMTOP" -b -n 1 -m -p "$pid" \
	>"$tap_tmpdir/cfg" 2>"$tap_tmpdir/cfgerr"
grep -q "cache from vmtoprc" "$tap_tmpdir/cfg"
ok $? "a rule= line of the settings file applies in batch"
grep -q "memfd by rule" "$tap_tmpdir/cfg"
ok $? "so do the rules of the file its rules= line names"
grep -q "vmtoprc:3: .*missing terminating \] for character class" \
	"$tap_tmpdir/cfgerr"
ok $? "a bad rule= line is reported with the settings file's name and line"
XDG_CONFIG_HOME=$tap_tmpdir/xdg "$VMTOP" --no-config -b -n 1 -m -p "$pid" \
	>"$tap_tmpdir/nocfg" 2>&1
! grep -q "cache from vmtoprc" "$tap_tmpdir/nocfg"
ok $? "--no-config leaves the settings file's rules out"

"$VMTOP" -b -n 1 --rules "$tap_tmpdir/none" -p "$pid" >/dev/null \
	2>"$tap_tmpdir/err2"
is "$?" 2 "a rules file that cannot be read: exit status 2"
grep -q "cannot read rules from $tap_tmpdir/none: No such file" \
	"$tap_tmpdir/err2"
ok $? "and why"
# a FIFO or a device named by mistake: refused at once, never read
mkfifo "$tap_tmpdir/fifo"
timeout 10 "$VMTOP" -b -n 1 --rules "$tap_tmpdir/fifo" -p "$pid" \
	>/dev/null 2>"$tap_tmpdir/err3"
is "$?" 2 "a FIFO as the rules file: exit status 2 at once (no hang)"
grep -q "cannot read rules from $tap_tmpdir/fifo: not a regular file" \
	"$tap_tmpdir/err3"
ok $? "and says it is not a regular file"
timeout 10 "$VMTOP" -b -n 1 --rules /dev/zero -p "$pid" >/dev/null 2>&1
is "$?" 2 "/dev/zero as the rules file: refused, not read without end"

done_testing
