"""Round-trip time of the external-process protocol, and the floor it is compared with.

`python3 speed.py client`: run by the harness as an external optimizer (protocol-speed.yaml). It
times single-point requests and batches of 64 from its side of the pipes and writes the figures
to $TB_SPEED_OUT as JSON.
`python3 speed.py floor DIMENSION`: the same client, the same messages, against a pure-Python
server on two pipes that parses each request and writes a result of the same shape: what a round
trip costs with no harness at all.
"""
import json, os, random, statistics, subprocess, sys, time

WARMUP, SINGLES, BATCHES, BATCH = 200, 3000, 300, 64


def measure(send, receive, start, lower, upper):
    rng = random.Random(1)
    def point():
        return [rng.uniform(lo, hi) for lo, hi in zip(lower, upper)]
    times = {"single": [], "batch64": []}
    for kind, count, size in (("warmup", WARMUP, 1), ("single", SINGLES, 1), ("batch64", BATCHES, BATCH)):
        for _ in range(count):
            message = {"type": "evaluate", "point": point()} if size == 1 else {"type": "evaluate", "points": [point() for _ in range(size)]}
            line = json.dumps(message) + "\n"
            t = time.perf_counter_ns()
            send(line)
            reply = receive()
            elapsed = time.perf_counter_ns() - t
            assert json.loads(reply)["type"] == "result"
            if kind != "warmup":
                times[kind].append(elapsed / 1000)
    summary = {}
    for kind, values in times.items():
        values.sort()
        summary[kind] = {"median_us": statistics.median(values), "p95_us": values[int(0.95 * len(values))], "n": len(values)}
    return summary


def stdio_send(line):
    sys.stdout.write(line)
    sys.stdout.flush()


if sys.argv[1] == "client":
    trial = json.loads(sys.stdin.readline())
    summary = measure(stdio_send, sys.stdin.readline, trial["start"], trial["lower"], trial["upper"])
    with open(os.environ["TB_SPEED_OUT"], "w") as out:
        json.dump(summary, out)
    stdio_send(json.dumps({"type": "done"}) + "\n")
elif sys.argv[1] == "server":
    spent = 0
    for line in sys.stdin:
        request = json.loads(line)
        points = [request["point"]] if "point" in request else request["points"]
        values = [sum(x * x for x in p) for p in points]
        spent += len(values)
        sys.stdout.write(json.dumps({"type": "result", "values": values, "spent": spent, "exhausted": False}) + "\n")
        sys.stdout.flush()
elif sys.argv[1] == "floor":
    d = int(sys.argv[2])
    server = subprocess.Popen([sys.executable, __file__, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    def send(line):
        server.stdin.write(line)
        server.stdin.flush()
    print(json.dumps(measure(send, server.stdout.readline, [0.0] * d, [-5.12] * d, [5.12] * d)))
    server.stdin.close()
    server.wait()
