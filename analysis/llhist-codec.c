// SPDX-License-Identifier: GPL-2.0
/*
 * llhist-codec.c - a histogram as one text line and back (format in llhist.h).
 *
 * Decoding trusts nothing: every number is range-checked, the counters must
 * fit the configuration, add up to the count in the header, and agree with
 * min and max, so a truncated or edited line is refused rather than read as
 * a different histogram.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llhist-impl.h"

#define LLHIST_MAGIC "llhist/1"

/* Zero counters, the common case between latency modes, go as runs. */
static void encode_counts(const struct llhist *h, FILE *f)
{
	size_t last = h->len, i, run;

	while (last && !h->counts[last - 1])
		last--;
	for (i = 0; i < last; i += run) {
		run = 1;
		if (i)
			fputc(',', f);
		if (h->counts[i]) {
			fprintf(f, "%" PRIx64, h->counts[i]);
			continue;
		}
		while (!h->counts[i + run])
			run++;	/* stops: counts[last - 1] is not zero */
		if (run == 1)
			fputc('0', f);
		else
			fprintf(f, "0*%zx", run);
	}
}

char *llhist_encode(const struct llhist *h)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	fprintf(f, LLHIST_MAGIC " sf=%u highest=%" PRIu64 " count=%" PRIu64
		" overflow=%" PRIu64 " min=%" PRIu64 " max=%" PRIu64 " counts=",
		h->sig_figs, h->highest, h->count, h->overflow, llhist_min(h),
		h->max);
	encode_counts(h, f);
	if (ferror(f) | fclose(f)) {
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	return buf;
}

struct cursor {
	const char *p;
	const char *why;
};

static int fail(struct cursor *c, const char *why)
{
	c->why = why;
	return -EINVAL;
}

static int expect(struct cursor *c, const char *lit, const char *why)
{
	size_t n = strlen(lit);

	if (strncmp(c->p, lit, n))
		return fail(c, why);
	c->p += n;
	return 0;
}

