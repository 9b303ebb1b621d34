/* knobtext: the knobs of a process as text and JSON. */
#include "config.h"

#include "vmtop/knobtext.h"

#include <errno.h>
#include <string.h>

#include "vmtop/fmt.h"
#include "vmtop/json.h"

/* "8 MiB" or "unlimited" (bytes). */
static void knobtext_bytes(struct strbuf *sb, uint64_t v)
{
	char buf[24];

	if (v == KNOBS_UNLIMITED) {
		strbuf_addstr(sb, "unlimited");
		return;
	}
	if (v % 1024) {
		strbuf_addf(sb, "%llu bytes", (unsigned long long)v);
		return;
	}
	strbuf_addstr(sb, fmt_size(buf, sizeof(buf), v / 1024,
				   FMT_SIZE_WORDS));
}

static void knobtext_effect(struct strbuf *sb, const char *effect)
{
	if (effect && effect[0])
		strbuf_addf(sb, "      %s\n", effect);
}

static void knobtext_env(struct strbuf *sb, const struct knobs *k,
			 const char *why)
{
	size_t shown = 0;

	strbuf_addstr(sb, "environment (memory-related variables only; the "
			  "rest is never shown):\n");
	if (k->env_err) {
		strbuf_addf(sb, "  not readable: environ (%s)",
			    knobs_errname(k->env_err));
		if (why && why[0]) {
			strbuf_addstr(sb, ": ");
			strbuf_addstr(sb, why);
		}
		strbuf_addch(sb, '\n');
		return;
	}
	for (size_t i = 0; i < k->nitems; i++) {
		const struct knob *kn = &k->items[i];

		if (kn->from == KNOB_ARGV)
			continue;
		strbuf_addstr(sb, "  ");
		fmt_printable_str(sb, kn->name);
		strbuf_addstr(sb, kn->from == KNOB_OPTION ? ": " : "=");
		fmt_printable_str(sb, kn->value);
		strbuf_addch(sb, '\n');
		knobtext_effect(sb, kn->effect);
		shown++;
	}
	if (!shown)
		strbuf_addstr(sb, "  none set: every allocator and runtime "
				  "runs with its defaults\n");
	if (k->env_hidden)
		strbuf_addf(sb, "  (%zu other option%s of *_OPTIONS variables "
			    "not shown)\n", k->env_hidden,
			    k->env_hidden == 1 ? "" : "s");
}

static void knobtext_argv(struct strbuf *sb, const struct knobs *k)
{
	bool any = false;

	for (size_t i = 0; i < k->nitems; i++) {
		const struct knob *kn = &k->items[i];

		if (kn->from != KNOB_ARGV)
			continue;
		if (!any)
			strbuf_addstr(sb, "command line (JVM and node memory "
					  "flags):\n");
		any = true;
		strbuf_addstr(sb, "  ");
		fmt_printable_str(sb, kn->value);
		strbuf_addch(sb, '\n');
		knobtext_effect(sb, kn->effect);
	}
}

static void knobtext_limits(struct strbuf *sb, const struct knobs *k)
{
	strbuf_addstr(sb, "limits:\n");
	if (k->limits_err) {
		strbuf_addf(sb, "  not readable: limits (%s)\n",
			    knobs_errname(k->limits_err));
		return;
	}
	for (int id = 0; id < KNOBS__NLIMITS; id++) {
		const struct knobs_limit *l = &k->limit[id];

		if (!l->read)
			continue;
		strbuf_addf(sb, "  %s ", knobs_limit_name(id));
		knobtext_bytes(sb, l->soft);
		strbuf_addstr(sb, " (hard ");
		knobtext_bytes(sb, l->hard);
		strbuf_addstr(sb, ")\n");
		knobtext_effect(sb, knobs_limit_effect(id));
	}
}

static void knobtext_cgroup(struct strbuf *sb, const struct knobs *k)
{
	strbuf_addstr(sb, "cgroup v2 memory limits:\n");
	if (k->cg_err) {
		strbuf_addf(sb, "  not known: %s\n",
			    k->cg_err == -ENOENT ? "no cgroup v2 line in "
						   "the process's cgroup file" :
			    k->cg_err == -ENODEV ? "no cgroup2 file system at "
						   "/sys/fs/cgroup" :
			    k->cg_err == -EXDEV ? "its cgroup is outside "
						  "vmtop's cgroup namespace" :
						  knobs_errname(k->cg_err));
		return;
	}
	strbuf_addstr(sb, "  cgroup ");
	fmt_printable_str(sb, k->cg_path);
	strbuf_addch(sb, '\n');
	if (!k->cg_read && !strcmp(k->cg_path, "/")) {
		strbuf_addstr(sb, "  the root cgroup: no memory limit\n");
	} else if (!k->cg_read) {
		strbuf_addstr(sb, "  memory.max not readable (no memory "
				  "controller there)\n");
	} else {
		strbuf_addstr(sb, "  memory.max ");
		knobtext_bytes(sb, k->cg_max);
		strbuf_addch(sb, '\n');
		knobtext_effect(sb, knobs_cgroup_max_effect);
		if (k->cg_high) {
			strbuf_addstr(sb, "  memory.high ");
			knobtext_bytes(sb, k->cg_high);
			strbuf_addch(sb, '\n');
			knobtext_effect(sb, knobs_cgroup_high_effect);
		}
	}
	if (k->cg_eff_path && k->cg_eff_max != KNOBS_UNLIMITED &&
	    (!k->cg_read || k->cg_eff_max < k->cg_max)) {
		strbuf_addstr(sb, "  bound by memory.max ");
		knobtext_bytes(sb, k->cg_eff_max);
		strbuf_addstr(sb, " of /");
		fmt_printable_str(sb, k->cg_eff_path);
		strbuf_addch(sb, '\n');
	}
}

