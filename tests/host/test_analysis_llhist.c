// SPDX-License-Identifier: GPL-2.0
/*
 * Log-linear histogram against brute force: percentiles, mean, min/max and
 * buckets against the sorted raw values, merge against recording all in
 * one, and the text form (exact round trip, malformed lines refused).
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "llhist.h"
#include "rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NVALUES 5000

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Log-uniform over 0..2^bits - 1: every magnitude equally represented. */
static uint64_t random_value(struct rng *r, unsigned int bits)
{
	unsigned int e = (unsigned int)rng_below(r, bits + 1);

	return e ? rng_next(r) >> (64 - e) : 0;
}

static uint64_t *random_values(uint64_t seed, size_t n, unsigned int bits)
{
	uint64_t *v = malloc(n * sizeof(*v));
	struct rng r;
	size_t i;

	assert_non_null(v);
	rng_seed(&r, seed);
	for (i = 0; i < n; i++)
		v[i] = random_value(&r, bits);
	return v;
}

static struct llhist *hist_from(const uint64_t *v, size_t n,
				uint64_t highest, unsigned int sf)
{
	struct llhist *h = llhist_new(highest, sf);
	size_t i;

	assert_non_null(h);
	for (i = 0; i < n; i++)
		llhist_record(h, v[i]);
	return h;
}

static uint64_t pow10_u64(unsigned int e)
{
	uint64_t p = 1;

	while (e--)
		p *= 10;
	return p;
}

/*
 * Nearest rank written independently of rank.c, in integers: the smallest
 * k with k / n >= num / (100 * den).
 */
static uint64_t brute_percentile(const uint64_t *sorted, size_t n,
				 uint64_t num, uint64_t den)
{
	size_t k;

	for (k = 1; k < n; k++)
		if ((__uint128_t)k * 100 * den >=
		    (__uint128_t)num * n)
			break;
	return sorted[k - 1];
}

static const uint64_t pcts[][2] = {
	{ 0, 1 }, { 1, 10 }, { 1, 1 }, { 10, 1 }, { 25, 1 }, { 50, 1 },
	{ 75, 1 }, { 90, 1 }, { 99, 1 }, { 999, 10 }, { 9999, 100 },
	{ 99999, 1000 }, { 100, 1 }, { 333, 10 }, { 12345, 1000 },
};

static void test_bad_config(void **state)
{
	(void)state;
	errno = 0;
	assert_null(llhist_new(0, 3));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(llhist_new(1000, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(llhist_new(1000, 6));
	assert_int_equal(errno, EINVAL);
}

/* The values just outside a bucket start the next one and end the last. */
static void check_neighbours(const struct llhist *h, uint64_t lo, uint64_t hi)
{
	if (hi != UINT64_MAX)
		assert_int_equal(llhist_lowest_equivalent(h, hi + 1), hi + 1);
	if (lo)
		assert_int_equal(llhist_highest_equivalent(h, lo - 1), lo - 1);
}

/* Every value sits in a bucket no wider than value / 10^sf, exact below. */
static void test_bucket_precision(void **state)
{
	unsigned int sf;
	struct rng r;
	int i;

	(void)state;
	rng_seed(&r, 11);
	for (sf = 1; sf <= 5; sf++) {
		struct llhist *h = llhist_new(UINT64_MAX, sf);
		uint64_t lim = pow10_u64(sf);

		assert_non_null(h);
		for (i = 0; i < 20000; i++) {
			uint64_t v = random_value(&r, 64);
			uint64_t lo = llhist_lowest_equivalent(h, v);
			uint64_t hi = llhist_highest_equivalent(h, v);

			assert_true(lo <= v && v <= hi);
			assert_true(hi - lo <= v / lim);
			if (v < 2 * lim)
				assert_int_equal(lo, hi);
			check_neighbours(h, lo, hi);
		}
		assert_int_equal(llhist_highest_equivalent(h, UINT64_MAX),
				 UINT64_MAX);
		llhist_free(h);
	}
}

static void check_percentiles(const struct llhist *h, const uint64_t *sorted,
			      size_t n, double *p_random, size_t nrandom)
{
	uint64_t lim = pow10_u64(llhist_sig_figs(h)), exact, seen, want;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pcts); i++) {
		exact = brute_percentile(sorted, n, pcts[i][0], pcts[i][1]);
		seen = llhist_percentile(h, (double)pcts[i][0] / pcts[i][1]);
		want = llhist_highest_equivalent(h, exact);
		if (want > sorted[n - 1])
			want = sorted[n - 1];
		assert_int_equal(seen, want);
		assert_true(seen >= exact && seen - exact <= exact / lim);
	}
	/* random percentiles: the rank as a 1e-9 fraction of a percent */
	for (i = 0; i < nrandom; i++) {
		uint64_t num = (uint64_t)(p_random[i] * 1e9);

		exact = brute_percentile(sorted, n, num, 1000000000);
		seen = llhist_percentile(h, (double)num / 1e9);
		assert_true(seen >= exact && seen - exact <= exact / lim);
	}
}

