// SPDX-License-Identifier: GPL-2.0
/*
 * The object diff. Functions are compared section by section: the same
 * bytes (a RELA object leaves relocated fields zero) and the same
 * relocations, each target described by what it means (a symbol's name
 * and offset, a string's text, an anonymous constant's bytes) rather than
 * by symbol or section index, which differ between two builds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patch-builder/diff.h"

static const struct pb_special specials[] = {
	{ "__ex_table",		12, true },
	{ "__bug_table",	12, true },
	{ ".altinstructions",	12, true },
	{ ".orc_unwind_ip",	4,  true },
	{ ".orc_unwind",	6,  true },	/* parallel to .orc_unwind_ip */
	{ "__mcount_loc",	8,  true },
	{ "__jump_table",	16, true },
	/* Optimisations only: the code is right without them (a retpoline
	 * or return thunk stays a thunk, a static call goes through its
	 * trampoline, a lock prefix stays). */
	{ ".retpoline_sites",	4,  false },
	{ ".return_sites",	4,  false },
	{ ".call_sites",	4,  false },
	{ ".static_call_sites",	8,  false },
	{ ".smp_locks",		4,  false },
	{ ".ibt_endbr_seal",	4,  false },
	/* Paravirt sites stay indirect calls through pv_ops: right, unpatched. */
	{ ".parainstructions",	16, false },
	{ ".printk_index",	0,  false },
	{ }
};

const struct pb_special *pb_special_find(const char *name)
{
	const struct pb_special *sp;

	for (sp = specials; sp->name; sp++)
		if (!strcmp(sp->name, name))
			return sp;
	return NULL;
}

static bool has_prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

/* Sections that hold the kernel's data, not descriptions of code. */
static bool data_like(const char *name)
{
	static const char *const prefixes[] = {
		".data", ".rodata", ".bss", ".init.", ".exit.", ".ref.",
		".meminit", ".discard", "___ksymtab", "__ksymtab", "__kcrctab",
		"__param", ".modinfo", "__tracepoints", "_ftrace_events",
		"__syscalls_metadata", "_ftrace_eval_map", "__dyndbg",
		".initcall", ".con_initcall", ".note", ".comment",
		".gnu.linkonce", ".export_symbol", ".static_call.text",
		"__bpf_raw_tp_map", ".BTF", "__markers", ".text", NULL
	};
	int i;

	for (i = 0; prefixes[i]; i++)
		if (has_prefix(name, prefixes[i]))
			return true;
	return false;
}

static bool init_section(const struct pb_section *sec)
{
	return has_prefix(sec->name, ".init.") ||
	       has_prefix(sec->name, ".exit.") ||
	       has_prefix(sec->name, ".head.text") ||
	       has_prefix(sec->name, ".meminit") ||
	       has_prefix(sec->name, ".ref.");
}

static __attribute__((format(printf, 3, 4)))
void refuse(struct pb_diff *d, const char *category, const char *fmt, ...)
{
	struct pb_refusal *r;
	char msg[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < d->nrefusals; i++)
		if (!strcmp(d->refusals[i].message, msg))
			return;
	r = realloc(d->refusals, (d->nrefusals + 1) * sizeof(*r));
	if (!r)
		return;
	d->refusals = r;
	r[d->nrefusals].category = category;
	r[d->nrefusals].message = strdup(msg);
	d->nrefusals++;
}

static __attribute__((format(printf, 2, 3)))
void note(struct pb_diff *d, const char *fmt, ...)
{
	char msg[512], **n;
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < d->nnotes; i++)
		if (!strcmp(d->notes[i], msg))
			return;
	n = realloc(d->notes, (d->nnotes + 1) * sizeof(*n));
	if (!n)
		return;
	d->notes = n;
	n[d->nnotes++] = strdup(msg);
}

/*
 * Writable data a patch may carry a fresh copy of: printk_once()'s flags
 * and dynamic debug's descriptors of pr_debug() sites (the module loader
 * registers the patch module's own).
 */
static bool fresh_copy_ok(const struct pb_section *sec)
{
	return !strcmp(sec->name, ".data.once") || !strcmp(sec->name, "__dyndbg");
}

/* Local names carry a counter that moves when other code changes:
 * __already_done.12, __func__.3. */
