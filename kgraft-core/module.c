// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: patches of modules that load after them, as livepatch's
 * klp_module_coming() and klp_module_going(), through a module notifier.
 * Coming (ftrace knows the module's call sites, its init has not run),
 * every registered patch resolves its functions in it, and a patch that
 * is enabled or in transition puts its versions on their stacks in the
 * mode its other versions are in: the module's first call runs the
 * patched code, or the version of the caller's universe. Going (its exit
 * has run), the versions come off and are forgotten; kgraft keeps no
 * reference on the module, which may be unloaded and loaded again under an
 * enabled patch. An enabled patch's callbacks for the object run around
 * that (pre_patch may refuse, which fails the module's load, as a function
 * of a patch in use that cannot be redirected does); a patch in transition
 * gets pre_patch as the module comes and its post from the transition's
 * end, or post_unpatch as the module goes.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

static bool kgraft_fp_in(const struct kgraft_func_priv *fp, const char *name)
{
	return kgraft_same_object(fp->func->object, name);
}

/* Is @object (a callbacks entry's) loaded: the kernel, or resolved? */
bool kgraft_object_loaded(struct kgraft_patch_priv *p, const char *object)
{
	unsigned int i;

	if (kgraft_object_is_vmlinux(object))
		return true;
	for (i = 0; i < p->nr_funcs; i++)
		if (kgraft_fp_in(&p->funcs[i], object) &&
		    kgraft_fp_resolved(&p->funcs[i]))
			return true;
	return false;
}

/* Do @p's versions go on stacks (kgraft's redirection, not disabled)? */
static bool kgraft_module_live(struct kgraft_patch_priv *p)
{
	return p->state != KGRAFT_DISABLED && !p->strategy->own_redirection;
}

/* The mode a version of @p put on a stack now must be in. */
static int kgraft_module_mode(struct kgraft_patch_priv *p)
{
	struct kgraft_func_priv *fp;
	unsigned int i;

	kgraft_for_each_fp(p, fp, i)
		if (fp->site)
			return READ_ONCE(fp->mode);
	if (p->state == KGRAFT_ENABLED)
		return KGRAFT_MODE_FAST;
	/* In transition with nothing on a stack yet. */
	if (kgraft_tr.patch == p)
		return KGRAFT_MODE_SLOW;
	return p->target == KGRAFT_PATCHED ? KGRAFT_MODE_OLD :
					     KGRAFT_MODE_FAST;
}

/*
 * Take @p's versions in @mod off their stacks and forget them, its no-ops
 * (a cumulative transition's) included.
 */
static void kgraft_module_forget(struct kgraft_patch_priv *p,
				 struct module *mod)
{
	struct kgraft_func_priv *fp;
	bool sync = false;
	unsigned int i;

	kgraft_for_each_fp(p, fp, i)
		if (kgraft_fp_in(fp, mod->name))
			sync |= kgraft_fp_pop(fp);
	if (sync)
		kgraft_sync_cpus();
	kgraft_for_each_fp(p, fp, i)
		if (kgraft_fp_in(fp, mod->name))
			kgraft_release_func(fp);
}

/*
 * Modules this notifier has seen come and not yet go: with those that
 * were live before kgraft, the ones whose functions a patch may resolve
 * (one still coming would be resolved again by the notifier, one going
 * would never be forgotten). kgraft_mutex.
 */
struct kgraft_mod_seen {
	struct list_head node;
	struct module *mod;
};

static LIST_HEAD(kgraft_mods_seen);

static struct kgraft_mod_seen *kgraft_seen_find(struct module *mod)
{
	struct kgraft_mod_seen *s;

	list_for_each_entry(s, &kgraft_mods_seen, node)
		if (s->mod == mod)
			return s;
	return NULL;
}

/* May @mod's functions be resolved now? kgraft_mutex and module_mutex. */
bool kgraft_module_usable(struct module *mod)
{
	if (mod->state == MODULE_STATE_GOING)
		return false;
	return mod->state == MODULE_STATE_LIVE || kgraft_seen_find(mod);
}

static int kgraft_module_coming(struct kgraft_patch_priv *p,
				struct module *mod)
{
	struct kgraft_func_priv *fp;
	bool any = false;
	unsigned int i;
	int mode, ret;

