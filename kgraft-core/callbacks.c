// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: a patch's callbacks (struct kgraft_callbacks), called by the core
 * at the same points for every strategy: pre before a transition starts
 * (a reversal is not a start), post once the transition has ended, for the
 * state it ended in, so each transition gets exactly one pre and one post
 * per object. They run with kgraft_mutex held in process context, never
 * inside a stop of the machine: a callback may sleep, and what it does is
 * not part of the strategy's critical section (upstream livepatch runs its
 * own at the same points). Only objects that are loaded get theirs; a
 * module that loads or goes while the patch is enabled gets them then.
 */
#define pr_fmt(fmt) "kgraft: " fmt

#include <linux/string.h>
#include "internal.h"

#define kgraft_for_each_cb(patch, cb)					\
	for ((cb) = (patch)->callbacks; (cb) && (cb)->object; (cb)++)

/* The kernel: "vmlinux", as a function's NULL object. */
static bool kgraft_cb_same_object(const char *cb_obj, const char *fn_obj)
{
	if (!fn_obj)
		fn_obj = "vmlinux";
	return !strcmp(cb_obj, fn_obj);
}

/* Every callbacks entry names an object that one of the functions is in. */
int kgraft_callbacks_check(const struct kgraft_patch *patch)
{
	const struct kgraft_callbacks *cb;
	const struct kgraft_func *f;

	kgraft_for_each_cb(patch, cb) {
		for (f = patch->funcs; f->name; f++)
			if (kgraft_cb_same_object(cb->object, f->object))
				break;
		if (!f->name) {
			pr_err("%s: callbacks for %s, which none of its functions is in\n",
			       patch->name, cb->object);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Before a transition to @target starts. A pre_patch that fails refuses it:
 * the objects whose pre_patch ran get their post_unpatch, as if the
 * transition had ended unpatched at once.
 */
int kgraft_callbacks_pre(struct kgraft_patch_priv *p, int target)
{
	struct kgraft_patch *patch = p->patch;
	struct kgraft_callbacks *cb, *done;
	int ret;

	lockdep_assert_held(&kgraft_mutex);
	kgraft_for_each_cb(patch, cb) {
		/* A module loaded later gets its own (module.c). */
		if (!kgraft_object_loaded(p, cb->object))
			continue;
		if (target == KGRAFT_UNPATCHED) {
			if (cb->pre_unpatch)
				cb->pre_unpatch(patch, cb->object);
			continue;
		}
		if (!cb->pre_patch)
			continue;
		ret = cb->pre_patch(patch, cb->object);
		if (!ret)
			continue;
		pr_err("%s: pre_patch callback for %s refused the transition: %d\n",
		       patch->name, cb->object, ret);
		for (done = patch->callbacks; done < cb; done++)
			if (done->post_unpatch &&
			    kgraft_object_loaded(p, done->object))
				done->post_unpatch(patch, done->object);
		return ret;
	}
	return 0;
}

/* A transition ended in @target (reached, or turned back to it). */
void kgraft_callbacks_post(struct kgraft_patch_priv *p, int target)
{
	struct kgraft_patch *patch = p->patch;
	struct kgraft_callbacks *cb;

	lockdep_assert_held(&kgraft_mutex);
	kgraft_for_each_cb(patch, cb) {
		if (!kgraft_object_loaded(p, cb->object))
			continue;
		if (target == KGRAFT_PATCHED && cb->post_patch)
			cb->post_patch(patch, cb->object);
		else if (target == KGRAFT_UNPATCHED && cb->post_unpatch)
			cb->post_unpatch(patch, cb->object);
	}
}
