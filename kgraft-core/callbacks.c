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

/* Every callbacks entry names an object that one of the functions is in. */
int kgraft_callbacks_check(const struct kgraft_patch *patch)
{
	const struct kgraft_callbacks *cb;
	const struct kgraft_func *f;

	kgraft_for_each_cb(patch, cb) {
		for (f = patch->funcs; f->name; f++)
			if (kgraft_same_object(cb->object, f->object))
				break;
		if (!f->name) {
			pr_err("%s: callbacks for %s, which none of its functions is in\n",
			       patch->name, cb->object);
			return -EINVAL;
		}
	}
	return 0;
}

/* One callback of @cb, if set; a pre_patch's error. */
static int kgraft_cb_call(struct kgraft_patch *patch,
			  const struct kgraft_callbacks *cb,
			  enum kgraft_cb_kind kind)
{
	switch (kind) {
	case KGRAFT_CB_PRE_PATCH:
		return cb->pre_patch ? cb->pre_patch(patch, cb->object) : 0;
	case KGRAFT_CB_POST_PATCH:
		if (cb->post_patch)
			cb->post_patch(patch, cb->object);
		break;
	case KGRAFT_CB_PRE_UNPATCH:
		if (cb->pre_unpatch)
			cb->pre_unpatch(patch, cb->object);
		break;
	case KGRAFT_CB_POST_UNPATCH:
		if (cb->post_unpatch)
			cb->post_unpatch(patch, cb->object);
		break;
	}
	return 0;
}

/*
 * One kind of @p's callbacks, in array order, for @object or (NULL) every
 * loaded object; stops at a pre_patch that refuses: the objects whose
 * pre_patch ran get their post_unpatch, as if the transition had ended
 * unpatched at once.
 */
int kgraft_callbacks_run(struct kgraft_patch_priv *p, const char *object,
			 enum kgraft_cb_kind kind)
{
	struct kgraft_patch *patch = p->patch;
	struct kgraft_callbacks *cb, *done;
	int ret;

	lockdep_assert_held(&kgraft_mutex);
	kgraft_for_each_cb(patch, cb) {
		/* A module loaded later gets its own (module.c). */
		if (object ? !kgraft_same_object(cb->object, object) :
			     !kgraft_object_loaded(p, cb->object))
			continue;
		ret = kgraft_cb_call(patch, cb, kind);
		if (!ret)
			continue;
		pr_err("%s: pre_patch callback for %s refused the transition: %d\n",
		       patch->name, cb->object, ret);
		for (done = patch->callbacks; done < cb; done++)
			if (object ? kgraft_same_object(done->object, object) :
				     kgraft_object_loaded(p, done->object))
				kgraft_cb_call(patch, done,
					       KGRAFT_CB_POST_UNPATCH);
		return ret;
	}
	return 0;
}

/* Before a transition to @target starts; a refused pre_patch's error. */
int kgraft_callbacks_pre(struct kgraft_patch_priv *p, int target)
{
	return kgraft_callbacks_run(p, NULL, target == KGRAFT_PATCHED ?
				    KGRAFT_CB_PRE_PATCH :
				    KGRAFT_CB_PRE_UNPATCH);
}

/* A transition ended in @target (reached, or turned back to it). */
void kgraft_callbacks_post(struct kgraft_patch_priv *p, int target)
{
	kgraft_callbacks_run(p, NULL, target == KGRAFT_PATCHED ?
			     KGRAFT_CB_POST_PATCH : KGRAFT_CB_POST_UNPATCH);
}