	mode = kgraft_module_mode(p);
	for (i = 0; i < p->nr_funcs; i++) {
		fp = &p->funcs[i];
		if (!kgraft_fp_in(fp, mod->name) || kgraft_fp_resolved(fp))
			continue;
		ret = kgraft_resolve_func(fp);
		if (ret > 0) {
			pr_err("%s: %s: no such symbol in module %s\n",
			       p->patch->name, fp->func->name, mod->name);
			ret = -ENOENT;
		}
		/* Only a patch in use refuses the load; the others wait. */
		if (ret && p->state == KGRAFT_DISABLED) {
			kgraft_release_func(fp);
			continue;
		}
		if (ret)
			goto err;
		any = true;
	}
	if (!any)
		return 0;
	/* A transition's post callbacks will see the object loaded. */
	if (p->state != KGRAFT_DISABLED) {
		/* A refusal is logged, and its post_unpatch made, there. */
		ret = kgraft_callbacks_run(p, mod->name, KGRAFT_CB_PRE_PATCH);
		if (ret)
			goto err;
	}
	if (kgraft_module_live(p)) {
		for (i = 0; i < p->nr_funcs; i++) {
			fp = &p->funcs[i];
			if (!kgraft_fp_in(fp, mod->name))
				continue;
			WRITE_ONCE(fp->mode, mode);
			ret = kgraft_fp_push(fp);
			if (ret)
				goto err_cb;
		}
	}
	if (p->state == KGRAFT_ENABLED)
		kgraft_callbacks_run(p, mod->name, KGRAFT_CB_POST_PATCH);
	pr_info("%s: module %s loaded: its functions patched%s\n",
		p->patch->name, mod->name,
		kgraft_module_live(p) ? "" : " (by the strategy's own means)");
	return 0;
err_cb:
	if (p->state != KGRAFT_DISABLED)
		kgraft_callbacks_run(p, mod->name, KGRAFT_CB_POST_UNPATCH);
err:
	kgraft_module_forget(p, mod);
	return ret;
}

static void kgraft_module_going(struct kgraft_patch_priv *p,
				struct module *mod)
{
	if (!kgraft_object_loaded(p, mod->name)) {
		kgraft_module_forget(p, mod);	/* no-ops only */
		return;
	}
	if (p->state == KGRAFT_ENABLED)
		kgraft_callbacks_run(p, mod->name, KGRAFT_CB_PRE_UNPATCH);
	kgraft_module_forget(p, mod);
	/* In transition too: its end no longer sees the object. */
	if (p->state != KGRAFT_DISABLED)
		kgraft_callbacks_run(p, mod->name, KGRAFT_CB_POST_UNPATCH);
	pr_info("%s: module %s went: its functions forgotten\n",
		p->patch->name, mod->name);
}

static int kgraft_module_notify(struct notifier_block *nb,
				unsigned long action, void *data)
{
	struct module *mod = data;
	struct kgraft_patch_priv *p, *failed = NULL;
	struct kgraft_mod_seen *seen;
	int ret = 0;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&kgraft_mutex);
	if (action == MODULE_STATE_GOING) {
		list_for_each_entry(p, &kgraft_patches, list)
			if (p->patch->mod != mod)
				kgraft_module_going(p, mod);
		seen = kgraft_seen_find(mod);
		if (seen) {
			list_del(&seen->node);
			kfree(seen);
		}
		mutex_unlock(&kgraft_mutex);
		return NOTIFY_OK;
	}
	ret = kgraft_replace_check_coming(mod);
	seen = ret ? NULL : kzalloc(sizeof(*seen), GFP_KERNEL);
	if (!seen) {
		mutex_unlock(&kgraft_mutex);
		return notifier_from_errno(ret ?: -ENOMEM);
	}
	seen->mod = mod;
	list_add(&seen->node, &kgraft_mods_seen);
	list_for_each_entry(p, &kgraft_patches, list) {
		if (p->patch->mod == mod)
			continue;
		ret = kgraft_module_coming(p, mod);
		if (ret) {
			failed = p;
			break;
		}
	}
	/* A refused load goes no further: undo what the others did. */
	if (failed) {
		list_for_each_entry(p, &kgraft_patches, list) {
			if (p == failed)
				break;
			kgraft_module_going(p, mod);
		}
		pr_err("%s: refusing to load module %s: %d\n",
		       failed->patch->name, mod->name, ret);
		list_del(&seen->node);
		kfree(seen);
	}
	mutex_unlock(&kgraft_mutex);
	return notifier_from_errno(ret);
}

static struct notifier_block kgraft_module_nb = {
	.notifier_call = kgraft_module_notify,
};

int kgraft_module_init(void)
{
	return register_module_notifier(&kgraft_module_nb);
}

void kgraft_module_exit(void)
{
	struct kgraft_mod_seen *s, *n;

	unregister_module_notifier(&kgraft_module_nb);
	list_for_each_entry_safe(s, n, &kgraft_mods_seen, node)
		kfree(s);
}
