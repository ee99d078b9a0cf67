#!/usr/bin/env python3
"""An external landscape for TunnelBench: f(x) = sum_i (x_i^2 - 1)^2 + tilt * x_i.

Every coordinate has two wells, one near -1 and one near +1; for tilt > 0 the left one is
lower, so the global minimum puts every coordinate there and every other corner of wells is a
trap. The harness sends the instance once, then batches of points; the program answers each
batch with its values (and gradients, when asked). Protocol: docs/external.md.
"""
import json
import math
import sys


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


landscape = json.loads(sys.stdin.readline())  # {"type": "landscape", "dimension", "parameters", ...}
d, tilt = landscape["dimension"], landscape["parameters"]["tilt"]
# The lowest point of one coordinate's term: the smallest root of 4x^3 - 4x + tilt = 0 (Cardano,
# three real roots while tilt < 8 / sqrt(27)); f* is d times its value.
low = 2 / math.sqrt(3) * math.cos(math.acos(-tilt * math.sqrt(27) / 8) / 3 + 2 * math.pi / 3)
send({"type": "ready", "optimum": {"value": d * ((low * low - 1) ** 2 + tilt * low), "status": "exact"}})

for line in sys.stdin:
    request = json.loads(line)  # {"type": "evaluate", "id": n, "gradient": true | false, "points": [[...], ...]}
    points = request["points"]
    reply = {"type": "values", "id": request["id"], "values": [sum((v * v - 1) ** 2 + tilt * v for v in x) for x in points]}
    if request["gradient"]:
        reply["gradients"] = [[4 * v * (v * v - 1) + tilt for v in x] for x in points]
    send(reply)