static int digit_value(char ch, unsigned int base)
{
	int d;

	if (ch >= '0' && ch <= '9')
		d = ch - '0';
	else if (ch >= 'a' && ch <= 'f')
		d = ch - 'a' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* One or more digits in @base (10 or 16, lower case), no sign. */
static int parse_u64(struct cursor *c, unsigned int base, uint64_t *out,
		     const char *why)
{
	uint64_t v = 0;
	int d, digits = 0;

	while ((d = digit_value(*c->p, base)) >= 0) {
		if (v > (UINT64_MAX - d) / base)
			return fail(c, "number too large");
		v = v * base + d;
		c->p++;
		digits++;
	}
	if (!digits)
		return fail(c, why);
	*out = v;
	return 0;
}

struct header {
	uint64_t sig_figs, highest, count, overflow, min, max;
};

static int decode_header(struct cursor *c, struct header *hd)
{
	if (expect(c, LLHIST_MAGIC " sf=", "not an llhist/1 line") ||
	    parse_u64(c, 10, &hd->sig_figs, "sf: expected a number") ||
	    expect(c, " highest=", "expected highest=") ||
	    parse_u64(c, 10, &hd->highest, "highest: expected a number") ||
	    expect(c, " count=", "expected count=") ||
	    parse_u64(c, 10, &hd->count, "count: expected a number") ||
	    expect(c, " overflow=", "expected overflow=") ||
	    parse_u64(c, 10, &hd->overflow, "overflow: expected a number") ||
	    expect(c, " min=", "expected min=") ||
	    parse_u64(c, 10, &hd->min, "min: expected a number") ||
	    expect(c, " max=", "expected max=") ||
	    parse_u64(c, 10, &hd->max, "max: expected a number") ||
	    expect(c, " counts=", "expected counts="))
		return -EINVAL;
	if (hd->sig_figs < LLHIST_SIG_FIGS_MIN ||
	    hd->sig_figs > LLHIST_SIG_FIGS_MAX)
		return fail(c, "sf: must be 1 to 5");
	if (!hd->highest)
		return fail(c, "highest: must be at least 1");
	return 0;
}

/* Items "c" or "c*n" (hex) into h->counts; *@sum gets their total. */
static int decode_counts(struct cursor *c, struct llhist *h, uint64_t *sum)
{
	uint64_t v, run;
	size_t i = 0;

	*sum = 0;
	if (!*c->p || *c->p == '\n')
		return 0;
	for (;;) {
		if (parse_u64(c, 16, &v, "counts: expected a hex count"))
			return -EINVAL;
		run = 1;
		if (*c->p == '*') {
			c->p++;
			if (parse_u64(c, 16, &run, "counts: expected a run") ||
			    !run)
				return fail(c, "counts: bad run length");
		}
		if (run > h->len - i)
			return fail(c, "counts: too many for sf and highest");
		if (v && (run > UINT64_MAX / v || v * run > UINT64_MAX - *sum))
			return fail(c, "counts: total too large");
		*sum += v * run;
		while (run--)
			h->counts[i++] = v;
		if (*c->p != ',')
			break;
		c->p++;
	}
	if (!h->counts[i - 1])
		return fail(c, "counts: trailing zero counters");
	return 0;
}

static size_t first_used(const struct llhist *h)
{
	size_t i = 0;

	while (!h->counts[i])
		i++;
	return i;
}

static size_t last_used(const struct llhist *h)
{
	size_t i = h->len - 1;

	while (!h->counts[i])
		i--;
	return i;
}

/*
 * min and max are exact while the counters only say which bucket a sample
 * fell in: the two must agree.
 */
static int check_extremes(struct cursor *c, const struct llhist *h,
			  uint64_t in_range)
{
	if (!h->count && (h->min || h->max))
		return fail(c, "min/max: set but count is 0");
	if (!h->count)
		return 0;
	if (h->min > h->max)
		return fail(c, "min/max: min above max");
	if (!in_range)
		return h->min > h->highest ? 0 :
			fail(c, "min: in range but every sample overflowed");
	if (llhist_index(h, h->min) != first_used(h) || h->min > h->highest)
		return fail(c, "min: not in the first used bucket");
	if (h->overflow)
		return h->max > h->highest ? 0 :
			fail(c, "max: not above highest despite overflow");
	if (h->max > h->highest || llhist_index(h, h->max) != last_used(h))
		return fail(c, "max: not in the last used bucket");
	return 0;
}

static int decode_body(struct cursor *c, const struct header *hd,
		       struct llhist *h)
{
	uint64_t sum;

	if (decode_counts(c, h, &sum))
		return -EINVAL;
	if (*c->p == '\n')
		c->p++;
	if (*c->p)
		return fail(c, "trailing characters");
	if (hd->overflow > UINT64_MAX - sum || sum + hd->overflow != hd->count)
		return fail(c, "count: not the sum of counters and overflow");
	h->count = hd->count;
	h->overflow = hd->overflow;
	h->min = hd->min;
	h->max = hd->max;
	if (check_extremes(c, h, sum))
		return -EINVAL;
	if (!h->count)
		h->min = UINT64_MAX;
	return 0;
}

int llhist_decode(const char *line, struct llhist **out, const char **why)
{
	struct cursor c = { .p = line, .why = NULL };
	struct header hd;
	struct llhist *h;
	int err;

	err = decode_header(&c, &hd);
	if (err)
		goto fail;
	h = llhist_new(hd.highest, (unsigned int)hd.sig_figs);
	if (!h) {
		c.why = "out of memory";
		err = -ENOMEM;
		goto fail;
	}
	err = decode_body(&c, &hd, h);
	if (err) {
		llhist_free(h);
		goto fail;
	}
	*out = h;
	return 0;
fail:
	if (why)
		*why = c.why;
	return err;
}