static void test_percentiles_vs_sorted(void **state)
{
	static const size_t sizes[] = { 1, 2, 7, 1000, NVALUES };
	double p_random[40];
	unsigned int sf;
	struct rng r;
	size_t i, s;

	(void)state;
	rng_seed(&r, 3);
	for (i = 0; i < 40; i++)
		p_random[i] = rng_unit(&r) * 100;
	for (sf = 1; sf <= 5; sf++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			size_t n = sizes[s];
			uint64_t *v = random_values(sf * 100 + s, n, 40);
			struct llhist *h = hist_from(v, n, 1ULL << 40, sf);

			qsort(v, n, sizeof(*v), cmp_u64);
			check_percentiles(h, v, n, p_random, 40);
			assert_int_equal(llhist_count(h), n);
			assert_int_equal(llhist_min(h), v[0]);
			assert_int_equal(llhist_max(h), v[n - 1]);
			llhist_free(h);
			free(v);
		}
	}
}

static void test_mean_stddev(void **state)
{
	unsigned int sf;

	(void)state;
	for (sf = 1; sf <= 5; sf++) {
		uint64_t *v = random_values(sf, NVALUES, 36);
		struct llhist *h = hist_from(v, NVALUES, 1ULL << 36, sf);
		double mean = 0, sq = 0, var = 0, tol;
		size_t i;

		for (i = 0; i < NVALUES; i++) {
			mean += (double)v[i];
			sq += (double)v[i] * (double)v[i];
		}
		mean /= NVALUES;
		for (i = 0; i < NVALUES; i++)
			var += ((double)v[i] - mean) * ((double)v[i] - mean);
		var /= NVALUES;
		/* each value moves by at most value / 10^sf */
		tol = mean / (double)pow10_u64(sf) * (1 + 1e-9);
		assert_true(fabs(llhist_mean(h) - mean) <= tol);
		/* so the spread moves by at most their root mean square */
		tol = sqrt(sq / NVALUES) / (double)pow10_u64(sf) * (1 + 1e-9);
		assert_true(fabs(llhist_stddev(h) - sqrt(var)) <= tol);
		llhist_free(h);
		free(v);
	}
}

static void test_empty(void **state)
{
	struct llhist *h = llhist_new(1000, 2);
	struct llhist_iter it;

	(void)state;
	assert_non_null(h);
	assert_int_equal(llhist_count(h), 0);
	assert_int_equal(llhist_min(h), 0);
	assert_int_equal(llhist_max(h), 0);
	assert_int_equal(llhist_percentile(h, 50), 0);
	assert_true(isnan(llhist_mean(h)));
	assert_true(isnan(llhist_stddev(h)));
	llhist_iter_init(&it, h);
	assert_false(llhist_iter_next(&it));
	llhist_free(h);
}

