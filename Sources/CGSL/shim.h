#ifndef TUNNELBENCH_CGSL_SHIM_H
#define TUNNELBENCH_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_siman.h>
#include <gsl/gsl_eigen.h>

/* GSL exports its algorithm descriptors as mutable globals, which Swift 6 rejects as shared
   mutable state; these accessors hand them out as plain function results. */
static inline const gsl_rng_type *tb_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_multimin_fdfminimizer_type *tb_multimin_bfgs2(void) {
    return gsl_multimin_fdfminimizer_vector_bfgs2;
}
static inline const gsl_multimin_fminimizer_type *tb_multimin_nmsimplex2(void) {
    return gsl_multimin_fminimizer_nmsimplex2;
}

#endif
