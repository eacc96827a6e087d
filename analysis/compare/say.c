// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/compare/say.h"

/*
 * %S the strategy, %R the reference, %D the difference with its CI (as
 * magnitudes), %P the phase, %M the metric's subject. Larger is worse for
 * every kind.
 */
static const struct phrase {
	const char *worse, *better, *noun;
} phrases[] = {
	[CK_DURATION] = { "%S takes %D longer to %P than %R",
			  "%S takes %D less time to %P than %R",
			  "%P time" },
	[CK_LATENCY] = { "%S raises the target workload's worst latency in %P %D above %R's",
			 "%S keeps the target workload's worst latency in %P %D below %R's",
			 "worst target latency in %P" },
	[CK_LOST] = { "%S costs the spinning workload %D more time per %P than %R, over the baseline rate",
		      "%S costs the spinning workload %D less time per %P than %R, over the baseline rate",
		      "time lost over the baseline in %P" },
	[CK_MACHINE] = { "%S stalls every workload CPU at once %D longer per %P than %R",
			 "%S stalls every workload CPU at once %D less per %P than %R",
			 "machine-wide stall in %P" },
	[CK_MACHINE_EXCESS] = { "%S stalls every workload CPU at once %D longer per %P than %R, over the baseline rate",
				"%S stalls every workload CPU at once %D less per %P than %R, over the baseline rate",
				"machine-wide stall over the baseline in %P" },
	[CK_GAP] = { "%S stalls the spinning workload %D longer in %P than %R",
		     "%S stalls the spinning workload %D less in %P than %R",
		     "largest stall gap in %P" },
	[CK_STOP] = { "%S stops the machine %D longer per %P than %R",
		      "%S stops the machine %D shorter per %P than %R",
		      "longest stop in %P" },
	[CK_STOPPED_CPU] = { "%S loses %D more CPU time per %P than %R",
			     "%S loses %D less CPU time per %P than %R",
			     "CPU time stopped in %P" },
	[CK_WAKEUP] = { "%S delays the worst wake-up in %P %D more than %R",
			"%S delays the worst wake-up in %P %D less than %R",
			"worst wake-up latency in %P" },
	[CK_REQUEST_EXCESS] = { "%S delays %M %D more per %P than %R, over the baseline rate",
				"%S delays %M %D less per %P than %R, over the baseline rate",
				"excess delay of %M in %P" },
	[CK_REQUEST] = { "%S raises %M in %P %D above %R's",
			 "%S keeps %M in %P %D below %R's",
			 "%M in %P" },
};

static const char *phase_words(const char *phase)
{
	return strcmp(phase, "baseline") ? phase : "the baseline window";
}

