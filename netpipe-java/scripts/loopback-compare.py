#!/usr/bin/env python3
"""Reads OUT/<pair>-<r>/np.out written by loopback-compare.sh and prints, per pairing, the ratio to NPtcp->NPtcp:
latency = median over sizes <= 1024 of t_pair / t_cc; throughput = median over sizes >= 65536 of Mbps_pair / Mbps_cc.
Each size's value is the best (minimum time) over the repeats, NetPIPE's own rule applied once more; the ratios
of the single repeats are printed as well, to show the spread."""
import statistics
import sys

out, repeats = sys.argv[1], int(sys.argv[2])


def read(path):
    d = {}
    for line in open(path):
        f = line.split()
        if len(f) == 3:
            d[int(f[0])] = (float(f[1]), float(f[2]))
    return d


runs = {p: [read(f"{out}/{p}-{r}/np.out") for r in range(1, repeats + 1)] for p in ("cc", "jj", "jc", "cj")}
best = {p: {s: min(run[s][1] for run in rs if s in run) for s in rs[0]} for p, rs in runs.items()}


def ratios(a, b):
    small = [a[s] / b[s] for s in a if s <= 1024 and s in b]
    large = [b[s] / a[s] for s in a if s >= 65536 and s in b]  # Mbps ratio = inverse time ratio
    return (statistics.median(small) if small else float("nan"), statistics.median(large) if large else float("nan"),
            len(small), len(large))


print(f"{'pairing':28} {'latency<=1KiB':>14} {'throughput>=64KiB':>18}   (ratio to NPtcp->NPtcp; <1 latency and >1 "
      f"throughput favour the pairing)")
names = {"jj": "Java tx -> Java rx", "jc": "Java tx -> NPtcp rx", "cj": "NPtcp tx -> Java rx", "cc": "NPtcp -> NPtcp"}
for p in ("jj", "jc", "cj", "cc"):
    lat, thr, n1, n2 = ratios(best[p], best["cc"])
    single = [ratios({s: v[1] for s, v in runs[p][r].items()}, {s: v[1] for s, v in runs["cc"][r].items()})
              for r in range(repeats)]
    spread = ", ".join(f"{a:.3f}/{b:.3f}" for a, b, _, _ in single)
    print(f"{names[p]:28} {lat:14.3f} {thr:18.3f}   (best of {repeats}; {n1} small, {n2} large sizes; per repeat: "
          f"{spread})")
print()
print("median one-way latency <= 1 KiB (us, best of repeats): " + ", ".join(
    f"{names[p]} {statistics.median([t for s, t in best[p].items() if s <= 1024]) * 1e6:.2f}" for p in best))
print("median Mbps >= 64 KiB (best of repeats): " + ", ".join(
    f"{names[p]} {statistics.median([s * 8 / (t * 1024 * 1024) for s, t in best[p].items() if s >= 65536]):.0f}"
    for p in best))