static void test_overflow(void **state)
{
	struct llhist *h = llhist_new(1000, 3);
	struct llhist_iter it;

	(void)state;
	assert_non_null(h);
	llhist_record_n(h, 10, 97);
	llhist_record(h, 1000);		/* the highest value still fits */
	llhist_record(h, 1001);
	llhist_record_n(h, 5000, 2);
	llhist_record_n(h, 7, 0);		/* nothing */
	assert_int_equal(llhist_count(h), 101);
	assert_int_equal(llhist_overflow(h), 3);
	assert_int_equal(llhist_min(h), 10);
	assert_int_equal(llhist_max(h), 5000);
	assert_int_equal(llhist_percentile(h, 50), 10);	/* rank 51 */
	assert_int_equal(llhist_percentile(h, 97), 1000);	/* rank 98 */
	/* ranks 99..101 are overflowed: the exact max is the bound */
	assert_int_equal(llhist_percentile(h, 98), 5000);
	assert_int_equal(llhist_percentile(h, 100), 5000);
	/* the mean leaves the overflowed samples out */
	assert_true(fabs(llhist_mean(h) - (97 * 10 + 1000) / 98.0) < 1e-9);

	llhist_iter_init(&it, h);
	assert_true(llhist_iter_next(&it));
	assert_int_equal(it.lo, 10);
	assert_int_equal(it.count, 97);
	assert_false(it.overflow);
	assert_true(llhist_iter_next(&it));
	assert_int_equal(it.lo, 1000);
	assert_int_equal(it.cumulative, 98);
	assert_true(llhist_iter_next(&it));
	assert_true(it.overflow);
	assert_int_equal(it.lo, 1001);
	assert_int_equal(it.hi, 5000);
	assert_int_equal(it.count, 3);
	assert_int_equal(it.cumulative, 101);
	assert_false(llhist_iter_next(&it));
	assert_false(llhist_iter_next(&it));

	llhist_reset(h);
	assert_int_equal(llhist_count(h), 0);
	assert_int_equal(llhist_overflow(h), 0);
	assert_int_equal(llhist_max(h), 0);
	llhist_iter_init(&it, h);
	assert_false(llhist_iter_next(&it));
	llhist_free(h);
}

/* Buckets in order, disjoint, and each holding exactly its raw values. */
static void test_iter_vs_sorted(void **state)
{
	uint64_t *v = random_values(5, NVALUES, 30);
	struct llhist *h = hist_from(v, NVALUES, 1ULL << 29, 2);
	uint64_t prev_hi = 0, cum = 0, over = 0, top;
	struct llhist_iter it;
	size_t i = 0, first;
	bool any = false;

	(void)state;
	qsort(v, NVALUES, sizeof(*v), cmp_u64);
	while (v[NVALUES - 1 - over] > (1ULL << 29))
		over++;
	assert_true(over > 0);
	llhist_iter_init(&it, h);
	while (llhist_iter_next(&it)) {
		if (any)
			assert_true(it.lo > prev_hi);
		assert_true(it.lo <= it.hi && it.count > 0);
		/* the bucket of highest may reach past it: those overflowed */
		top = it.overflow || it.hi < (1ULL << 29) ? it.hi : 1ULL << 29;
		first = i;
		while (i < NVALUES && v[i] <= top) {
			assert_true(v[i] >= it.lo);
			i++;
		}
		assert_int_equal(it.count, i - first);
		cum += it.count;
		assert_int_equal(it.cumulative, cum);
		assert_int_equal(it.overflow, it.lo > (1ULL << 29));
		prev_hi = it.hi;
		any = true;
	}
	assert_int_equal(i, NVALUES);
	assert_int_equal(cum, NVALUES);
	assert_int_equal(llhist_overflow(h), over);
	llhist_free(h);
	free(v);
}

static void assert_same_hist(const struct llhist *a, const struct llhist *b)
{
	char *ea = llhist_encode(a), *eb = llhist_encode(b);

	assert_non_null(ea);
	assert_non_null(eb);
	assert_string_equal(ea, eb);
	assert_int_equal(llhist_count(a), llhist_count(b));
	assert_int_equal(llhist_overflow(a), llhist_overflow(b));
	assert_int_equal(llhist_min(a), llhist_min(b));
	assert_int_equal(llhist_max(a), llhist_max(b));
	assert_int_equal(llhist_percentile(a, 99.9),
			 llhist_percentile(b, 99.9));
	assert_true(llhist_mean(a) == llhist_mean(b) ||
		    (isnan(llhist_mean(a)) && isnan(llhist_mean(b))));
	free(ea);
	free(eb);
}

static void test_merge_equals_single(void **state)
{
	uint64_t *v = random_values(6, NVALUES, 34);
	struct llhist *all = hist_from(v, NVALUES, 1ULL << 33, 3);
	struct llhist *sum = llhist_new(1ULL << 33, 3), *part[3];
	int k;

	(void)state;
	assert_non_null(sum);
	/* uneven parts; the third also holds the overflowed values */
	part[0] = hist_from(v, 100, 1ULL << 33, 3);
	part[1] = hist_from(v + 100, 2900, 1ULL << 33, 3);
	part[2] = hist_from(v + 3000, NVALUES - 3000, 1ULL << 33, 3);
	assert_true(llhist_overflow(all) > 0);
	/* into an empty one, so min and max must come from the parts */
	for (k = 2; k >= 0; k--)
		assert_int_equal(llhist_merge(sum, part[k]), 0);
	assert_same_hist(sum, all);
	for (k = 0; k < 3; k++)
		llhist_free(part[k]);
	llhist_free(sum);
	llhist_free(all);
	free(v);
}