static void base_name(const char *name, char *out, size_t len)
{
	const char *dot = strrchr(name, '.');
	const char *p;

	snprintf(out, len, "%s", name);
	if (!dot || !dot[1])
		return;
	for (p = dot + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return;
	out[dot - name] = '\0';
}

static bool named(const struct pb_symbol *s)
{
	return (pb_sym_type(s) == STT_FUNC || pb_sym_type(s) == STT_OBJECT) &&
	       s->sec;
}

/* What a relocation points at, in words that mean the same in both builds. */
static void describe(struct pb_object *o, const struct pb_rela *r, char *buf,
		     size_t len)
{
	const struct pb_symbol *s = &o->syms[r->sym];
	char base[256];
	int64_t off;

	if (pb_sym_type(s) != STT_SECTION) {
		base_name(s->name, base, sizeof(base));
		snprintf(buf, len, "%u:%s%+lld", r->type, base,
			 (long long)r->addend);
		return;
	}
	off = pb_rela_target_offset(r, s);
	if ((s->sec->sh.sh_flags & SHF_STRINGS) && off >= 0 &&
	    (uint64_t)off < s->sec->size && s->sec->data) {
		snprintf(buf, len, "%u:str:%s", r->type,
			 (const char *)s->sec->data + off);
		return;
	}
	{
		struct pb_symbol *c = pb_symbol_at(o, s->sec, (uint64_t)off);

		if (c) {
			base_name(c->name, base, sizeof(base));
			snprintf(buf, len, "%u:%s%+lld", r->type, base,
				 (long long)(r->addend - (int64_t)c->s.st_value));
			return;
		}
	}
	/* Anonymous: a constant pool or table; name it by section and, for
	 * a mergeable constant, its bytes. */
	base_name(s->sec->name, base, sizeof(base));
	snprintf(buf, len, "%u:%s%+lld", r->type, base, (long long)r->addend);
	if ((s->sec->sh.sh_flags & SHF_MERGE) && s->sec->data &&
	    s->sec->sh.sh_entsize && off >= 0 &&
	    (uint64_t)off + s->sec->sh.sh_entsize <= s->sec->size) {
		size_t used = strlen(buf), i;

		for (i = 0; i < s->sec->sh.sh_entsize && used + 3 < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%02x",
						 s->sec->data[off + (int64_t)i]);
	}
}

/* Same code or data and the same references, meaning for meaning. */
static bool same_section(struct pb_diff *d, struct pb_section *a,
			 struct pb_section *b)
{
	char da[1024], db[1024];
	size_t i;

	if (a->size != b->size || a->sh.sh_type != b->sh.sh_type ||
	    a->nrelas != b->nrelas)
		return false;
	if (a->data && b->data && memcmp(a->data, b->data, a->size))
		return false;
	for (i = 0; i < a->nrelas; i++) {
		if (a->relas[i].offset != b->relas[i].offset ||
		    a->relas[i].type != b->relas[i].type)
			return false;
		describe(d->before, &a->relas[i], da, sizeof(da));
		describe(d->after, &b->relas[i], db, sizeof(db));
		if (strcmp(da, db))
			return false;
	}
	return true;
}

/* The one symbol of its section, as -ffunction-sections lays them out. */
static bool alone(const struct pb_symbol *s)
{
	return s->sec->sym == s && s->s.st_value == 0 &&
	       s->s.st_size == s->sec->size;
}

/*
 * A symbol that shares its section (every __init function is in one
 * .init.text, __sched ones in .sched.text): its own bytes and the
 * relocations inside them, offsets taken from its start.
 */
static bool same_range(struct pb_diff *d, struct pb_symbol *a,
		       struct pb_symbol *b)
{
	uint64_t as = a->s.st_value, bs = b->s.st_value, n = a->s.st_size;
	size_t i = 0, j = 0;
	char da[1024], db[1024];
	bool ea, eb;

	if (n != b->s.st_size || as + n > a->sec->size || bs + n > b->sec->size)
		return false;
	if (a->sec->data && b->sec->data &&
	    memcmp(a->sec->data + as, b->sec->data + bs, n))
		return false;
	for (;;) {
		while (i < a->sec->nrelas && a->sec->relas[i].offset < as)
			i++;
		while (j < b->sec->nrelas && b->sec->relas[j].offset < bs)
			j++;
		ea = i == a->sec->nrelas || a->sec->relas[i].offset >= as + n;
		eb = j == b->sec->nrelas || b->sec->relas[j].offset >= bs + n;

		if (ea || eb)
			return ea && eb;
		if (a->sec->relas[i].offset - as != b->sec->relas[j].offset - bs ||
		    a->sec->relas[i].type != b->sec->relas[j].type)
			return false;
		describe(d->before, &a->sec->relas[i], da, sizeof(da));
		describe(d->after, &b->sec->relas[j], db, sizeof(db));
		if (strcmp(da, db))
			return false;
		i++;
		j++;
	}
}

static struct pb_symbol *find_twin(struct pb_object *o, struct pb_symbol *s)
{
	struct pb_symbol *t = pb_symbol_by_name(o, s->name), *found = NULL;
	char want[256], have[256];
	size_t i;

	if (t && pb_sym_type(t) == pb_sym_type(s) && t->sec)
		return t;
	/* A renumbered local: accept it when the base name is unique. */
	base_name(s->name, want, sizeof(want));
	if (!strcmp(want, s->name))
		return NULL;
	for (i = 1; i < o->nsyms; i++) {
		struct pb_symbol *c = &o->syms[i];

		if (!named(c) || pb_sym_type(c) != pb_sym_type(s))
			continue;
		base_name(c->name, have, sizeof(have));
		if (strcmp(have, want))
			continue;
		if (found)
			return NULL;
		found = c;
	}
	return found;
}

/* The function or object a relocation means (a section symbol's cover). */
static struct pb_symbol *rela_target(struct pb_object *o, const struct pb_rela *r)
{
	struct pb_symbol *s = &o->syms[r->sym];

	if (pb_sym_type(s) == STT_SECTION && s->sec)
		return pb_symbol_at(o, s->sec,
				    (uint64_t)pb_rela_target_offset(r, s));
	return s;
}

static bool has_counter(const char *name)
{
	char base[256];

	base_name(name, base, sizeof(base));
	return strcmp(base, name) != 0;
}

/* The @k-th distinct object of base name @want that @sec refers to. */
static struct pb_symbol *nth_local(struct pb_object *o, struct pb_section *sec,
				   const char *want, size_t k, size_t *count)
{
	struct pb_symbol *seen[16], *t;
	char have[256];
	size_t i, j, n = 0;

	for (i = 0; i < sec->nrelas; i++) {
		t = rela_target(o, &sec->relas[i]);
		if (!t || pb_sym_type(t) != STT_OBJECT)
			continue;
		base_name(t->name, have, sizeof(have));
		if (strcmp(have, want))
			continue;
		for (j = 0; j < n && seen[j] != t; j++)
			;
		if (j == n && n < 16)
			seen[n++] = t;
	}
	*count = n;
	return k < n ? seen[k] : NULL;
}

/*
 * A function's static local (a WARN_RATELIMIT's _rs.26) is renumbered when
 * other code changes, and several share a base name: pair it with the one
 * the same function used before the fix, in order of use.
 */
static struct pb_symbol *twin_by_user(struct pb_diff *d, struct pb_symbol *s)
{
	struct pb_object *a = d->after;
	char want[256];
	size_t i, k, n, m;

	base_name(s->name, want, sizeof(want));
	for (i = 1; i < a->nsecs; i++) {
		struct pb_section *sec = &a->secs[i];
		struct pb_symbol *f = sec->sym, *t;

		if (!pb_sec_is_text(sec) || !f || !f->twin)
			continue;
		for (k = 0; nth_local(a, sec, want, k, &n) &&
			    nth_local(a, sec, want, k, &n) != s; k++)
			;
		if (k == n)
			continue;	/* not a user of @s */
		t = nth_local(d->before, f->twin->sec, want, k, &m);
		if (t && m == n && !t->twin)
			return t;
		return NULL;
	}
	return NULL;
}

static void correlate(struct pb_diff *d)
{
	struct pb_object *a = d->after, *b = d->before;
	size_t i;

	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (!named(s))
			continue;
		s->twin = find_twin(b, s);
		if (s->twin)
			s->twin->twin = s;
		if (s->sec->sym == s && s->twin && s->twin->sec->sym == s->twin) {
			s->sec->twin = s->twin->sec;
			s->twin->sec->twin = s->sec;
		}
	}
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (!named(s) || s->twin || pb_sym_type(s) != STT_OBJECT ||
		    pb_sym_bind(s) != STB_LOCAL || !has_counter(s->name))
			continue;
		s->twin = twin_by_user(d, s);
		if (s->twin)
			s->twin->twin = s;
		if (s->twin && s->sec->sym == s && s->twin->sec->sym == s->twin) {
			s->sec->twin = s->twin->sec;
			s->twin->sec->twin = s->sec;
		}
	}
	for (i = 1; i < a->nsecs; i++) {
		struct pb_section *sec = &a->secs[i], *t;

		if (sec->twin || sec->sym || !(sec->sh.sh_flags & SHF_ALLOC))
			continue;
		t = pb_section_by_name(b, sec->name);
		if (t && !t->sym) {
			sec->twin = t;
			t->twin = sec;
		}
	}
}

