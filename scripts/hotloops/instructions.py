#!/usr/bin/env python3
"""Instructions per unit of scripts/compare-builds --instructions: reads a folder of counted runs
and prints, per loop, the old and new instructions per unit and their ratio new/old, PASS when
the ratio is at most LIMIT.

    instructions.py FOLDER LIMIT HEADER-LINE…

The folder holds a file `loops` (the loops' names, in order) and, for each side (old, new), loop
and scale (a the larger, b the smaller), the hotloops output `{side}-{loop}-{a|b}.txt` (one line
`NAME UNITS SECONDS CHECK`, run with --only NAME --once) and the cachegrind output
`{side}-{loop}-{a|b}.cg`, whose `summary:` line is the instructions the whole process executed. Instructions per unit are

    (I(a) - I(b)) / (units(a) - units(b)),

so that start-up, set-up and printing, which are the same at both scales, cancel. Exit status 1
when a loop fails, 2 when the folder is incomplete or a loop's units are the same at both scales."""
import os, re, sys

folder, limit, header = sys.argv[1], float(sys.argv[2]), sys.argv[3:]

def die(message):
    print(f"instructions.py: {message}", file=sys.stderr)
    sys.exit(2)

def run(side, loop, scale):
    stem = os.path.join(folder, f"{side}-{loop}-{scale}")
    try:
        with open(stem + ".txt") as f:
            name, units, _, check = f.read().split()
        with open(stem + ".cg") as f:
            summary = re.search(r"^summary:\s+(\d+)", f.read(), re.M)
    except (OSError, ValueError) as error:
        die(f"{stem}: not a counted run ({error})")
    if name != loop or summary is None:
        die(f"{stem}: expected the loop {loop} and a cachegrind summary line")
    return int(units), int(summary.group(1)), check

try:
    with open(os.path.join(folder, "loops")) as f:
        loops = f.read().split()
except OSError as error:
    die(f"{folder}: no list of loops ({error})")
if not loops:
    die(f"{folder}/loops: empty")

for line in header:
    print(line)
print("instructions per unit = (I(a) - I(b)) / (units(a) - units(b)), I counted by cachegrind over the whole process")
print()
print(f"| loop | units a − b | old instructions/unit | new instructions/unit | new/old | ≤ {limit:g} |")
print("|---|---:|---:|---:|---:|---|")
failed = False
for loop in loops:
    per_unit, checks, span = {}, {}, None
    for side in ("old", "new"):
        ua, ia, ca = run(side, loop, "a")
        ub, ib, cb = run(side, loop, "b")
        if ua == ub:
            die(f"{loop}: the same units ({ua}) at both scales; expected a larger --scale")
        if span is not None and span != (ua, ub):
            die(f"{loop}: the old and new builds made different units ({span} against {(ua, ub)})")
        span = (ua, ub)
        per_unit[side] = (ia - ib) / (ua - ub)
        checks[side] = (ca, cb)
    differs = checks["old"] != checks["new"]
    ratio = per_unit["new"] / per_unit["old"]
    verdict = "PASS" if ratio <= limit else "FAIL"
    failed |= verdict == "FAIL"
    print(f"| {loop}{' (computes differently)' if differs else ''} | {span[0] - span[1]} | "
          f"{per_unit['old']:.2f} | {per_unit['new']:.2f} | {ratio:.4f} | {verdict} |")
sys.exit(1 if failed else 0)
