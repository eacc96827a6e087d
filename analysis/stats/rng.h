/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small seedable PRNG so that bootstrap intervals (and anything else
 * random in the analysis) are reproducible from a seed written in the
 * results: xoshiro256** (Blackman and Vigna), seeded through splitmix64.
 * Not for cryptography.
 */
#ifndef ANALYSIS_RNG_H
#define ANALYSIS_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* One splitmix64 step: advances *state and returns the next output. */
uint64_t splitmix64(uint64_t *state);
/* Seed the four state words from four splitmix64 outputs of @seed. */
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n) without modulo bias; n must be > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1) with 53 random bits. */
double rng_unit(struct rng *r);

#endif