static void classify(struct pb_diff *d)
{
	struct pb_object *a = d->after;
	size_t i;

	for (i = 1; i < a->nsecs; i++) {
		struct pb_section *sec = &a->secs[i];

		if (!(sec->sh.sh_flags & SHF_ALLOC))
			continue;
		if (!sec->twin)
			sec->change = PB_NEW;
		else if (!same_section(d, sec->twin, sec))
			sec->change = PB_CHANGED;
	}
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (!named(s))
			continue;
		if (!s->twin)
			s->change = PB_NEW;
		else if (alone(s) && alone(s->twin))
			s->change = s->sec->change;
		else
			s->change = same_range(d, s->twin, s) ? PB_SAME :
								PB_CHANGED;
	}
	/* A function and its .cold part change, and travel, together. */
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i], *p = s->parent;

		if (!p || !named(s))
			continue;
		if (s->change != PB_SAME && p->change == PB_SAME)
			p->change = PB_CHANGED;
	}
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (s->parent && named(s) && s->parent->change != PB_SAME)
			s->change = s->parent->change == PB_NEW ? PB_NEW :
								  PB_CHANGED;
	}
}

/* Which module or vmlinux holds an undefined symbol, per kallsyms. */
static const char *holder(struct pb_diff *d, const char *name)
{
	const struct pb_target *t = d->target;
	const char *mod = NULL;
	size_t i;

	for (i = 0; i < t->nksyms; i++) {
		if (strcmp(t->ksyms[i].name, name))
			continue;
		if (!t->ksyms[i].module)
			return "vmlinux";
		mod = t->ksyms[i].module;
	}
	/*
	 * Unknown to kallsyms: in a module's object, another object of the
	 * same module (modules can reach nothing else unexported).
	 */
	return mod ? mod : d->object;
}

