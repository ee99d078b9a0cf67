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
