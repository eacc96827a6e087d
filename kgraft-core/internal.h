/* SPDX-License-Identifier: GPL-2.0 */
/* kgraft: structures shared by the files of kgraft.ko (not a public API). */
#ifndef _KGRAFT_INTERNAL_H
#define _KGRAFT_INTERNAL_H

#include <linux/ftrace.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <kgraft.h>
#include <kgraft_strategy.h>

/* How a function's ftrace handler decides (kgraft_func_priv.mode). */
enum kgraft_mode {
	KGRAFT_MODE_SLOW,	/* per task (or per CPU in interrupts) */
	KGRAFT_MODE_FAST,	/* always the new function */
	KGRAFT_MODE_OLD,	/* always the old function (all-at-once switch) */
};

/* Life of a patch, as seen by the enabled and transition files. */
enum kgraft_state {
	KGRAFT_DISABLED,	/* no ftrace ops registered */
	KGRAFT_TRANSITION,	/* a lazy transition runs (either way) */
	KGRAFT_ENABLED,		/* every function in fast mode */
};

/*
 * One patched function: the single IPMODIFY ftrace ops ftrace allows on
 * it, and the stack of versions patches give it, newest first. Under
 * kgraft_mutex; the handler reads the stack under RCU (preemption off).
 */
struct kgraft_site {
	struct ftrace_ops ops;
	struct list_head node;		/* kgraft_sites */
	struct list_head stack;		/* kgraft_func_priv.stack_node */
	unsigned long old_addr;
};

struct kgraft_func_priv {
	struct kgraft_patch_priv *patch;
	const struct kgraft_func *func;
	unsigned long old_addr, old_size;
	/* What this version runs: the replacement, or for a no-op the original. */
	unsigned long new_addr, new_size;
	/* NULL for vmlinux; no reference: forgotten when the module goes. */
	struct module *object;
	int mode;		/* enum kgraft_mode, read by the handler */
	bool nop;		/* a cumulative patch's "back to the original" */
	struct kgraft_site *site;	/* on its stack while set */
	struct list_head stack_node;
};

/* Stops of the machine in the last transition (stop_machine strategy). */
struct kgraft_stop_stats {
	unsigned long stops, busy;
	struct kgraft_stop_record last;
	u64 max_total_ns, sum_total_ns;
};

/* Per transition, reset by kgraft_transition_begin(). */
struct kgraft_stats {
	atomic_long_t switched[KGRAFT_MAX_PATHS];	/* by path slot (path.c) */
	atomic_long_t sweeps;		/* the hybrid's stack-checking walks */
	atomic_long_t checks;		/* the 2014 model's checks */
	atomic_long_t signals_sent;
	atomic_long_t states_added;	/* tasks the sweep found without one */
	unsigned long tasks_at_start;
	struct kgraft_stop_stats stop;
	u64 start_ns, end_ns;
};

#define KGRAFT_MAX_RELOC_MODS	8

struct kgraft_patch_priv {
	struct kobject kobj;
	struct list_head list;		/* kgraft_patches */
	struct kgraft_patch *patch;
	struct kgraft_func_priv *funcs;
	unsigned int nr_funcs;
	/* A cumulative patch's no-ops, for functions only older patches carry. */
	struct kgraft_func_priv *nops;
	unsigned int nr_nops;
	enum kgraft_state state;
	int target;			/* universe of the last transition */
	bool forced;
	bool replacing;			/* its enable replaces the others */
	bool mod_ref;			/* we hold a reference on patch->mod */
	bool pinned;			/* forced while unpatching: never unload */
	u64 enable_seq;			/* order of enables: the stacks' */
	const struct kgraft_strategy *strategy;
	void *strategy_data;		/* the strategy's own, per patch */
	struct kgraft_stats stats;
	unsigned long __percpu *slow_calls;
	unsigned long __percpu *fast_calls;
	/* Modules the patch's relocations point into, held while it lives. */
	struct module *reloc_mods[KGRAFT_MAX_RELOC_MODS];
	unsigned int nr_reloc_mods;
};

/* Every version of @p: its functions, then its no-ops. */
static inline struct kgraft_func_priv *kgraft_fp(struct kgraft_patch_priv *p,
						 unsigned int i)
{
	return i < p->nr_funcs ? &p->funcs[i] : &p->nops[i - p->nr_funcs];
}

#define kgraft_for_each_fp(p, fp, i)					\
	for ((i) = 0; (i) < (p)->nr_funcs + (p)->nr_nops &&		\
		      ((fp) = kgraft_fp(p, i)); (i)++)

