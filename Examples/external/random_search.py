"""A local random search in the TunnelBench external-process protocol (docs/external.md).

Each round proposes a batch of Gaussian steps around the best point so far, clipped to the box,
and moves to the best proposal that improves on it. Deterministic given the trial's seed.
"""
import json, random, sys

def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

def receive():
    return json.loads(sys.stdin.readline())

trial = receive()                       # {"type": "trial", "dimension", "lower", "upper", "start", "seed", ...}
rng = random.Random(trial["seed"])
lower, upper = trial["lower"], trial["upper"]
step, batch = trial["parameters"]["step"], trial["parameters"]["batch"]
best = trial["start"]
send({"type": "evaluate", "point": best})
reply = receive()                       # {"type": "result", "values": [...], "spent", "exhausted"}
best_value = reply["values"][0]
while not reply["exhausted"]:
    points = [[min(hi, max(lo, x + rng.gauss(0, step * (hi - lo)))) for x, lo, hi in zip(best, lower, upper)]
              for _ in range(batch)]
    send({"type": "evaluate", "points": points})
    reply = receive()
    for point, value in zip(points, reply["values"]):
        if value < best_value:
            best, best_value = point, value
send({"type": "done"})
