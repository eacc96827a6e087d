/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fix as a unified diff: the files it touches and, per file, the lines
 * it changes, before (to find struct and union definitions it edits) and
 * after (to tell which functions' own source changed).
 */
#ifndef PB_SOURCE_DIFF_H
#define PB_SOURCE_DIFF_H

#include <stdbool.h>
#include <stddef.h>

struct pb_range {
	unsigned int first, last;	/* 1-based, inclusive */
};

struct pb_file_change {
	char *path;		/* relative to the tree, after -p1 */
	bool created, deleted;
	struct pb_range *old_lines;	/* lines removed or replaced */
	size_t nold;
	struct pb_range *new_lines;	/* lines added or replacing */
	size_t nnew;
};

struct pb_source_diff {
	struct pb_file_change *files;
	size_t nfiles;
};

int pb_source_diff_read(struct pb_source_diff *sd, const char *path,
			char *err, size_t errlen);
void pb_source_diff_free(struct pb_source_diff *sd);

/*
 * Top-level definitions of a C file that @ranges touch: struct and union
 * bodies (@kind "struct") or function bodies (@kind "function"), found
 * the way kernel style lays them out (a body opens with "{" and closes
 * with "}" or "};" in column 0). Calls @fn with each name once.
 */
int pb_source_touched(const char *file, const struct pb_range *ranges,
		      size_t n, bool structs,
		      void (*fn)(void *arg, const char *name), void *arg);

#endif
