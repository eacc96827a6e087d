// SPDX-License-Identifier: GPL-2.0
#include <math.h>

#include "analysis/stats/power.h"

/* Harmonic mean: 1/na + 1/nb = 2/n, so se^2 scales as if both had n. */
double power_n_eff(size_t na, size_t nb)
{
	if (!na || !nb)
		return 0;
	return 2.0 / (1.0 / (double)na + 1.0 / (double)nb);
}

double power_cycles_needed(double se, double n, double delta)
{
	double z = POWER_Z_ALPHA + POWER_Z_BETA, sigma;

	if (!(se > 0) || !(delta > 0) || !(n > 0) || isinf(se))
		return NAN;
	sigma = se * sqrt(n);
	/* Shave rounding noise off so an exact fit does not round up. */
	return ceil(z * z * sigma * sigma / (delta * delta) - 1e-9);
}

double power_min_detectable(double se)
{
	return POWER_Z_ALPHA * se;
}