static void test_merge_mismatch(void **state)
{
	struct llhist *a = llhist_new(1000000, 3);
	struct llhist *b = llhist_new(1000000, 2);
	struct llhist *c = llhist_new(2000000, 3);
	struct llhist *empty = llhist_new(1000000, 3);
	char *before, *after;

	(void)state;
	llhist_record(a, 12345);
	llhist_record(b, 1);
	llhist_record(c, 1);
	before = llhist_encode(a);
	assert_int_equal(llhist_merge(a, b), -EINVAL);
	assert_int_equal(llhist_merge(a, c), -EINVAL);
	after = llhist_encode(a);
	assert_string_equal(before, after);
	/* merging an empty one changes nothing, min included */
	assert_int_equal(llhist_merge(a, empty), 0);
	assert_int_equal(llhist_min(a), 12345);
	assert_int_equal(llhist_count(a), 1);
	free(before);
	free(after);
	llhist_free(a);
	llhist_free(b);
	llhist_free(c);
	llhist_free(empty);
}

/* The format, literally, for a case worked out by hand. */
static void test_encode_known(void **state)
{
	struct llhist *h = llhist_new(1000, 1);
	char *s;

	(void)state;
	llhist_record(h, 0);
	llhist_record_n(h, 3, 2);
	/* sf=1: counters 0..31 exact, then 16 of width 2: 40, 41 -> 36 */
	llhist_record(h, 40);
	llhist_record(h, 41);
	llhist_record(h, 2000);
	s = llhist_encode(h);
	assert_string_equal(s, "llhist/1 sf=1 highest=1000 count=6 overflow=1 "
			    "min=0 max=2000 counts=1,0*2,2,0*20,2");
	free(s);
	llhist_free(h);
}

static void roundtrip(const struct llhist *h)
{
	struct llhist *back = NULL;
	const char *why = NULL;
	char *s = llhist_encode(h), *nl;

	assert_non_null(s);
	assert_int_equal(llhist_decode(s, &back, &why), 0);
	assert_null(why);
	assert_int_equal(llhist_highest(back), llhist_highest(h));
	assert_int_equal(llhist_sig_figs(back), llhist_sig_figs(h));
	assert_same_hist(back, h);
	llhist_free(back);
	/* as read back from a file, with its newline */
	assert_int_not_equal(asprintf(&nl, "%s\n", s), -1);
	assert_int_equal(llhist_decode(nl, &back, &why), 0);
	assert_same_hist(back, h);
	llhist_free(back);
	free(nl);
	free(s);
}

static void test_roundtrip(void **state)
{
	struct llhist *h;
	unsigned int sf;

	(void)state;
	for (sf = 1; sf <= 5; sf++) {
		uint64_t *v = random_values(40 + sf, NVALUES, 40);

		h = hist_from(v, NVALUES, 1ULL << 38, sf);
		assert_true(llhist_overflow(h) > 0);
		roundtrip(h);
		llhist_free(h);
		free(v);
	}
	h = llhist_new(5, 1);		/* empty */
	roundtrip(h);
	llhist_record(h, 0);		/* a single zero */
	roundtrip(h);
	llhist_record(h, 5);		/* the highest value */
	roundtrip(h);
	llhist_reset(h);
	llhist_record(h, 6);		/* only overflow */
	roundtrip(h);
	llhist_free(h);
	h = llhist_new(UINT64_MAX, 2);	/* the whole u64 range */
	llhist_record(h, UINT64_MAX);
	llhist_record(h, 1);
	roundtrip(h);
	llhist_free(h);
}

static void refuse(const char *line)
{
	struct llhist *h = NULL;
	const char *why = NULL;
	int err = llhist_decode(line, &h, &why);

	if (err != -EINVAL)
		fail_msg("decode gave %d, not -EINVAL, for \"%s\"", err, line);
	assert_null(h);
	assert_non_null(why);
}