static void extern_or_kgraft(struct pb_diff *d, struct pb_symbol *s,
			     int64_t addend, struct pb_ref *ref)
{
	const char *object = s->sec ? d->object : holder(d, s->name);
	int ret;

	ref->sym = s;
	/*
	 * The running kernel was built from the source before the fix: a
	 * renumbered local (offsets.67 there, offsets.68 here) has the
	 * before object's name in it.
	 */
	ref->name = s->twin ? s->twin->name : s->name;
	ref->object = object;
	ref->addend = addend;
	/* A module's own THIS_MODULE, never the patch module's. */
	if (!s->sec && !strcmp(s->name, "__this_module")) {
		ref->object = d->object;
		ref->kind = PB_REF_KGRAFT;
		return;
	}
	if (pb_sym_bind(s) != STB_LOCAL && pb_target_exported(d->target, s->name)) {
		ref->kind = PB_REF_EXTERN;
		return;
	}
	ret = pb_target_sympos(d->target, object, ref->name,
			       s->twin ? d->before : d->after, &ref->sympos);
	if (ret == -ENOENT) {
		ref->kind = PB_REF_REFUSED;
		ref->why = "not in the running kernel";
		return;
	}
	if (ret) {
		ref->kind = PB_REF_REFUSED;
		ref->why = "ambiguous local symbol";
		return;
	}
	ref->kind = PB_REF_KGRAFT;
}

static void local(struct pb_ref *ref, struct pb_section *sec, int64_t addend)
{
	ref->kind = PB_REF_LOCAL;
	ref->sec = sec;
	ref->addend = addend;
}

void pb_diff_ref(struct pb_diff *d, const struct pb_rela *r,
		 struct pb_ref *ref)
{
	struct pb_object *o = d->after;
	struct pb_symbol *s = &o->syms[r->sym];
	int64_t addend = r->addend;
	bool writable;

