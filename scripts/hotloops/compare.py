#!/usr/bin/env python3
"""Statistics of scripts/compare-builds: reads a folder of runs (old-1.txt, new-1.txt, …, each the
output of the hotloops program) and prints, per loop, the old and new medians in ns per unit and
the ratio new/old with a 95% interval, PASS when the interval's upper end is at most LIMIT.

    compare.py FOLDER LIMIT HEADER-LINE…

The ratio is median(new)/median(old) over the N runs of each build. Its interval is a percentile
bootstrap that resamples the N (old_i, new_i) pairs (old run i and the new run right after it)
with replacement, 10 000 times, seed 1: resampling pairs keeps what the two runs of a pair
shared (the machine's load at that moment), and medians keep one disturbed run from moving the
ratio. Exit status 1 when a loop fails."""
import glob, math, os, random, statistics, sys

folder, limit, header = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
runs = len(glob.glob(os.path.join(folder, "old-*.txt")))

def read(side, i):
    rows = {}
    with open(os.path.join(folder, f"{side}-{i}.txt")) as f:
        for line in f:
            name, units, seconds, check = line.split()
            rows[name] = (float(seconds) * 1e9 / int(units), check)
    return rows

old = [read("old", i) for i in range(1, runs + 1)]
new = [read("new", i) for i in range(1, runs + 1)]
rng = random.Random(1)
resamples = [[rng.randrange(runs) for _ in range(runs)] for _ in range(10_000)]

for line in header:
    print(line)
print("ratio = median(new)/median(old); 95% interval: percentile bootstrap over the paired runs")
print()
print(f"| loop | old ns/unit (median) | new ns/unit (median) | new/old | 95% interval | ≤ {limit:g} |")
print("|---|---:|---:|---:|---|---|")
failed = False
for name in old[0]:
    o = [r[name][0] for r in old]
    n = [r[name][0] for r in new]
    ratio = statistics.median(n) / statistics.median(o)
    boot = sorted(statistics.median([n[k] for k in s]) / statistics.median([o[k] for k in s]) for s in resamples)
    lo, hi = boot[249], boot[9749]
    verdict = "PASS" if hi <= limit else "FAIL"
    failed |= verdict == "FAIL"
    differs = any(a[name][1] != b[name][1] for a, b in zip(old, new))
    print(f"| {name}{' (computes differently)' if differs else ''} | {statistics.median(o):.2f} | "
          f"{statistics.median(n):.2f} | {ratio:.4f} | {lo:.4f} – {hi:.4f} | {verdict} |")
sys.exit(1 if failed else 0)
