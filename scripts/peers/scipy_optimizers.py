"""scipy.optimize's global methods as external optimizers: dual_annealing,
differential_evolution and basinhopping, each at scipy's defaults, started at the trial's start,
seeded from the trial's seed, and stopped when the harness says the budget is spent. scipy's
local searches use finite-difference gradients here, each difference charged as an evaluation.
Usage: python scipy_optimizers.py METHOD"""
import sys

import numpy as np
from scipy import optimize

from tunnelbench_protocol import Exhausted, Trial, seed32

trial = Trial()
method = sys.argv[1]
p = trial.parameters
bounds = list(zip(trial.lower, trial.upper))
f = lambda x: trial.value(x)
rng = np.random.default_rng(seed32(trial.seed))


def seeded(call, **kwargs):
    # scipy 1.15 renamed `seed` to `rng`; both accept a Generator.
    try:
        return call(rng=rng, **kwargs)
    except TypeError:
        return call(seed=rng, **kwargs)


try:
    if method == "dual-annealing":
        seeded(lambda **k: optimize.dual_annealing(f, bounds, x0=np.array(trial.start), maxiter=p["maxiter"],
                                                   no_local_search=not p["local-search"], **k))
    elif method == "differential-evolution":
        seeded(lambda **k: optimize.differential_evolution(f, bounds, x0=np.array(trial.start), maxiter=p["maxiter"],
                                                           popsize=p["popsize"], polish=p["polish"], **k))
    elif method == "basinhopping":
        seeded(lambda **k: optimize.basinhopping(f, np.array(trial.start), niter=p["niter"], stepsize=p["stepsize"],
                                                 minimizer_kwargs={"method": "L-BFGS-B", "bounds": bounds}, **k))
    else:
        raise SystemExit("unknown method %r" % method)
except Exhausted:
    pass
trial.finish()
