"""Nevergrad's optimizers (CMA, TwoPointsDE, NGOpt) as external optimizers: an Array
parametrization initialised at the trial's start and bounded by the box, its random state (and
numpy's global one) seeded from the trial's seed, asked and told one point at a time until the
harness says the budget is spent (Nevergrad's own budget is set to the harness's).
Usage: python nevergrad_optimizers.py NAME"""
import sys

import nevergrad as ng
import numpy as np

from tunnelbench_protocol import Exhausted, Trial, seed32

trial = Trial()
name = sys.argv[1]
parametrization = ng.p.Array(init=np.array(trial.start)).set_bounds(np.array(trial.lower), np.array(trial.upper))
parametrization.random_state = np.random.RandomState(seed32(trial.seed))
# Some of the optimizers NGOpt delegates to draw from numpy's global generator, not the
# parametrization's: seed it too.
np.random.seed(seed32(trial.seed) + 1)
optimizer = ng.optimizers.registry[name](parametrization=parametrization, budget=int(trial.budget))
try:
    while True:
        candidate = optimizer.ask()
        optimizer.tell(candidate, trial.value(candidate.value))
except Exhausted:
    pass
trial.finish()
