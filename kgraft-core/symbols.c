// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: symbol resolution. kallsyms_lookup_name() is not exported to
 * modules since 5.7, so its address is taken from a kprobe planted on it;
 * everything else kgraft needs that is not exported is looked up through it.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <asm/text-patching.h>
#include <generated/utsrelease.h>
#include "internal.h"


static unsigned long (*kgraft_kallsyms_lookup_name)(const char *name);
static int (*kgraft_kallsyms_on_each_symbol)(int (*fn)(void *, const char *,
						       struct module *,
						       unsigned long),
					     void *data);
static int (*kgraft_module_kallsyms_on_each_symbol)(int (*fn)(void *,
							      const char *,
							      struct module *,
							      unsigned long),
						    void *data);
static int (*kgraft_kallsyms_lookup_size_offset)(unsigned long addr,
						 unsigned long *size,
						 unsigned long *offset);
static unsigned long (*kgraft_ftrace_location)(unsigned long ip);

int (*kgraft_task_call_func)(struct task_struct *p, task_call_f func,
			     void *arg);
int (*kgraft_stack_trace_save_tsk_reliable)(struct task_struct *tsk,
					    unsigned long *store,
					    unsigned int size);
int (*kgraft_wake_up_state)(struct task_struct *p, unsigned int state);
struct task_struct *(*kgraft_idle_task)(int cpu);
void *(*kgraft_text_poke)(void *addr, const void *opcode, size_t len);
void (*kgraft_text_poke_sync)(void);
struct mutex *kgraft_text_mutex;

/*
 * Each function is called through a pointer resolved by name, which the
 * compiler cannot check against the kernel: check the pointer types
 * against the declarations in the headers built with (kallsyms_on_each_symbol()
 * lost its module argument in 6.2, for one), and load only on the release
 * those headers are for (kgraft_symbols_init()).
 */
#define kgraft_same_proto(fn, ptr) \
	static_assert(__same_type(&(fn), (ptr)), #fn " changed its prototype")
kgraft_same_proto(kallsyms_lookup_name, kgraft_kallsyms_lookup_name);
kgraft_same_proto(text_poke, kgraft_text_poke);
kgraft_same_proto(text_poke_sync, kgraft_text_poke_sync);
kgraft_same_proto(kallsyms_on_each_symbol, kgraft_kallsyms_on_each_symbol);
kgraft_same_proto(module_kallsyms_on_each_symbol,
		  kgraft_module_kallsyms_on_each_symbol);
kgraft_same_proto(kallsyms_lookup_size_offset,
		  kgraft_kallsyms_lookup_size_offset);
kgraft_same_proto(ftrace_location, kgraft_ftrace_location);
kgraft_same_proto(task_call_func, kgraft_task_call_func);
kgraft_same_proto(stack_trace_save_tsk_reliable,
		  kgraft_stack_trace_save_tsk_reliable);
kgraft_same_proto(wake_up_state, kgraft_wake_up_state);
kgraft_same_proto(idle_task, kgraft_idle_task);

static int kgraft_find_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot find kallsyms_lookup_name through a kprobe: %d\n",
		       ret);
		return ret;
	}
	kgraft_kallsyms_lookup_name = (void *)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

/* Kernel functions kgraft calls that are not exported to modules. */
static const struct {
	const char *name;
	void **addr;
} kgraft_syms[] = {
	{ "kallsyms_on_each_symbol", (void **)&kgraft_kallsyms_on_each_symbol },
	{ "module_kallsyms_on_each_symbol",
	  (void **)&kgraft_module_kallsyms_on_each_symbol },
	{ "kallsyms_lookup_size_offset",
	  (void **)&kgraft_kallsyms_lookup_size_offset },
	{ "ftrace_location", (void **)&kgraft_ftrace_location },
	{ "task_call_func", (void **)&kgraft_task_call_func },
	{ "stack_trace_save_tsk_reliable",
	  (void **)&kgraft_stack_trace_save_tsk_reliable },
	{ "wake_up_state", (void **)&kgraft_wake_up_state },
	{ "idle_task", (void **)&kgraft_idle_task },
	{ "text_poke", (void **)&kgraft_text_poke },
	{ "text_poke_sync", (void **)&kgraft_text_poke_sync },
	{ "text_mutex", (void **)&kgraft_text_mutex },
};

int kgraft_symbols_init(void)
{
	const char *running = init_utsname()->release;
	int i, ret;

	/* A forced load (insmod -f) skips the vermagic check: not this one. */
	if (strcmp(running, UTS_RELEASE)) {
		pr_err("built for kernel %s, running %s: the prototypes of the unexported functions kgraft calls may differ; refusing to load\n",
		       UTS_RELEASE, running);
		return -ENOEXEC;
	}
	ret = kgraft_find_kallsyms();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(kgraft_syms); i++) {
		*kgraft_syms[i].addr =
			(void *)kgraft_kallsyms_lookup_name(kgraft_syms[i].name);
		if (!*kgraft_syms[i].addr) {
			pr_err("kernel symbol %s not found\n",
			       kgraft_syms[i].name);
			return -ENOENT;
		}
	}
	return 0;
}

struct kgraft_find {
	const char *object;	/* NULL: vmlinux */
	const char *name;
	unsigned long sympos;
	unsigned long count;
	unsigned long addr;
	struct module *mod;
	bool mod_seen;
	bool mod_ref_failed;
	/*
	 * Only a module done with its init: a relocation's reference does
	 * not keep a module whose init fails (it is freed regardless), and
	 * a coming module's kallsyms still lists its init symbols.
	 */
	bool live_only;
};