extern struct mutex kgraft_mutex;
extern struct list_head kgraft_patches;
extern struct kgraft_strategy kgraft_lazy_strategy;	/* "kgraft": 2014 */
extern struct kgraft_strategy kgraft_sweep_strategy;	/* the hybrid */

/* Fault injection: true (and one less to come) while *@left > 0. */
static inline bool kgraft_inject(unsigned int *left)
{
	unsigned int n = READ_ONCE(*left);

	while (n && cmpxchg(left, n, n - 1) != n)
		n = READ_ONCE(*left);
	return n != 0;
}

/* core.c */
int kgraft_set_enabled(struct kgraft_patch_priv *p, bool enable);

/* replace.c: cumulative patches; kgraft_mutex held. */
int kgraft_replace_prepare(struct kgraft_patch_priv *p);
void kgraft_replace_free_nops(struct kgraft_patch_priv *p);
void kgraft_replace_finish(struct kgraft_patch_priv *p);
bool kgraft_replace_carries(struct kgraft_patch_priv *p,
			    const struct kgraft_func *f);
int kgraft_replace_check_coming(struct module *mod);

/* callbacks.c: a patch's callbacks around its transitions. */
enum kgraft_cb_kind {
	KGRAFT_CB_PRE_PATCH,
	KGRAFT_CB_POST_PATCH,
	KGRAFT_CB_PRE_UNPATCH,
	KGRAFT_CB_POST_UNPATCH,
};

int kgraft_callbacks_check(const struct kgraft_patch *patch);
int kgraft_callbacks_run(struct kgraft_patch_priv *p, const char *object,
			 enum kgraft_cb_kind kind);
int kgraft_callbacks_pre(struct kgraft_patch_priv *p, int target);
void kgraft_callbacks_post(struct kgraft_patch_priv *p, int target);

/* shadow.c */
void kgraft_shadow_exit(void);
unsigned long kgraft_shadow_count(void);

/* strategy.c */
int kgraft_set_strategy(struct kgraft_patch_priv *p, const char *name);
void kgraft_release_strategy(struct kgraft_patch_priv *p);
void kgraft_strategies_init(void);

/* path.c: path names and stats slots; kgraft_mutex held. */
int kgraft_paths_add(struct kgraft_strategy *s);
void kgraft_paths_remove(struct kgraft_strategy *s);
int kgraft_paths_show(struct kgraft_patch_priv *p, char *buf, int len);

int kgraft_force(struct kgraft_patch_priv *p);
void kgraft_free_patch_priv(struct kgraft_patch_priv *p);

static inline bool kgraft_object_is_vmlinux(const char *object)
{
	return !object || !strcmp(object, "vmlinux");
}

/* Do two object names name one object (NULL and "vmlinux": the kernel)? */
static inline bool kgraft_same_object(const char *a, const char *b)
{
	if (kgraft_object_is_vmlinux(a) || kgraft_object_is_vmlinux(b))
		return kgraft_object_is_vmlinux(a) &&
		       kgraft_object_is_vmlinux(b);
	return !strcmp(a, b);
}

/* A function of a module that is not loaded has no address yet. */
static inline bool kgraft_fp_resolved(const struct kgraft_func_priv *fp)
{
	return fp->old_addr != 0;
}

/* module.c: patches of modules loaded after them. */
int kgraft_module_init(void);
void kgraft_module_exit(void);
bool kgraft_object_loaded(struct kgraft_patch_priv *p, const char *object);
bool kgraft_module_usable(struct module *mod);

/* relocs.c */
int kgraft_relocs_apply(struct kgraft_patch_priv *p);
void kgraft_relocs_release(struct kgraft_patch_priv *p);

/* symbols.c */
int kgraft_symbols_init(void);
int kgraft_resolve_func(struct kgraft_func_priv *fp);
int kgraft_resolve_symbol(const char *object, const char *name,
			  unsigned long sympos, unsigned long *addr,
			  struct module **mod);
extern void *(*kgraft_text_poke)(void *addr, const void *opcode, size_t len);
extern void (*kgraft_text_poke_sync)(void);
extern struct mutex *kgraft_text_mutex;
void kgraft_release_func(struct kgraft_func_priv *fp);
extern int (*kgraft_task_call_func)(struct task_struct *p, task_call_f func,
				    void *arg);
extern int (*kgraft_stack_trace_save_tsk_reliable)(struct task_struct *tsk,
						   unsigned long *store,
						   unsigned int size);
extern int (*kgraft_wake_up_state)(struct task_struct *p, unsigned int state);
extern struct task_struct *(*kgraft_idle_task)(int cpu);
bool kgraft_func_bounds(unsigned long addr, unsigned long *start,
			unsigned long *size);
