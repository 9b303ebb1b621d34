#!/bin/sh
# The object files' symbol graph has no cycle.
#
# An object file is a node: libvmtop.a's objects and the program's own
# (main.o and the views), VMTOP_OBJECTS from Makefile.am.  Object A has an
# edge to object B when A leaves undefined a symbol that B defines (nm).
# A cycle means that neither object can be understood, tested or replaced
# without the other: the layers of DESIGN.md order the folders, and
# inside a folder calls go one way too (a module's parts are called by
# the module, and call only what lies below it).
#
# Each folder is one test, failing when one of its objects is in a cycle;
# the diagnostics print each cycle with the symbol behind every edge.
. "$TOP_SRCDIR/tests/lib/tap.sh"
[ -n "${VMTOP_OBJECTS:-}" ] ||
	bail "VMTOP_OBJECTS is unset: run it through make check"
cd "$TOP_BUILDDIR" || bail "no build dir"
NM=${NM:-nm}

diag_lines() {	# diag_lines TEXT: one diagnostic per line of TEXT
	printf '%s\n' "$1" | while IFS= read -r line; do diag "$line"; done
}

# cycles: reads "OBJECT: SYMBOL TYPE ..." lines (nm -A -P) and prints one
# line per strongly connected component of two objects or more: its
# objects, then, after a tab each, the shortest cycle through each of
# them, as "a.o -> b.o (sym) -> a.o (sym)".
cycles() {
	awk '
	function strong(v,    w, k, n, mem) {
		idx[v] = low[v] = nidx++
		stk[++sp] = v
		on[v] = 1
		for (k = 1; k <= nadj[v]; k++) {
			w = adj[v, k]
			if (!(w in idx)) {
				strong(w)
				if (low[w] < low[v])
					low[v] = low[w]
			} else if (on[w] && idx[w] < low[v]) {
				low[v] = idx[w]
			}
		}
		if (low[v] != idx[v])
			return
		n = 0
		do {
			w = stk[sp--]
			on[w] = 0
			mem[++n] = w
		} while (w != v)
		if (n > 1)
			report(mem, n)
	}
	# prints the component mem[1..n], then a shortest cycle through
	# each of its objects, each cycle once
	function report(mem, n,    i, j, t, s, c, done) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && mem[j] < mem[j - 1]; j--) {
				t = mem[j]; mem[j] = mem[j - 1]; mem[j - 1] = t
			}
		s = mem[1]
		for (i = 2; i <= n; i++)
			s = s " " mem[i]
		for (i = 1; i <= n; i++) {
			c = cycle_through(mem, n, mem[i])
			if (!(c in done))
				s = s "\t" c
			done[c] = 1
		}
		print s
	}
	# a shortest cycle from first back to it inside mem[1..n], breadth
	# first, as "a.o -> b.o (sym) -> a.o (sym)" from its smallest object
	function cycle_through(mem, n, first,    i, in_c, par, q, qh, qt, v,
			       w, k, node, len, lo, path) {
		for (i = 1; i <= n; i++)
			in_c[mem[i]] = 1
		qh = 1; qt = 0
		q[++qt] = first
		while (qh <= qt && !(first in par)) {
			v = q[qh++]
			for (k = 1; k <= nadj[v]; k++) {
				w = adj[v, k]
				if (in_c[w] && !(w in par)) {
					par[w] = v
					q[++qt] = w
				}
			}
		}
		len = 0
		v = first
		do {
			node[++len] = v
			v = par[v]
		} while (v != first)
		# node[] runs backwards along the cycle; start at the
		# smallest name so that each cycle reads one way
		lo = 1
		for (i = 2; i <= len; i++)
			if (node[i] < node[lo])
				lo = i
		path = node[lo]
		for (i = 1; i <= len; i++) {
			v = node[(lo - i + len - 1) % len + 1]
			w = node[(lo - i + len) % len + 1]
			path = path " -> " v " (" lab[w, v] ")"
		}
		return path
	}
	{
		f = $1
		sub(/:$/, "", f)
		if (!(f in seen)) {
			seen[f] = 1
			objs[++nobj] = f
		}
		if ($3 == "U" || $3 == "w" || $3 == "v") {
			uf[++nuse] = f
			us[nuse] = $2
		} else if ($3 ~ /^[A-TV-Z]$/ || $3 == "i") {
			def[$2] = f
		}
	}
	END {
		for (k = 1; k <= nuse; k++) {
			if (!(us[k] in def))
				continue
			d = def[us[k]]
			if (d == uf[k] || (uf[k], d) in lab)
				continue
			lab[uf[k], d] = us[k]
			adj[uf[k], ++nadj[uf[k]]] = d
			nedges++
		}
		for (k = 1; k <= nobj; k++)
			if (!(objs[k] in idx))
				strong(objs[k])
		printf "%d edges\n", nedges > "/dev/stderr"
	}'
}