void compare_fmt_in(char *buf, size_t len, double v, double mag, bool sign)
{
	static const struct { double div; const char *unit; } units[] = {
		{ 1, "ns" }, { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" },
	};
	size_t u = 0;
	double m;
	int dec;

	while (u + 1 < sizeof(units) / sizeof(units[0]) &&
	       mag >= units[u + 1].div)
		u++;
	m = mag / units[u].div;
	/* Whole nanoseconds; else three significant digits of @mag. */
	dec = u == 0 || m >= 100 ? 0 : m >= 10 ? 1 : 2;
	/* No "-0.0": what rounds to zero is zero. */
	if (fabs(v / units[u].div) < 0.5 * pow(10, -dec))
		v = 0;
	snprintf(buf, len, sign ? "%+.*f %s" : "%.*f %s", dec,
		 v / units[u].div, units[u].unit);
}

/* The number alone, in the unit @mag picked: "11.0" for the CI's ends. */
static void bare(char *buf, size_t len, double v, double mag)
{
	char *sp;

	compare_fmt_in(buf, len, v, mag, false);
	sp = strchr(buf, ' ');
	if (sp)
		*sp = '\0';
}

void compare_fmt_span(char *buf, size_t len, double est, double lo,
		      double hi, bool sign)
{
	double mag = fmax(fabs(est), fmax(fabs(lo), fabs(hi)));
	char e[32], l[32], h[32], *unit;

	compare_fmt_in(e, sizeof(e), est, mag, sign);
	bare(l, sizeof(l), lo, mag);
	bare(h, sizeof(h), hi, mag);
	unit = strchr(e, ' ');
	*unit++ = '\0';
	snprintf(buf, len, "%s %s [%s, %s]", e, unit, l, h);
}

/* Expand a phrase's placeholders into @buf. */
static void expand(char *buf, size_t len, const char *tmpl,
		   const struct compare_finding *f, const char *d)
{
	size_t o = 0;

	for (; *tmpl && o + 1 < len; tmpl++) {
		const char *s = NULL;

		if (tmpl[0] == '%' && tmpl[1]) {
			switch (tmpl[1]) {
			case 'S': s = f->strategy; break;
			case 'R': s = f->reference; break;
			case 'D': s = d; break;
			case 'P': s = phase_words(f->m->phase); break;
			case 'M': s = f->m->subject; break;
			}
		}
		if (!s) {
			buf[o++] = *tmpl;
			continue;
		}
		o += snprintf(buf + o, len - o, "%s", s);
		o = o < len ? o : len - 1;
		tmpl++;
	}
	buf[o] = '\0';
}

static void sample_sizes(char *buf, size_t len, const struct compare_finding *f)
{
	if (f->n == f->ref_n)
		snprintf(buf, len, "n=%zu", f->n);
	else
		snprintf(buf, len, "n=%zu and %zu", f->n, f->ref_n);
}

/* "; a difference the size of its ... would take about N cycles" */
static void sizing(char *buf, size_t len, const struct compare_finding *f)
{
	char stop[32];

	if (!f->stop_source) {
		snprintf(buf, len, "; no stop of its own in %s to size a run by",
			 phase_words(f->m->phase));
		return;
	}
	compare_fmt_in(stop, sizeof(stop), f->stop_ns, f->stop_ns, false);
	if (isnan(f->cycles_needed))
		snprintf(buf, len, "; no spread seen to size a run for its %s in %s (%s)",
			 f->stop_source, f->m->phase, stop);
	else
		snprintf(buf, len, "; a difference the size of its %s in %s (%s) would take about %.0f cycles per strategy to detect, this run has %zu",
			 f->stop_source, f->m->phase, stop, f->cycles_needed,
			 f->n);
}

static void not_distinguishable(const struct compare_finding *f, char *buf,
				size_t len, const char *n)
{
	char noun[96], d[96], size[256], med[32];
	const struct bootstrap_ci *c = &f->diff;

	expand(noun, sizeof(noun), phrases[f->m->kind].noun, f, "");
	/* Every resample the same: nothing to size a larger run by. */
	if (c->lo == 0 && c->hi == 0) {
		compare_fmt_in(med, sizeof(med), f->median, f->median, false);
		snprintf(buf, len, "%s's %s does not differ from %s's in any resample: both medians are %s (%s)",
			 f->strategy, noun, f->reference, med, n);
		return;
	}
	sizing(size, sizeof(size), f);
	compare_fmt_span(d, sizeof(d), c->estimate, c->lo, c->hi, true);
	snprintf(buf, len, "%s's %s is not distinguishable from %s's: %s (%s)%s",
		 f->strategy, noun, f->reference, d, n, size);
}

void compare_sentence(const struct compare_finding *f, char *buf, size_t len)
{
	const struct bootstrap_ci *c = &f->diff;
	char n[48], d[96], body[320], noun[96];

	sample_sizes(n, sizeof(n), f);
	switch (f->verdict) {
	case CV_WORSE:
		compare_fmt_span(d, sizeof(d), c->estimate, c->lo, c->hi, false);
		expand(body, sizeof(body), phrases[f->m->kind].worse, f, d);
		snprintf(buf, len, "%s (%s)", body, n);
		break;
	case CV_BETTER:
		/* As magnitudes: "1.0 ms [0.5, 2.0] less", not "-1.0 ms". */
		compare_fmt_span(d, sizeof(d), -c->estimate, -c->hi, -c->lo,
				 false);
		expand(body, sizeof(body), phrases[f->m->kind].better, f, d);
		snprintf(buf, len, "%s (%s)", body, n);
		break;
	case CV_SAME:
		not_distinguishable(f, buf, len, n);
		break;
	default:
		expand(noun, sizeof(noun), phrases[f->m->kind].noun, f, "");
		snprintf(buf, len, "%s's %s against %s: n too small (%s; a CI needs %d per side), no verdict",
			 f->strategy, noun, f->reference, n, COMPARE_MIN_N);
	}
}

void compare_sentence_too_small(const struct compare_finding *f, char *buf,
				size_t len)
{
	char n[48];

	sample_sizes(n, sizeof(n), f);
	snprintf(buf, len, "%s against %s: n too small for every metric (%s; a CI needs %d per side), no verdict",
		 f->strategy, f->reference, n, COMPARE_MIN_N);
}
