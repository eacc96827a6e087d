// SPDX-License-Identifier: GPL-2.0
/*
 * kgraft: the names of the paths by which tasks switch, and their slots in
 * a patch's stats. Slots 0..KGRAFT_NR_CORE_PATHS-1 are the core's
 * (kgraft_path.h); a strategy that registers paths gets the first free run
 * of slots after them, and gives them back when it goes. The slot is also
 * the kgraft_task_switch event's path value. All under kgraft_mutex.
 */
#include <linux/ctype.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "internal.h"

#define KGRAFT_PATH_NAME(nr, id, name)	\
	[KGRAFT_PATH_##id] = name,
/* Fails to build if the enum's value of a path is not its listed one. */
#define KGRAFT_PATH_CHECK(nr, id, name)	\
	[nr] = BUILD_BUG_ON_ZERO(KGRAFT_PATH_##id != (nr)),

/* Slot -> name; NULL for a free slot. */
static const char *kgraft_path_names[KGRAFT_MAX_PATHS] = {
	KGRAFT_PATHS(KGRAFT_PATH_NAME, KGRAFT_PATH_NAME)
};

static const int kgraft_path_values_checked[] __maybe_unused = {
	KGRAFT_PATHS(KGRAFT_PATH_CHECK, KGRAFT_PATH_CHECK)
};

static bool kgraft_path_name_ok(const char *name)
{
	size_t i, len = strnlen(name, KGRAFT_PATH_NAME_MAX + 1);

	if (!len || len > KGRAFT_PATH_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_')
			return false;
	return true;
}

/* @b is @a followed by "_...": @a would read as a total of such paths. */
static bool kgraft_path_extends(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && b[n] == '_';
}

static bool kgraft_path_clash(const char *a, const char *b)
{
	return !strcmp(a, b) || kgraft_path_extends(a, b) ||
	       kgraft_path_extends(b, a);
}

/* Does @name clash with a registered path or the first @n of @own? */
static bool kgraft_path_taken(const char *name, const char * const *own,
			      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < KGRAFT_MAX_PATHS; i++)
		if (kgraft_path_names[i] &&
		    kgraft_path_clash(kgraft_path_names[i], name))
			return true;
	for (i = 0; i < n; i++)
		if (kgraft_path_clash(own[i], name))
			return true;
	return false;
}

/* First of @n free slots in a row, or a negative errno. */
static int kgraft_path_slots(unsigned int n)
{
	unsigned int base, i;

	for (base = KGRAFT_NR_CORE_PATHS; base + n <= KGRAFT_MAX_PATHS;
	     base++) {
		for (i = 0; i < n && !kgraft_path_names[base + i]; i++)
			;
		if (i == n)
			return base;
	}
	return -ENOSPC;
}

/*
 * Give @s slots for its paths. -EINVAL for a bad name, -EEXIST for one that
 * clashes with a registered path, -ENOSPC when the slots ran out.
 */
int kgraft_paths_add(struct kgraft_strategy *s)
{
	struct kgraft_patch_priv *p;
	unsigned int n = 0, i;
	int base;

	lockdep_assert_held(&kgraft_mutex);
	for (; s->paths && s->paths[n]; n++) {
		if (!kgraft_path_name_ok(s->paths[n]))
			return -EINVAL;
		if (kgraft_path_taken(s->paths[n], s->paths, n))
			return -EEXIST;
	}
	base = n ? kgraft_path_slots(n) : KGRAFT_NR_CORE_PATHS;
	if (base < 0)
		return base;
	/* A slot may hold a gone strategy's count of a past transition. */
	list_for_each_entry(p, &kgraft_patches, list)
		for (i = 0; i < n; i++)
			atomic_long_set(&p->stats.switched[base + i], 0);
	for (i = 0; i < n; i++)
		kgraft_path_names[base + i] = s->paths[i];
	s->path_base = base;
	s->nr_paths = n;
	return 0;
}

void kgraft_paths_remove(struct kgraft_strategy *s)
{
	unsigned int i;

	lockdep_assert_held(&kgraft_mutex);
	for (i = 0; i < s->nr_paths; i++)
		kgraft_path_names[s->path_base + i] = NULL;
	s->nr_paths = 0;
}

void kgraft_count_switched(struct kgraft_patch_priv *p, unsigned int path,
			   unsigned long n)
{
	if (!WARN_ON_ONCE(path >= p->strategy->nr_paths))
		atomic_long_add(n, &p->stats.switched[p->strategy->path_base +
						      path]);
}
EXPORT_SYMBOL_GPL(kgraft_count_switched);

/* "switched_<path> n" for every registered path, in slot order. */
int kgraft_paths_show(struct kgraft_patch_priv *p, char *buf, int len)
{
	unsigned int i;

	lockdep_assert_held(&kgraft_mutex);
	for (i = 0; i < KGRAFT_MAX_PATHS; i++)
		if (kgraft_path_names[i])
			len += sysfs_emit_at(buf, len, "switched_%s %ld\n",
					     kgraft_path_names[i],
					     atomic_long_read(&p->stats.switched[i]));
	return len;
}