# the cycle finder on a made-up graph: a -> b -> c -> a, d -> a,
# e <-> f, g using a symbol of its own, and h <-> i <-> j
found=$(cycles 2>/dev/null <<'EOF'
a.o: fa T 0 0
a.o: fb U
b.o: fb T 0 0
b.o: fc U
c.o: fc T 0 0
c.o: fa U
d.o: fa U
d.o: fd T 0 0
e.o: fe D 0 0
e.o: ff U
f.o: ff B 0 0
f.o: fe U
g.o: fg T 0 0
g.o: fg U
h.o: fh T 0 0
h.o: fi U
i.o: fi T 0 0
i.o: fh U
i.o: fj U
j.o: fj T 0 0
j.o: fi U
EOF
)
want=$(printf '%s\t%s\n%s\t%s\n%s\t%s\t%s' "a.o b.o c.o" \
	"a.o -> b.o (fb) -> c.o (fc) -> a.o (fa)" \
	"e.o f.o" "e.o -> f.o (ff) -> e.o (fe)" \
	"h.o i.o j.o" "h.o -> i.o (fi) -> h.o (fh)" \
	"i.o -> j.o (fj) -> i.o (fi)")
is "$(printf '%s\n' "$found" | sort)" "$want" \
	"the cycle finder finds the cycles of a made-up graph"

objs=$(for o in $VMTOP_OBJECTS; do echo "$o"; done | sort -u)
missing=$(for o in $objs; do [ -f "$o" ] || echo "$o"; done)
[ -z "$missing" ]
ok $? "every object is built"
[ -n "$missing" ] && diag_lines "missing: $missing"

# shellcheck disable=SC2086
"$NM" -A -P $objs >"$tap_tmpdir/nm" 2>"$tap_tmpdir/nm.err"
ok $? "$NM reads the $(echo "$objs" | wc -l) objects"
[ -s "$tap_tmpdir/nm.err" ] && diag_lines "$(cat "$tap_tmpdir/nm.err")"

cycles <"$tap_tmpdir/nm" >"$tap_tmpdir/cycles" 2>"$tap_tmpdir/edges"
edges=$(sed -n 's/ edges$//p' "$tap_tmpdir/edges")
[ "${edges:-0}" -gt 0 ]
ok $? "the objects call one another ($edges edges)"

for dir in $(for o in $objs; do dirname "$o"; done | sort -u); do
	# the components with an object right in dir
	hits=$(awk -F '\t' -v d="$dir" '{
		n = split($1, m, " ")
		for (i = 1; i <= n; i++) {
			o = m[i]
			sub(/\/[^\/]*$/, "", o)
			if (o != d)
				continue
			print "objects in one cycle: " $1
			for (j = 2; j <= NF; j++)
				print "cycle: " $j
			break
		}
	}' "$tap_tmpdir/cycles")
	[ -z "$hits" ]
	ok $? "no object of $dir/ is in a cycle"
	[ -n "$hits" ] && diag_lines "$hits"
done
done_testing