	memset(ref, 0, sizeof(*ref));
	ref->sym = s;
	if (!pb_rela_width(r->type)) {
		ref->kind = PB_REF_REFUSED;
		ref->why = "relocation type";
		return;
	}
	if (!s->sec) {
		if (s->s.st_shndx != SHN_UNDEF) {
			ref->kind = PB_REF_REFUSED;
			ref->why = "absolute or common symbol";
			return;
		}
		extern_or_kgraft(d, s, addend, ref);
		return;
	}
	if (init_section(s->sec)) {
		ref->kind = PB_REF_REFUSED;
		ref->why = "refers to __init code or data";
		return;
	}
	if (pb_sym_type(s) == STT_SECTION || !named(s)) {
		int64_t off = pb_rela_target_offset(r, s);
		struct pb_symbol *c = pb_symbol_at(o, s->sec, (uint64_t)off);

		if (pb_sym_type(s) != STT_SECTION)
			addend += (int64_t)s->s.st_value;
		if (!c) {
			if ((s->sec->sh.sh_flags & SHF_WRITE) &&
			    !fresh_copy_ok(s->sec)) {
				ref->kind = PB_REF_REFUSED;
				ref->why = "anonymous writable data";
				return;
			}
			local(ref, s->sec, addend);
			return;
		}
		s = c;
		addend -= (int64_t)c->s.st_value;
		ref->sym = s;
	}
	/* A once-flag or debug descriptor: the patch's own, fresh. */
	if (s->include || s->change != PB_SAME || fresh_copy_ok(s->sec)) {
		if (pb_sym_type(s) == STT_OBJECT &&
		    (s->sec->sh.sh_flags & SHF_WRITE) && !fresh_copy_ok(s->sec)) {
			ref->kind = PB_REF_REFUSED;
			ref->why = s->change == PB_NEW ? "new writable data" :
							  "changed writable data";
			return;
		}
		local(ref, s->sec, addend + (int64_t)s->s.st_value);
		return;
	}
	writable = s->sec->sh.sh_flags & SHF_WRITE;
	/* A function's read-only static (__func__.3): a copy is as good and
	 * needs no name that moves between builds. */
	if (!writable && pb_sym_type(s) == STT_OBJECT &&
	    pb_sym_bind(s) == STB_LOCAL && has_counter(s->name)) {
		local(ref, s->sec, addend + (int64_t)s->s.st_value);
		return;
	}
	extern_or_kgraft(d, s, addend, ref);
}

static int push_kreloc(struct pb_diff *d, struct pb_section *sec,
		       const struct pb_rela *r, const struct pb_ref *ref)
{
	struct pb_kreloc *k;
	size_t i;

	for (i = 0; i < d->nkrelocs; i++)
		if (d->krelocs[i].sec == sec && d->krelocs[i].offset == r->offset)
			return 0;
	k = realloc(d->krelocs, (d->nkrelocs + 1) * sizeof(*k));
	if (!k)
		return -ENOMEM;
	d->krelocs = k;
	k[d->nkrelocs] = (struct pb_kreloc){
		.sec = sec, .offset = r->offset, .type = r->type,
		.addend = ref->addend, .name = ref->name,
		.object = ref->object, .sympos = ref->sympos,
	};
	d->nkrelocs++;
	return 0;
}

struct worklist {
	struct pb_section **v;
	size_t n, cap;
};

