"""pycma's CMA-ES with IPOP restarts (Auger & Hansen 2005) as an external optimizer: the first
distribution is centred on the trial's start, sigma0 = 0.25 of the box width per coordinate
(CMA-ES publishes no default for it), box bounds by pycma's boundary handling, restarts with a
doubling population until the harness says the budget is spent."""
import cma
import numpy as np

from tunnelbench_protocol import Exhausted, Trial, seed32

trial = Trial()
p = trial.parameters
lower, upper = np.array(trial.lower), np.array(trial.upper)
widths = upper - lower
options = {"bounds": [list(lower), list(upper)], "seed": seed32(trial.seed), "verbose": -9,
           "CMA_stds": list(widths / widths.max()), "maxfevals": trial.budget}
try:
    cma.fmin2(lambda x: trial.value(x), list(trial.start), p["sigma0"] * widths.max(), options,
              restarts=p["restarts"], incpopsize=2, bipop=False)
except Exhausted:
    pass
trial.finish()
