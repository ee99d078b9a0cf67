"""The external-process protocol (docs/external.md) for the peer adapters in this folder.

`Trial` reads the trial message and gives a library an objective: `value(x)` asks the harness
for f(x), `values(X)` for a batch. Points are first projected onto the box (a library that steps
outside it gets f at the nearest point of the box, as the native restart methods do). Once the
harness says the budget is spent, the next call raises `Exhausted`, which ends the library's run;
`finish()` then tells the harness the trial is over.
"""
import json
import sys


class Exhausted(Exception):
    """The budget is spent: the harness answers no more evaluations."""


class Trial:
    def __init__(self):
        self.message = self._receive()
        if self.message.get("type") != "trial":
            raise SystemExit("expected a trial message first")
        self.dimension = self.message["dimension"]
        self.lower = self.message["lower"]
        self.upper = self.message["upper"]
        self.budget = self.message["budget"]
        self.start = self.message["start"]
        self.seed = self.message["seed"]
        self.parameters = self.message["parameters"]
        self.exhausted = False

    @staticmethod
    def _receive():
        line = sys.stdin.readline()
        if not line:
            raise SystemExit("the harness closed the pipe")
        return json.loads(line)

    @staticmethod
    def _send(message):
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    def clip(self, x):
        return [min(hi, max(lo, float(v))) for v, lo, hi in zip(x, self.lower, self.upper)]

    def values(self, points):
        """f at each point (projected onto the box), in order; raises Exhausted when the
        budget ran out before the first of them."""
        if self.exhausted:
            raise Exhausted()
        self._send({"type": "evaluate", "points": [self.clip(x) for x in points]})
        reply = self._receive()
        if reply.get("type") != "result":
            raise SystemExit("unexpected reply: %r" % reply)
        self.exhausted = reply["exhausted"]
        if not reply["values"]:
            raise Exhausted()
        return reply["values"]

    def value(self, x):
        return self.values([x])[0]

    def finish(self):
        self._send({"type": "done"})


def seed32(seed):
    """A library seed in 1 … 2^32 − 1 from the trial's 64-bit seed (some libraries read 0 as
    'seed from the clock')."""
    return seed % (2**32 - 1) + 1


class IsingTrial:
    """An Ising trial (kind "ising"): the model in TunnelBench's convention
    H(s) = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i, the start, the budget in flip attempts.
    `dimod_h` and `dimod_J` are the same model in dimod's (and OpenJij's) convention
    E(s) = sum_i h_i s_i + sum_{i<j} J_ij s_i s_j, every sign flipped."""

    def __init__(self):
        self.message = Trial._receive()
        if self.message.get("type") != "trial" or self.message.get("kind") != "ising":
            raise SystemExit("expected an Ising trial message first")
        self.size = self.message["size"]
        self.budget = self.message["budget"]
        self.start = self.message["start"]
        self.seed = self.message["seed"]
        self.parameters = self.message["parameters"]
        self.dimod_h = {i: -h for i, h in enumerate(self.message["fields"])}
        self.dimod_J = {(i, j): -coupling for i, j, coupling in self.message["couplings"]}

    @staticmethod
    def each():
        """The trials of one worker: the first, then one more after each reset (registry files with
        `reuse: true`); ends quietly when the harness closes the pipe."""
        while True:
            yield IsingTrial()
            line = sys.stdin.readline()
            if not line:
                return
            if json.loads(line).get("type") != "reset":
                raise SystemExit("expected a reset or the end of input after done")
            Trial._send({"type": "ready"})

    def report(self, states, attempts):
        """Returns final states (lists of +1/-1) with the flip attempts they cost."""
        Trial._send({"type": "states", "states": [[int(s) for s in state] for state in states], "attempts": int(attempts)})
        reply = Trial._receive()
        if reply.get("type") != "charged":
            raise SystemExit("unexpected reply: %r" % reply)
        return reply

    def finish(self):
        """Ends the trial; the sampler spent the sweeps that fit the budget, so the stop reason is 'budget'."""
        Trial._send({"type": "done", "reason": "budget"})


def seed31(seed):
    """A library seed in 1 ... 2^31 - 1 (dwave-samplers refuses seeds of 2^31 and above, although
    its message says 2^32 - 1)."""
    return seed % (2**31 - 1) + 1
