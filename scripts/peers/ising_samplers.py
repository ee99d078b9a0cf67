"""Ising samplers as external optimizers of Ising landscapes: dwave-samplers'
SimulatedAnnealingSampler and OpenJij's SASampler and SQASampler. Each read starts at the trial's
start; the sweeps are the most that fit the budget in flip attempts, counted as
scripts/compare-ising-peers counts them: a sweep is N attempts for one replica, N*P for P Trotter
slices, and R reads cost R times that. The sampler's final states go back to the harness, which
recomputes their energies. One process serves many trials (the registry files say reuse: true).
Usage: python ising_samplers.py dwave-sa | openjij-sa | openjij-sqa"""
import sys

import numpy as np

from tunnelbench_protocol import IsingTrial, seed31

method = sys.argv[1]


def optional(value):
    """0 in a registry parameter means: the library's own default."""
    return None if value == 0 else value


def run(trial):
    p = trial.parameters
    n = trial.size
    reads = p["reads"]
    slices = p.get("trotter", 1)
    per_sweep = n * slices * reads
    sweeps = trial.budget // per_sweep
    start = np.array(trial.start, dtype=np.int8)
    if sweeps >= 1:
        seed = seed31(trial.seed)
        if method == "dwave-sa":
            from dwave.samplers import SimulatedAnnealingSampler
            hot, cold = optional(p["beta-hot"]), optional(p["beta-cold"])
            result = SimulatedAnnealingSampler().sample_ising(
                trial.dimod_h, trial.dimod_J, num_reads=reads, num_sweeps=sweeps,
                beta_range=None if hot is None or cold is None else [hot, cold],
                beta_schedule_type=p["schedule"], seed=seed,
                initial_states=(np.tile(start, (reads, 1)), list(range(n))), initial_states_generator="none")
        elif method == "openjij-sa":
            import openjij as oj
            result = oj.SASampler().sample_ising(
                trial.dimod_h, trial.dimod_J, num_reads=reads, num_sweeps=sweeps, beta_min=optional(p["beta-min"]),
                beta_max=optional(p["beta-max"]), initial_state=[int(s) for s in start], seed=seed)
        elif method == "openjij-sqa":
            import openjij as oj
            result = oj.SQASampler().sample_ising(
                trial.dimod_h, trial.dimod_J, num_reads=reads, num_sweeps=sweeps, trotter=slices,
                beta=optional(p["beta"]), gamma=optional(p["gamma"]), initial_state=[int(s) for s in start], seed=seed)
        else:
            raise SystemExit("unknown method %r" % method)
        variables = list(result.variables)
        order = [variables.index(i) for i in range(n)]
        states = [[int(row[k]) for k in order] for row in result.record.sample]
        trial.report(states, sweeps * per_sweep)


for trial in IsingTrial.each():
    run(trial)
    trial.finish()
