#!/usr/bin/env python3
"""scipy's own basinhopping on TunnelBench's Ackley instance, counted the way the harness counts.

Run (scipy >= 1.15 for the `rng` argument; the figures in the README were made with 1.17.1):

    pip install scipy
    python3 scripts/validate-basinhopping.py                 # Ackley d = 10, instance 1, 20 trials
    python3 scripts/validate-basinhopping.py --instance 0 --trials 20

and compare with

    swift run -c release bench --landscape ackley --start uniform --trials 20 \
        --optimizer basin-hopping,basin-hopping-scipy [--instance 0]

What it runs: scipy.optimize.basinhopping at its defaults (T = 1, stepsize = 0.5, interval = 50,
target_accept_rate = 0.5, stepwise_factor = 0.9) with the local minimizer L-BFGS-B on the box
(minimizer_kwargs = {"method": "L-BFGS-B", "jac": True, "bounds": box}; L-BFGS-B's own defaults).
The objective is the project's Ackley (Sources/Landscapes/Ackley.swift: a = 20, b = 0.2, c = 2π,
box [-32.768, 32.768]^d, z = x - s) with its analytic gradient. Instance 0 has s = 0; instance 1's
shift below is the one the project's `ackley` family draws for d = 10, instance 1 (printed from
`LandscapeCatalog.family(named: "ackley").instance(dimension: 10, instance: 1, ...)`).

Counting, as the harness does (docs/DESIGN.md, "Budget"): every call returns f and its gradient
and costs gradCost = 1.9 (Ackley's documented value); a call is answered while less than the
budget (20,000) has been spent, so the last call may overshoot by less than one call; the
incumbent is the best f over every call, including those inside L-BFGS-B's line searches. The run
stops when the budget is spent (niter is set beyond reach), like the project's row. Success:
incumbent <= f* + 0.1 (Ackley's success tolerance; f* = 0).

With --finite-differences scipy is given f alone (its default when no gradient is supplied):
L-BFGS-B then takes 2-point finite-difference gradients, d + 1 = 11 calls each, and every call
costs 1, so the budget counts scipy's nfev.

Starts are uniform in the box from numpy's generator (seeded per trial): the same distribution as
the harness's `--start uniform`, not the same points, so the comparison is between success counts.
"""
import argparse
import math
import sys

import numpy as np
import scipy
from scipy.optimize import basinhopping

A, B, C = 20.0, 0.2, 2.0 * math.pi
HALF_WIDTH = 32.768
GRAD_COST = 1.9
SUCCESS_TOLERANCE = 0.1
SHIFT_INSTANCE_1 = [
    10.864929422414438, -20.06393669441841, -11.90106600235667, -7.353802395846959,
    -15.841174371475175, 10.58851766856564, -12.053124281762843, -19.107700405155335,
    5.295285485178692, 3.36497906507401,
]


class BudgetSpent(Exception):
    pass


class CountedAckley:
    """Ackley's value and gradient, charged like the harness's Objective."""

    def __init__(self, shift, budget, cost=GRAD_COST):
        self.shift = np.asarray(shift, dtype=float)
        self.d = len(shift)
        self.budget = budget
        self.cost = cost
        self.spent = 0.0
        self.calls = 0
        self.best = math.inf

    def __call__(self, x):
        if self.spent >= self.budget:
            raise BudgetSpent()
        if np.any(x < -HALF_WIDTH) or np.any(x > HALF_WIDTH):
            raise RuntimeError(f"evaluated outside the box: {x}")
        z = x - self.shift
        n = float(self.d)
        r = math.sqrt(float(np.dot(z, z)) / n)
        radial = A * math.exp(-B * r)
        ripple = math.exp(float(np.sum(np.cos(C * z))) / n)
        f = -radial - ripple + A + math.e
        radial_factor = radial * B / (n * r) if r > 0 else 0.0
        g = radial_factor * z + ripple * C / n * np.sin(C * z)
        self.spent += self.cost
        self.calls += 1
        self.best = min(self.best, f)
        return f, g


def trial(shift, budget, seed, finite_differences):
    rng = np.random.default_rng(seed)
    d = len(shift)
    x0 = rng.uniform(-HALF_WIDTH, HALF_WIDTH, d)
    bounds = [(-HALF_WIDTH, HALF_WIDTH)] * d
    if finite_differences:
        f = CountedAckley(shift, budget, cost=1.0)
        fun, jac = (lambda x: f(x)[0]), None
    else:
        f = CountedAckley(shift, budget)
        fun, jac = f, True
    try:
        basinhopping(fun, x0, niter=10**9, T=1.0, stepsize=0.5,
                     minimizer_kwargs={"method": "L-BFGS-B", "jac": jac, "bounds": bounds},
                     rng=rng)
    except BudgetSpent:
        pass
    return f.best, f.calls, f.spent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instance", type=int, choices=[0, 1], default=1)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--budget", type=float, default=20000)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--finite-differences", action="store_true",
                        help="give scipy f only (2-point gradients, each call costs 1)")
    args = parser.parse_args()
    shift = SHIFT_INSTANCE_1 if args.instance == 1 else [0.0] * 10
    bests = []
    for i in range(args.trials):
        best, calls, spent = trial(shift, args.budget, args.seed + i, args.finite_differences)
        bests.append(best)
        print(f"trial {i:2d}: best f = {best:.6g} after {calls} calls ({spent:.1f} spent)", flush=True)
    successes = sum(b <= SUCCESS_TOLERANCE for b in bests)
    gradient = "finite differences" if args.finite_differences else "analytic gradient"
    print(f"scipy {scipy.__version__} basinhopping (T=1, stepsize=0.5, L-BFGS-B on the box, {gradient}), "
          f"ackley d=10 instance {args.instance}, uniform starts, budget {args.budget:g}: "
          f"success {successes}/{args.trials}, median best f {float(np.median(bests)):.4g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
