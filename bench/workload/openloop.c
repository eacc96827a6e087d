// SPDX-License-Identifier: GPL-2.0
/* openloop.c - the in-flight ring's memory (openloop.h). */
#include <errno.h>
#include <stdlib.h>

#include "bench/workload/openloop.h"

int ol_fifo_init(struct ol_fifo *f, unsigned int size)
{
	if (!size || (size & (size - 1)))
		return -EINVAL;
	f->req = calloc(size, sizeof(*f->req));
	if (!f->req)
		return -ENOMEM;
	f->size = size;
	f->head = f->tail = 0;
	return 0;
}

void ol_fifo_free(struct ol_fifo *f)
{
	free(f->req);
	f->req = NULL;
	f->size = 0;
}