void knobtext_write(struct strbuf *sb, const struct knobs *k,
		    const char *why)
{
	knobtext_env(sb, k, why);
	knobtext_argv(sb, k);
	knobtext_limits(sb, k);
	knobtext_cgroup(sb, k);
}

static const char *knobtext_from(enum knob_from f)
{
	return f == KNOB_ENV ? "env" : f == KNOB_OPTION ? "option" : "argv";
}

static void knobtext_json_items(struct strbuf *sb, const struct knobs *k,
				bool argv)
{
	bool first = true;

	strbuf_addch(sb, '[');
	for (size_t i = 0; i < k->nitems; i++) {
		const struct knob *kn = &k->items[i];

		if ((kn->from == KNOB_ARGV) != argv)
			continue;
		strbuf_addstr(sb, first ? "{" : ",{");
		first = false;
		json_key(sb, "name");
		json_str(sb, kn->name);
		strbuf_addch(sb, ',');
		json_key(sb, "value");
		json_str(sb, kn->value);
		strbuf_addch(sb, ',');
		json_key(sb, "from");
		json_str(sb, knobtext_from(kn->from));
		strbuf_addch(sb, ',');
		json_key(sb, "effect");
		json_str(sb, kn->effect);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

static void knobtext_json_err(struct strbuf *sb, const char *key, int err)
{
	strbuf_addch(sb, ',');
	json_key(sb, key);
	json_str(sb, err ? knobs_errname(err) : NULL);
}

static void knobtext_json_limits(struct strbuf *sb, const struct knobs *k)
{
	static const char *const names[KNOBS__NLIMITS] = { "stack", "as",
							   "data" };
	bool first = true;

	strbuf_addch(sb, '{');
	for (int id = 0; id < KNOBS__NLIMITS; id++) {
		if (!k->limit[id].read)
			continue;
		if (!first)
			strbuf_addch(sb, ',');
		first = false;
		json_key(sb, names[id]);
		strbuf_addch(sb, '{');
		json_key(sb, "soft");
		json_u64(sb, k->limit[id].soft);
		strbuf_addch(sb, ',');
		json_key(sb, "hard");
		json_u64(sb, k->limit[id].hard);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, '}');
}

static void knobtext_json_cgroup(struct strbuf *sb, const struct knobs *k)
{
	if (k->cg_err) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addch(sb, '{');
	json_key(sb, "path");
	json_str(sb, k->cg_path);
	strbuf_addch(sb, ',');
	json_key(sb, "memory_max");
	if (k->cg_read)
		json_u64(sb, k->cg_max);
	else
		strbuf_addstr(sb, "null");
	strbuf_addch(sb, ',');
	json_key(sb, "memory_high");
	if (k->cg_read && k->cg_high)
		json_u64(sb, k->cg_high);
	else
		strbuf_addstr(sb, "null");
	strbuf_addch(sb, ',');
	json_key(sb, "effective_max");
	json_u64(sb, k->cg_eff_max);
	strbuf_addch(sb, ',');
	json_key(sb, "effective_path");
	json_str(sb, k->cg_eff_path);
	/* added to vmtop/1: memory_max null is "max" when it was read, "not
	 * readable" when not, which --load must tell apart */
	strbuf_addch(sb, ',');
	json_key(sb, "memory_max_read");
	json_bool(sb, k->cg_read);
	strbuf_addch(sb, '}');
}

void knobtext_json(struct strbuf *sb, const struct knobs *k)
{
	strbuf_addch(sb, '{');
	json_key(sb, "environ");
	if (k->env_err)
		strbuf_addstr(sb, "null");
	else
		knobtext_json_items(sb, k, false);
	knobtext_json_err(sb, "environ_error", k->env_err);
	strbuf_addch(sb, ',');
	json_key(sb, "hidden_options");
	json_u64(sb, k->env_hidden);
	strbuf_addch(sb, ',');
	json_key(sb, "argv");
	knobtext_json_items(sb, k, true);
	strbuf_addch(sb, ',');
	json_key(sb, "limits");
	knobtext_json_limits(sb, k);
	knobtext_json_err(sb, "limits_error", k->limits_err);
	strbuf_addch(sb, ',');
	json_key(sb, "cgroup");
	knobtext_json_cgroup(sb, k);
	knobtext_json_err(sb, "cgroup_error", k->cg_err);
	strbuf_addch(sb, '}');
}