#define HDR "llhist/1 sf=1 highest=10 "
static const char *const malformed[] = {
	"",
	"\n",
	"llhist/2 sf=1 highest=10 count=1 overflow=0 min=0 max=0 counts=1",
	" " HDR "count=1 overflow=0 min=0 max=0 counts=1",
	"llhist/1 sf=0 highest=10 count=1 overflow=0 min=0 max=0 counts=1",
	"llhist/1 sf=6 highest=10 count=1 overflow=0 min=0 max=0 counts=1",
	"llhist/1 sf=1 highest=0 count=0 overflow=0 min=0 max=0 counts=",
	"llhist/1 sf=-1 highest=10 count=1 overflow=0 min=0 max=0 counts=1",
	"llhist/1 sf=1 highest=99999999999999999999 count=0 overflow=0 "
		"min=0 max=0 counts=",
	HDR "overflow=0 count=1 min=0 max=0 counts=1",		/* order */
	HDR "count=1 overflow=0 min=0 max=0",			/* no counts */
	HDR "count=1 overflow=0 min=0 max=0 counts=1 ",		/* trailing */
	HDR "count=1 overflow=0 min=0 max=0 counts=1\n\n",
	HDR "count=1 overflow=0 min=0 max=0 counts=1\nx",
	HDR "count=2 overflow=0 min=0 max=0 counts=1",		/* sum */
	HDR "count=0 overflow=0 min=0 max=0 counts=1",
	HDR "count=3 overflow=0 min=0 max=2 counts=1,,2",
	HDR "count=11 overflow=0 min=0 max=1 counts=1,A",	/* upper case */
	HDR "count=2 overflow=0 min=0 max=1 counts=1,1,",
	HDR "count=1 overflow=0 min=0 max=1 counts=,1",
	HDR "count=1 overflow=0 min=1 max=1 counts=0*0,1",	/* run 0 */
	HDR "count=1 overflow=0 min=1 max=1 counts=0*,1",
	HDR "count=1 overflow=0 min=11 max=11 counts=0*b,1",	/* too long */
	HDR "count=12 overflow=0 min=0 max=10 counts=1*c",
	HDR "count=2 overflow=0 min=0 max=1 counts=1,1,0",	/* zero tail */
	HDR "count=1 overflow=0 min=0 max=0 counts=1,0*3",
	HDR "count=1 overflow=0 min=0 max=0 counts=10000000000000000",
	HDR "count=0 overflow=0 min=0 max=1 counts=ffffffffffffffff,1",
	HDR "count=1 overflow=0 min=1 max=1 counts=1",		/* min */
	HDR "count=2 overflow=0 min=0 max=3 counts=1,1",	/* max */
	HDR "count=2 overflow=0 min=1 max=0 counts=1,1",
	HDR "count=0 overflow=0 min=3 max=0 counts=",		/* empty */
	HDR "count=0 overflow=0 min=0 max=3 counts=",
	HDR "count=2 overflow=1 min=0 max=10 counts=1",		/* overflow */
	HDR "count=1 overflow=1 min=5 max=20 counts=",
	HDR "count=1 overflow=1 min=20 max=15 counts=",
	HDR "count=1 overflow=0 min=0 max=0 counts=+1",
	HDR "count=1 overflow=0 min=0 max=0 counts=0x1",
};

static void test_decode_malformed(void **state)
{
	struct llhist *h = NULL;
	const char *why = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(malformed); i++)
		refuse(malformed[i]);
	/* the line above the sum check is accepted once it adds up */
	assert_int_equal(llhist_decode(HDR "count=1 overflow=0 min=0 max=0 "
				     "counts=1", &h, &why), 0);
	assert_int_equal(llhist_count(h), 1);
	llhist_free(h);
}

/* A line cut anywhere, as a full disk or a killed writer leaves it. */
static void test_decode_truncated(void **state)
{
	uint64_t *v = random_values(77, 300, 24);
	struct llhist *h = hist_from(v, 300, 1ULL << 23, 2);
	char *s = llhist_encode(h);
	size_t len = strlen(s), cut;

	(void)state;
	assert_true(llhist_overflow(h) > 0);
	for (cut = 0; cut < len; cut++) {
		char *prefix = strndup(s, cut);

		refuse(prefix);
		free(prefix);
	}
	free(s);
	llhist_free(h);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_bucket_precision),
		cmocka_unit_test(test_percentiles_vs_sorted),
		cmocka_unit_test(test_mean_stddev),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_iter_vs_sorted),
		cmocka_unit_test(test_merge_equals_single),
		cmocka_unit_test(test_merge_mismatch),
		cmocka_unit_test(test_encode_known),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_decode_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