static int kgraft_find_cb(void *data, const char *name, struct module *mod,
			  unsigned long addr)
{
	struct kgraft_find *f = data;

	if (f->object) {
		/* One coming or going is not loaded yet, or any more. */
		if (!mod || strcmp(mod->name, f->object) ||
		    !kgraft_module_usable(mod) ||
		    (f->live_only && mod->state != MODULE_STATE_LIVE))
			return 0;
		f->mod_seen = true;
	}
	if (strcmp(name, f->name))
		return 0;
	f->count++;
	/* With sympos 0 keep the first and let the caller refuse duplicates. */
	if ((f->sympos == 0 && f->count == 1) || f->count == f->sympos) {
		f->addr = addr;
		/* module_mutex is held here, so @mod cannot go away under us. */
		if (mod && !f->mod) {
			if (try_module_get(mod))
				f->mod = mod;
			else
				f->mod_ref_failed = true;
		}
	}
	return 0;
}

/*
 * Find @f's symbol: 0 with f->addr (and, in a module, a reference on
 * f->mod that the caller drops), 1 when its module is not loaded, or an
 * error, logged with the symbol's name.
 */
static int kgraft_find(struct kgraft_find *f)
{
	int ret = -ENOENT;

	if (f->object && !strcmp(f->object, "vmlinux"))
		f->object = NULL;
	if (f->object)
		kgraft_module_kallsyms_on_each_symbol(kgraft_find_cb, f);
	else
		kgraft_kallsyms_on_each_symbol(kgraft_find_cb, f);
	if (f->object && !f->mod_seen)
		return 1;
	if (f->mod_ref_failed) {
		pr_err("%s: module %s is going away\n", f->name, f->object);
		goto err;
	}
	if (!f->count) {
		pr_err("%s: no such symbol in %s\n", f->name,
		       f->object ?: "vmlinux");
		goto err;
	}
	ret = -EINVAL;
	if (f->sympos == 0 && f->count > 1) {
		pr_err("%s: %lu symbols of that name in %s: give sympos\n",
		       f->name, f->count, f->object ?: "vmlinux");
		goto err;
	}
	if (f->sympos > f->count) {
		pr_err("%s: sympos %lu but only %lu symbols of that name\n",
		       f->name, f->sympos, f->count);
		goto err;
	}
	return 0;
err:
	if (f->mod)
		module_put(f->mod);
	f->mod = NULL;
	return ret;
}

/*
 * Resolve fp->func to an address and size and check that it can be
 * redirected. 1 when its module is not loaded: it is resolved when the
 * module comes (module.c), and forgotten again when it goes; no reference
 * is kept on the module, which may be unloaded under an enabled patch.
 * Errors name the function, as the user needs that.
 */
int kgraft_resolve_func(struct kgraft_func_priv *fp)
{
	const struct kgraft_func *fn = fp->func;
	struct kgraft_find f = {
		.object = fn->object,
		.name = fn->name,
		.sympos = fn->sympos,
	};
	unsigned long size, off;
	int ret;

	ret = kgraft_find(&f);
	if (ret == 1)
		return 1;
	if (ret)
		goto err;
	ret = -EINVAL;
	fp->old_addr = f.addr;
	fp->object = f.mod;

	/* The fentry call must be the first instruction (no IBT here). */
	if (kgraft_ftrace_location(fp->old_addr) != fp->old_addr) {
		pr_err("%s: not traceable by ftrace at its entry\n", fn->name);
		goto err;
	}
	if (!kgraft_kallsyms_lookup_size_offset(fp->old_addr, &size, &off) ||
	    off) {
		pr_err("%s: cannot find its size\n", fn->name);
		goto err;
	}
	fp->old_size = size;
	fp->new_addr = (unsigned long)fn->new_func;
	if (!kgraft_kallsyms_lookup_size_offset(fp->new_addr, &size, &off) ||
	    off) {
		pr_err("%s: replacement is not the start of a function\n",
		       fn->name);
		goto err;
	}
	fp->new_size = size;
	/* The module notifier forgets fp before @f.mod can be freed. */
	if (f.mod)
		module_put(f.mod);
	return 0;
err:
	if (f.mod)
		module_put(f.mod);
	fp->object = NULL;
	fp->old_addr = 0;
	return ret;
}


/*
 * A symbol's address by object, name and position (a patch's relocation):
 * the same rules as a function's, and the errors name the symbol. A
 * module's symbol comes with a reference on the module in *@mod, which
 * the caller keeps as long as the address is used; the module must be
 * loaded.
 */
int kgraft_resolve_symbol(const char *object, const char *name,
			  unsigned long sympos, unsigned long *addr,
			  struct module **mod)
{
	struct kgraft_find f = { .object = object, .name = name,
				 .sympos = sympos, .live_only = true };
	int ret = kgraft_find(&f);

	if (ret == 1) {
		pr_err("%s: module %s is not loaded (or still initialising), and the patch refers to its symbols: load it first\n",
		       name, object);
		return -ENOENT;
	}
	if (ret)
		return ret;
	*addr = f.addr;
	*mod = f.mod;
	return 0;
}

/* The start and size of the function @addr is in; false when unknown. */
bool kgraft_func_bounds(unsigned long addr, unsigned long *start,
			unsigned long *size)
{
	unsigned long off;

	if (!kgraft_kallsyms_lookup_size_offset(addr, size, &off))
		return false;
	*start = addr - off;
	return true;
}

/* A kernel symbol's address (0: none), for the few kgraft names itself. */
unsigned long kgraft_lookup_name(const char *name)
{
	return kgraft_kallsyms_lookup_name(name);
}

/* Forget what resolving found (the object module goes, or the patch). */
void kgraft_release_func(struct kgraft_func_priv *fp)
{
	fp->object = NULL;
	fp->old_addr = 0;
	fp->old_size = 0;
	fp->new_addr = 0;
	fp->new_size = 0;
}
