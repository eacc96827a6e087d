// SPDX-License-Identifier: GPL-2.0
/* kpaths.c - the kernel's path names, learnt from its output (kpaths.h). */
#include <string.h>

#include "bench/run/kpaths.h"

#define PREFIX "switched_"

static char names[KPATHS_MAX][KPATHS_NAME];
static unsigned int nr;

static int find(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

int kpaths_index(const char *name)
{
	int i = find(name);

	if (i >= 0)
		return i;
	if (nr == KPATHS_MAX || !*name || strlen(name) >= KPATHS_NAME)
		return -1;
	strcpy(names[nr], name);
	return (int)nr++;
}

/* Does some other line of @st name "switched_<@name>_..."? */
static int is_total(const struct patch_stat *st, int n, const char *name)
{
	size_t len = strlen(PREFIX) + strlen(name);
	int i;

	for (i = 0; i < n; i++)
		if (!strncmp(st[i].key, PREFIX, strlen(PREFIX)) &&
		    !strncmp(st[i].key + strlen(PREFIX), name, strlen(name)) &&
		    st[i].key[len] == '_')
			return 1;
	return 0;
}

void kpaths_learn_stats(const struct patch_stat *st, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *name = st[i].key + strlen(PREFIX);

		if (strncmp(st[i].key, PREFIX, strlen(PREFIX)) ||
		    is_total(st, n, name))
			continue;
		kpaths_index(name);
	}
}

unsigned int kpaths_nr(void)
{
	return nr;
}

const char *kpaths_name(unsigned int i)
{
	return i < nr ? names[i] : "";
}

void kpaths_reset(void)
{
	nr = 0;
}