unsigned long kgraft_lookup_name(const char *name);

/* patch.c: the version stacks; kgraft_mutex held. */
int kgraft_fp_push(struct kgraft_func_priv *fp);
/* True: the stack stays, kgraft_sync_cpus() before @fp can go. */
bool kgraft_fp_pop(struct kgraft_func_priv *fp);
int kgraft_patch_register_ops(struct kgraft_patch_priv *p);
void kgraft_patch_unregister_ops(struct kgraft_patch_priv *p);
void kgraft_patch_unregister_nops(struct kgraft_patch_priv *p);
void kgraft_patch_set_mode(struct kgraft_patch_priv *p, int mode);
void kgraft_fp_below(const struct kgraft_func_priv *fp, unsigned long *start,
		     unsigned long *size);
bool kgraft_site_running(unsigned long old_addr,
			 const struct kgraft_patch_priv *except,
			 unsigned long *start, unsigned long *size);
int kgraft_stacks_show(char *buf, int len);
DECLARE_PER_CPU(int, kgraft_irq_universe);

/* task_state.c: the universe of each task during a transition. */
struct kgraft_task_state {
	struct hlist_node node;
	struct list_head dead;
	struct task_struct *task;
	int universe;
	bool signalled;
	/*
	 * The 2014 model, kthreads: the code range of the main function as
	 * it runs (an earlier patch's replacement if one took it over); a
	 * size of 0 means no safe point (not known yet, or being patched).
	 * Set once per transition by the walk, size last (release).
	 */
	unsigned long main_start;
	unsigned long main_size;
	bool main_noted;
};

int kgraft_ts_init(void);
void kgraft_ts_exit(void);
struct kgraft_task_state *kgraft_ts_lookup(struct task_struct *t);
struct kgraft_task_state *kgraft_ts_alloc(gfp_t gfp);
void kgraft_ts_free(struct kgraft_task_state *ts);
bool kgraft_ts_insert(struct kgraft_task_state *ts, struct task_struct *t,
		      int universe);
int kgraft_ts_remove(struct task_struct *t);
void kgraft_ts_free_all(void);
void kgraft_ts_retire_all(void);
void kgraft_ts_reap(void);
void kgraft_ts_for_each(void (*fn)(struct kgraft_task_state *ts, void *arg),
			void *arg);
unsigned long kgraft_ts_count(void);
unsigned long kgraft_ts_unfreed_count(void);
extern raw_spinlock_t kgraft_ts_lock;

/* transition.c: the state of the (single) running lazy transition. */
struct kgraft_transition {
	struct kgraft_patch_priv *patch;	/* NULL when none runs */
	int target;
	int start_source;	/* universe of a task that has no state */
	bool sweep;		/* the hybrid's sweep (kgraft_sweep), else 2014 */
	bool active;		/* fork and free hooks act */
	long pending;		/* tasks whose universe != target */
	bool counted;		/* pending holds every task (start done) */
	unsigned long stateless;	/* tasks created without a state */
	unsigned long signal_at;	/* jiffies of the next fake signals */
};

extern struct kgraft_transition kgraft_tr;
/* Forks that found no memory for their state (all transitions). */
extern atomic_long_t kgraft_fork_nomem;
int kgraft_transition_init(void);
void kgraft_transition_exit(void);
void kgraft_switch_current(enum kgraft_path path);
void kgraft_task_forked(struct task_struct *parent, struct task_struct *child);
void kgraft_task_freed(struct task_struct *t);
void kgraft_sync_cpus(void);

/* safepoint.c: the 2014 model's safe points; kgraft_mutex held. */
int kgraft_safepoints_init(void);
void kgraft_safepoints_exit(void);
int kgraft_safepoints_check(struct kgraft_patch_priv *p);
void kgraft_safepoints_note_main(struct kgraft_patch_priv *p,
				 struct kgraft_task_state *ts,
				 struct task_struct *t);
bool kgraft_safepoints_main_patched(struct kgraft_patch_priv *p,
				    struct task_struct *t);
int kgraft_safepoints_start(void);
void kgraft_safepoints_arm(void);
void kgraft_safepoints_stop(void);

/* boundary.c */
int kgraft_boundary_init(void);
void kgraft_boundary_exit(void);
int kgraft_boundary_start(void);
void kgraft_boundary_stop(void);

/* sysfs.c */
int kgraft_sysfs_init(void);
void kgraft_sysfs_exit(void);
int kgraft_sysfs_add(struct kgraft_patch_priv *p);
void kgraft_sysfs_del(struct kgraft_patch_priv *p);

#endif /* _KGRAFT_INTERNAL_H */