static int include(struct pb_diff *d, struct worklist *w, struct pb_section *sec)
{
	size_t i;

	if (sec->include)
		return 0;
	sec->include = true;
	for (i = 1; i < d->after->nsyms; i++) {
		struct pb_symbol *s = &d->after->syms[i];

		if (s->sec != sec || !named(s))
			continue;
		s->include = true;
		/* A function's .cold part comes with it. */
		if (pb_sym_type(s) == STT_FUNC) {
			size_t j;

			for (j = 1; j < d->after->nsyms; j++)
				if (d->after->syms[j].parent == s &&
				    d->after->syms[j].sec &&
				    include(d, w, d->after->syms[j].sec))
					return -ENOMEM;
		}
		if (pb_sym_type(s) == STT_OBJECT && s->change != PB_SAME &&
		    !(sec->sh.sh_flags & SHF_WRITE))
			note(d, "%s read-only data %s: the patch carries a copy",
			     s->change == PB_NEW ? "new" : "changed", s->name);
	}
	if (w->n == w->cap) {
		struct pb_section **v;

		w->cap = w->cap ? w->cap * 2 : 64;
		v = realloc(w->v, w->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		w->v = v;
	}
	w->v[w->n++] = sec;
	return 0;
}

static const char *ref_target_name(struct pb_diff *d, const struct pb_rela *r)
{
	struct pb_symbol *s = &d->after->syms[r->sym];

	if (pb_sym_type(s) == STT_SECTION) {
		struct pb_symbol *c = pb_symbol_at(d->after, s->sec,
				(uint64_t)pb_rela_target_offset(r, s));

		return c ? c->name : s->sec->name;
	}
	return s->name;
}

static const char *sec_owner(const struct pb_section *sec)
{
	return sec->sym ? sec->sym->name : sec->name;
}

/* Follow the references of one included section (or one special entry). */
static int follow(struct pb_diff *d, struct worklist *w, struct pb_section *sec,
		  const struct pb_rela *r, bool loader_only)
{
	struct pb_ref ref;

	pb_diff_ref(d, r, &ref);
	switch (ref.kind) {
	case PB_REF_LOCAL:
		return include(d, w, ref.sec);
	case PB_REF_EXTERN:
		return 0;
	case PB_REF_KGRAFT:
		if (loader_only) {
			refuse(d, "needs an unexported symbol early",
			       "%s in %s refers to %s, which is not exported: the module loader must resolve it",
			       sec->name, d->object, ref.name);
			return 0;
		}
		return push_kreloc(d, sec, r, &ref);
	case PB_REF_REFUSED:
		refuse(d, ref.why, "%s refers to %s (%s)", sec_owner(sec),
		       ref_target_name(d, r), ref.why);
		return 0;
	}
	return 0;
}

static int follow_section(struct pb_diff *d, struct worklist *w,
			  struct pb_section *sec)
{
	size_t i;
	int ret;

	if (!strcmp(sec->name, ".altinstr_replacement"))
		return 0;	/* only the ranges kept alternatives use */
	for (i = 0; i < sec->nrelas; i++) {
		ret = follow(d, w, sec, &sec->relas[i], false);
		if (ret)
			return ret;
	}
	return 0;
}

static bool rela_into_included_text(struct pb_diff *d, const struct pb_rela *r)
{
	struct pb_symbol *s = &d->after->syms[r->sym];

	return s->sec && s->sec->include && pb_sec_is_text(s->sec);
}

/* The alternative's replacement bytes [off, off + len) are used. */
static int keep_replacement(struct pb_diff *d, struct worklist *w,
			    const struct pb_rela *r, unsigned int len)
{
	struct pb_symbol *s = &d->after->syms[r->sym];
	struct pb_section *rep = s->sec;
	int64_t off = pb_rela_target_offset(r, s);
	size_t i;
	int ret;

	if (!rep || strcmp(rep->name, ".altinstr_replacement") || off < 0)
		return 0;
	if (!rep->keep) {
		rep->keep = calloc(rep->size ? rep->size : 1, sizeof(bool));
		if (!rep->keep)
			return -ENOMEM;
	}
	ret = include(d, w, rep);
	if (ret)
		return ret;
	for (i = (size_t)off; i < (size_t)off + len && i < rep->size; i++)
		rep->keep[i] = true;
	for (i = 0; i < rep->nrelas; i++) {
		const struct pb_rela *rr = &rep->relas[i];

		if (rr->offset >= (uint64_t)off && rr->offset < (uint64_t)off + len) {
			ret = follow(d, w, rep, rr, true);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * A tracepoint in replaced code whose key the module loader cannot link
 * (not exported): its jump label is left out, so the site keeps its
 * compiled default, a no-op: the patched code runs right, untraced.
 */
static bool tracepoint_key_unexported(struct pb_diff *d, struct pb_section *sec,
				      uint64_t key_off)
{
	struct pb_ref ref;
	size_t i;

	for (i = 0; i < sec->nrelas; i++) {
		if (sec->relas[i].offset != key_off)
			continue;
		pb_diff_ref(d, &sec->relas[i], &ref);
		if (ref.kind == PB_REF_KGRAFT &&
		    !strncmp(ref.name, "__tracepoint_", 13)) {
			note(d, "tracepoint %s stays off in the replaced code: its key is not exported",
			     ref.name + 13);
			return true;
		}
		return false;
	}
	return false;
}

/* Keep the special-section entries that describe the code the patch
 * carries; true when one more was kept (it may pull in more). */
static int specials_pass(struct pb_diff *d, struct worklist *w, bool *more)
{
	struct pb_object *o = d->after;
	size_t i, j;
	int ret;

	for (i = 1; i < o->nsecs; i++) {
		struct pb_section *sec = &o->secs[i];
		const struct pb_special *sp;
		size_t n;

		if (!(sec->sh.sh_flags & SHF_ALLOC) || pb_sec_is_text(sec) ||
		    sec->include)
			continue;
		sp = pb_special_find(sec->name);
		if (!sp) {
			if (data_like(sec->name))
				continue;
			for (j = 0; j < sec->nrelas; j++)
				if (rela_into_included_text(d, &sec->relas[j]))
					refuse(d, "unknown special section",
					       "section %s describes %s, and the builder does not know it",
					       sec->name,
					       ref_target_name(d, &sec->relas[j]));
			continue;
		}
		if (!sp->keep || !sp->entsize || !strcmp(sp->name, ".orc_unwind"))
			continue;
		n = sec->size / sp->entsize;
		if (!sec->keep) {
			sec->keep = calloc(n ? n : 1, sizeof(bool));
			if (!sec->keep)
				return -ENOMEM;
		}
		for (j = 0; j < sec->nrelas; j++) {
			const struct pb_rela *r = &sec->relas[j];
			size_t e = r->offset / sp->entsize, k;

			if (r->offset % sp->entsize || e >= n || sec->keep[e] ||
			    !rela_into_included_text(d, r))
				continue;
			if (!strcmp(sp->name, "__jump_table") &&
			    tracepoint_key_unexported(d, sec, e * sp->entsize + 8))
				continue;
			sec->keep[e] = true;
			*more = true;
			for (k = 0; k < sec->nrelas; k++) {
				const struct pb_rela *rr = &sec->relas[k];
				bool early;

				if (rr->offset / sp->entsize != e || rr == r)
					continue;
				if (!strcmp(sp->name, ".altinstructions") &&
				    rr->offset % sp->entsize == 4) {
					ret = keep_replacement(d, w, rr,
						sec->data ? sec->data[e * 12 + 11] : 0);
					if (ret)
						return ret;
					continue;
				}
				/* The loader reads these entries as the
				 * module comes (jump labels are linked,
				 * tables sorted), before kgraft could
				 * resolve a symbol in them. */
				early = true;
				ret = follow(d, w, sec, rr, early);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

static bool traceable(struct pb_object *o, struct pb_section *sec)
{
	struct pb_section *m = pb_section_by_name(o, "__mcount_loc");
	size_t i;

	if (!m)
		return false;
	for (i = 0; i < m->nrelas; i++) {
		const struct pb_rela *r = &m->relas[i];
		struct pb_symbol *s = &o->syms[r->sym];

		if (s->sec == sec && (int64_t)s->s.st_value + r->addend <= 16)
			return true;
	}
	return false;
}

/* The function a relocation in a text section's code belongs to. */
static struct pb_symbol *referrer(struct pb_object *o, struct pb_section *sec,
				  const struct pb_rela *r)
{
	struct pb_symbol *g = pb_symbol_at(o, sec, r->offset);

	if (g && g->parent)
		g = g->parent;
	return g && pb_sym_type(g) == STT_FUNC ? g : NULL;
}

static bool refers_to(struct pb_object *o, const struct pb_rela *r,
		      const struct pb_symbol *f)
{
	const struct pb_symbol *s = &o->syms[r->sym];

	if (s == f)
		return true;
	return pb_sym_type(s) == STT_SECTION && s->sec == f->sec &&
	       pb_symbol_at(o, s->sec,
			    (uint64_t)pb_rela_target_offset(r, s)) == f;
}

/*
 * A changed function that ftrace cannot redirect (the kernel's "inline"
 * is notrace, and a big static inline such as a syscall's __do_sys_*() is
 * still emitted out of line) is reached through its callers instead: when
 * it is local and only code of this object calls it, its callers are
 * replaced and call the new copy. Its address must not be taken.
 */
static bool replace_callers(struct pb_diff *d, struct pb_symbol *f)
{
	struct pb_object *o = d->after;
	size_t i, j;

	if (pb_sym_bind(f) != STB_LOCAL) {
		refuse(d, "cannot be traced",
		       "%s has no __fentry__ call and is global: callers elsewhere cannot be replaced",
		       f->name);
		f->by_callers = true;	/* settled: neither replaced nor again */
		return false;
	}
	f->by_callers = true;
	for (i = 1; i < o->nsecs; i++) {
		struct pb_section *sec = &o->secs[i];

		if (!(sec->sh.sh_flags & SHF_ALLOC) || sec == f->sec ||
		    pb_special_find(sec->name))
			continue;
		for (j = 0; j < sec->nrelas; j++) {
			struct pb_symbol *g;

			if (!refers_to(o, &sec->relas[j], f))
				continue;
			g = pb_sec_is_text(sec) ?
				referrer(o, sec, &sec->relas[j]) : NULL;
			if (!g) {
				refuse(d, "cannot be traced",
				       "%s has no __fentry__ call and %s holds its address",
				       f->name, sec->name);
				continue;
			}
			if (g->change == PB_SAME) {
				g->change = PB_CHANGED;
				g->via = f;
			}
		}
	}
	return true;
}

static int add_func(struct pb_diff *d, struct pb_symbol *s)
{
	struct pb_func *f = realloc(d->funcs, (d->nfuncs + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	d->funcs = f;
	f[d->nfuncs++] = (struct pb_func){ .sym = s, .change = s->change };
	return 0;
}

int pb_diff_run(struct pb_diff *d, char *err, size_t errlen)
{
	struct pb_object *a = d->after;
	struct worklist w = { 0 };
	size_t i, done = 0;
	bool more;
	int ret = 0;

	correlate(d);
	classify(d);
	/* Untraceable changed functions hand their change to their callers,
	 * which may be untraceable in turn: repeat until none is left. */
	do {
		more = false;
		for (i = 1; i < a->nsyms; i++) {
			struct pb_symbol *s = &a->syms[i];

			if (!named(s) || pb_sym_type(s) != STT_FUNC ||
			    s->change != PB_CHANGED || s->parent ||
			    s->by_callers || init_section(s->sec) ||
			    traceable(d->before, s->twin->sec))
				continue;
			more |= replace_callers(d, s);
		}
	} while (more);
	/* Every changed function is replaced: it is where the patch starts. */
	for (i = 1; i < a->nsyms && !ret; i++) {
		struct pb_symbol *s = &a->syms[i];
		unsigned long pos = 0;
		int r;

		if (!named(s) || pb_sym_type(s) != STT_FUNC ||
		    s->change != PB_CHANGED || s->parent || s->by_callers)
			continue;
		if (init_section(s->sec)) {
			refuse(d, "__init code changed",
			       "%s is in %s: it ran at boot and is gone", s->name,
			       s->sec->name);
			continue;
		}
		r = pb_target_sympos(d->target, d->object, s->name, d->after,
				     &pos);
		if (r == -ENOENT) {
			refuse(d, "not in the running kernel",
			       "%s changed but the running kernel has no such function (inlined there?)",
			       s->name);
			continue;
		}
		if (r) {
			refuse(d, "ambiguous local symbol",
			       "%s: several functions of that name and their neighbours do not tell which",
			       s->name);
			continue;
		}
		ret = add_func(d, s);
		if (!ret) {
			d->funcs[d->nfuncs - 1].sympos = pos;
			ret = include(d, &w, s->sec);
		}
	}
	/* Changed data no changed code refers to is still a change the patch
	 * would silently leave out. */
	for (i = 1; i < a->nsyms; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (!named(s) || pb_sym_type(s) != STT_OBJECT ||
		    s->change != PB_CHANGED || !(s->sec->sh.sh_flags & SHF_ALLOC))
			continue;
		if ((s->sec->sh.sh_flags & SHF_WRITE) && !fresh_copy_ok(s->sec))
			refuse(d, "changed writable data",
			       "%s (%s) changed: its initial value or size; a live patch cannot change data in place",
			       s->name, s->sec->name);
	}
	do {
		more = false;
		while (!ret && done < w.n)
			ret = follow_section(d, &w, w.v[done++]);
		if (!ret)
			ret = specials_pass(d, &w, &more);
	} while (!ret && (more || done < w.n));
	/* New functions the changed code calls come along, and so do the
	 * changed ones only their callers reach. */
	for (i = 1; i < a->nsyms && !ret; i++) {
		struct pb_symbol *s = &a->syms[i];

		if (named(s) && pb_sym_type(s) == STT_FUNC && s->include &&
		    (s->change == PB_NEW || s->by_callers) && !s->parent)
			ret = add_func(d, s);
		else if (named(s) && pb_sym_type(s) == STT_FUNC &&
			 s->change == PB_NEW && !s->include && !s->parent &&
			 !init_section(s->sec))
			note(d, "new function %s is not called by changed code: left out",
			     s->name);
	}
	free(w.v);
	if (ret)
		snprintf(err, errlen, "%s: %s", a->path, strerror(-ret));
	return ret;
}

void pb_diff_free(struct pb_diff *d)
{
	size_t i;

	for (i = 0; i < d->nrefusals; i++)
		free(d->refusals[i].message);
	for (i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	free(d->refusals);
	free(d->notes);
	free(d->funcs);
	free(d->krelocs);
	d->funcs = NULL;
	d->krelocs = NULL;
	d->refusals = NULL;
	d->notes = NULL;
	d->nfuncs = d->nkrelocs = d->nrefusals = d->nnotes = 0;
}
