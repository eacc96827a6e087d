// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: cumulative patches (kgraft_patch.replace), as SLE's kGraft
 * replace_all and upstream livepatch's atomic replace. Enabling one is a
 * single transition of its own versions plus a no-op for every function
 * that only the patches it replaces carry (the way back to the original),
 * all pushed on top of the stacks. Once it has completed patched, the
 * replaced patches leave the stacks, end disabled and release their
 * modules, and the no-ops go: a function nobody patches any more runs its
 * original code with no handler in front of it. If the transition ends
 * unpatched instead (reversed, refused), the replaced patches never
 * stopped being enabled.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "internal.h"

/* Does @p (its own functions) or its no-ops so far replace @old_addr? */
static bool kgraft_replace_covers(struct kgraft_patch_priv *p,
				  unsigned long old_addr)
{
	struct kgraft_func_priv *fp;
	unsigned int i;

	kgraft_for_each_fp(p, fp, i)
		if (kgraft_fp_resolved(fp) && fp->old_addr == old_addr)
			return true;
	return false;
}

/* Does @p carry @f itself (same object, name and position)? */
bool kgraft_replace_carries(struct kgraft_patch_priv *p,
			    const struct kgraft_func *f)
{
	unsigned int i;

	for (i = 0; i < p->nr_funcs; i++) {
		const struct kgraft_func *g = p->funcs[i].func;

		if (!strcmp(g->name, f->name) && g->sympos == f->sympos &&
		    kgraft_same_object(g->object, f->object))
			return true;
	}
	return false;
}

/*
 * Check what cumulative @p will replace and give it a no-op for each
 * function only they carry. Nothing is registered yet.
 */
int kgraft_replace_prepare(struct kgraft_patch_priv *p)
{
	struct kgraft_patch_priv *q;
	unsigned int i, n = 0;

	lockdep_assert_held(&kgraft_mutex);
	p->replacing = true;
	list_for_each_entry(q, &kgraft_patches, list) {
		if (q == p || q->state == KGRAFT_DISABLED)
			continue;
		if (q->strategy->own_redirection !=
		    p->strategy->own_redirection) {
			pr_err("%s: cannot replace %s: strategy %s redirects by %s means, %s by %s\n",
			       p->patch->name, q->patch->name, q->strategy->name,
			       q->strategy->own_redirection ? "its own" :
			       "kgraft's", p->strategy->name,
			       p->strategy->own_redirection ? "its own" :
			       "kgraft's");
			return -EINVAL;
		}
		n += q->nr_funcs;
	}
	/* Livepatch (klp) makes its own no-ops. */
	if (!n || p->strategy->own_redirection)
		return 0;
	p->nops = kcalloc(n, sizeof(*p->nops), GFP_KERNEL);
	if (!p->nops)
		return -ENOMEM;
	list_for_each_entry(q, &kgraft_patches, list) {
		if (q == p || q->state != KGRAFT_ENABLED)
			continue;
		for (i = 0; i < q->nr_funcs; i++) {
			const struct kgraft_func_priv *qf = &q->funcs[i];
			struct kgraft_func_priv *nop;

			/* Not loaded: nothing runs it, nothing to go back. */
			if (!kgraft_fp_resolved(qf) ||
			    kgraft_replace_covers(p, qf->old_addr))
				continue;
			nop = &p->nops[p->nr_nops++];
			nop->patch = p;
			/* q stays registered as long as the no-op exists. */
			nop->func = qf->func;
			nop->old_addr = qf->old_addr;
			nop->old_size = qf->old_size;
			nop->new_addr = qf->old_addr;
			nop->new_size = qf->old_size;
			nop->nop = true;
		}
	}
	if (p->nr_nops)
		pr_info("%s: cumulative: %u functions go back to the original\n",
			p->patch->name, p->nr_nops);
	return 0;
}

/* Drop @p's no-ops, off their stacks first. */
void kgraft_replace_free_nops(struct kgraft_patch_priv *p)
{
	p->replacing = false;
	if (!p->nops)
		return;
	kgraft_patch_unregister_nops(p);
	kfree(p->nops);
	p->nops = NULL;
	p->nr_nops = 0;
}

/*
 * Cumulative @p completed patched: every other enabled patch is off. No
 * task runs their versions any more (the strategy's consistency, or its
 * replaced() keeps a module that may still be run), and the no-ops have
 * done their work.
 */
void kgraft_replace_finish(struct kgraft_patch_priv *p)
{
	struct kgraft_patch_priv *q;

	lockdep_assert_held(&kgraft_mutex);
	/* A disable of a cumulative patch turned back replaces nothing. */
	if (!p->replacing)
		return;
	list_for_each_entry(q, &kgraft_patches, list) {
		if (q == p || q->state != KGRAFT_ENABLED ||
		    q->enable_seq > p->enable_seq)
			continue;
		kgraft_patch_unregister_ops(q);
		q->state = KGRAFT_DISABLED;
		q->target = KGRAFT_UNPATCHED;
		if (p->strategy->replaced)
			p->strategy->replaced(p, q);
		/* Forced: a task may still be in q's code. */
		if (p->forced)
			kgraft_pin_patch(q);
		pr_info("%s: replaced by %s\n", q->patch->name, p->patch->name);
		sysfs_notify(&q->kobj, NULL, "enabled");
		if (q->mod_ref && !q->pinned) {
			q->mod_ref = false;
			module_put(q->patch->mod);
		}
	}
	kgraft_replace_free_nops(p);
}

/*
 * A module coming during @p's cumulative transition: a patch @p replaces
 * that has a function in it which @p does not carry would need a no-op
 * made now. Refused instead (the module can load once the transition is
 * over); a function @p carries stacks correctly on its own.
 */
int kgraft_replace_check_coming(struct module *mod)
{
	struct kgraft_patch_priv *p, *q;
	unsigned int i;

	list_for_each_entry(p, &kgraft_patches, list) {
		if (p->state != KGRAFT_TRANSITION || !p->replacing ||
		    p->strategy->own_redirection)
			continue;
		list_for_each_entry(q, &kgraft_patches, list) {
			if (q == p || q->state != KGRAFT_ENABLED)
				continue;
			for (i = 0; i < q->nr_funcs; i++) {
				const struct kgraft_func *f = q->funcs[i].func;

				if (!f->object || strcmp(f->object, mod->name) ||
				    kgraft_replace_carries(p, f))
					continue;
				pr_err("%s: module %s cannot load while cumulative %s replaces %s, which patches its %s: try once the transition is over\n",
				       p->patch->name, mod->name, p->patch->name,
				       q->patch->name, f->name);
				return -EBUSY;
			}
		}
	}
	return 0;
}
