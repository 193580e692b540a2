#!/usr/bin/env python3
"""Per-hop times of NetPIPE round trips from the captures of hop-latency.sh (see there).

Reads OUT/{artcp,plain}-<host>-<dev>.pcap with tcpdump, pairs the events of each round trip in time
order (round trips are strictly sequential: each starts after the previous response reached the
client), and prints the median and 90th percentile of every hop in microseconds.
"""
import re
import statistics
import subprocess
import sys

PORTAL = "198.18.0.10"
CLIENT = "198.18.0.101"
LINE = re.compile(r"^(\d+\.\d+) IP (\S+) > (\S+): (.*)$")


def events(path):
    out = subprocess.run(["tcpdump", "--time-stamp-precision=nano", "-tt", "-nn", "-r", path],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        t, src, dst, rest = float(m.group(1)), m.group(2), m.group(3).rstrip(":"), m.group(4)
        length = re.search(r"length (\d+)", rest)
        if length:
            yield t, src, dst, "UDP" in rest, int(length.group(1))


def is_data(n):
    return 61 <= n <= 67


def times(path, pred):
    return [t for (t, src, dst, udp, n) in events(path) if pred(src, dst, udp, n)]


def first_after(ts, t0):
    lo, hi = 0, len(ts)
    while lo < hi:
        mid = (lo + hi) // 2
        if ts[mid] <= t0:
            lo = mid + 1
        else:
            hi = mid
    return ts[lo] if lo < len(ts) else None


def host(addr):
    return addr.rsplit(".", 1)[0]


def summary(name, values):
    us = sorted(v * 1e6 for v in values)
    p90 = us[int(0.9 * (len(us) - 1))]
    print(f"  {name:58s} {statistics.median(us):8.2f} {p90:8.2f}")


def artcp(out):
    d = lambda h, dev: f"{out}/artcp-{h}-{dev}.pcap"
    req = lambda src, dst, udp, n: not udp and host(dst) == PORTAL and is_data(n)
    rsp = lambda src, dst, udp, n: not udp and host(src) == PORTAL and is_data(n)
    frame = lambda to: (lambda src, dst, udp, n: udp and host(src) == "198.18.0.1" and host(dst) == to
                        and is_data(n - 104))
    a_ = times(d("client1", "eth0"), req)
    h_ = times(d("client1", "eth0"), rsp)
    lan = times(d("node1", "eth0"), req)
    b_ = times(d("node1", "artcp0"), req)
    e_ = times(d("node1", "artcp0"), rsp)
    c_ = times(d("node2", "eth0"), frame("239.18.0.1"))
    d_ = times(d("node2", "artcp0"), req)
    f_ = times(d("node2", "artcp0"), rsp)
    g_ = times(d("node2", "eth0"), frame("198.18.0.2"))
    rounds = []
    last = 0.0
    for a in a_:
        if a < last:
            continue
        n1 = first_after(lan, a)
        b = n1 and first_after(b_, n1)
        c = n1 and first_after(c_, n1)
        dd = c and first_after(d_, c)
        e = b and first_after(e_, b)
        f = dd and first_after(f_, dd)
        g = e and first_after(g_, e)
        h = f and g and first_after(h_, max(f, g))
        if None in (n1, b, c, dd, e, f, g, h) or h - a > 0.01:
            continue
        rounds.append((a, n1, b, c, dd, e, f, g, h))
        last = h
    print(f"AR-TCP, best-effort, primary and first backup: {len(rounds)} round trips of 61..67 bytes (of {len(a_)} requests captured)")
    if not rounds:
        print("  (none paired: with more than 2 nodes the connection's aggregator need not be node2)")
        return None
    print(f"  {'hop':58s} {'median':>8s} {'p90':>8s}  (µs)")
    col = list(zip(*rounds))
    a, n1, b, c, dd, e, f, g, h = col
    diff = lambda x, y: [yy - xx for xx, yy in zip(x, y)]
    summary("client eth0 -> primary eth0 (bridge)", diff(a, n1))
    summary("primary eth0 -> primary TUN (node: admit, order, multicast, translate)", diff(n1, b))
    summary("primary eth0 -> backup eth0 (the multicast request frame)", diff(n1, c))
    summary("backup eth0 -> backup TUN (node: check, deliver, translate)", diff(c, dd))
    summary("primary TUN -> primary's response on TUN (kernel TCP + NPtcp)", diff(b, e))
    summary("backup TUN -> backup's response on TUN (kernel TCP + NPtcp)", diff(dd, f))
    summary("primary's response on TUN -> its version at the aggregator's eth0", diff(e, g))
    summary("backup's response on TUN -> client eth0 (aggregator's own version last)",
            [hh - ff for ff, gg, hh in zip(f, g, h) if ff >= gg])
    summary("primary's version at the aggregator -> client eth0 (it came last)",
            [hh - gg for ff, gg, hh in zip(f, g, h) if gg > ff])
    summary("round trip at the client", diff(a, h))
    return statistics.median(diff(a, h))


def plain(out):
    d = lambda h, dev: f"{out}/plain-{h}-{dev}.pcap"
    req = lambda src, dst, udp, n: not udp and host(dst) == "198.18.0.1" and is_data(n)
    rsp = lambda src, dst, udp, n: not udp and host(src) == "198.18.0.1" and is_data(n)
    a_ = times(d("client1", "eth0"), req)
    h_ = times(d("client1", "eth0"), rsp)
    n_ = times(d("node1", "eth0"), req)
    m_ = times(d("node1", "eth0"), rsp)
    rounds = []
    last = 0.0
    for a in a_:
        if a < last:
            continue
        n = first_after(n_, a)
        m = n and first_after(m_, n)
        h = m and first_after(h_, m)
        if None in (n, m, h) or h - a > 0.01:
            continue
        rounds.append((a, n, m, h))
        last = h
    print(f"plain TCP client1 -> node1: {len(rounds)} round trips of 61..67 bytes")
    a, n, m, h = zip(*rounds)
    diff = lambda x, y: [yy - xx for xx, yy in zip(x, y)]
    summary("client eth0 -> node1 eth0 (bridge)", diff(a, n))
    summary("node1 eth0 -> its response on eth0 (kernel TCP + NPtcp)", diff(n, m))
    summary("node1 eth0 -> client eth0 (bridge)", diff(m, h))
    summary("round trip at the client", diff(a, h))
    return statistics.median(diff(a, h))


def per_node(out, nodes):
    """Every node's TUN: when the request reached it, and its stack + NPtcp time; the aggregator's wait."""
    d = lambda h, dev: f"{out}/artcp-{h}-{dev}.pcap"
    req = lambda src, dst, udp, n: not udp and host(dst) == PORTAL and is_data(n)
    rsp = lambda src, dst, udp, n: not udp and host(src) == PORTAL and is_data(n)
    a_ = times(d("client1", "eth0"), req)
    h_ = times(d("client1", "eth0"), rsp)
    tun_in = [times(d(f"node{k}", "artcp0"), req) for k in range(1, nodes + 1)]
    tun_out = [times(d(f"node{k}", "artcp0"), rsp) for k in range(1, nodes + 1)]
    rounds = []
    last = 0.0
    for a in a_:
        if a < last:
            continue
        ins = [first_after(t, a) for t in tun_in]
        if None in ins:
            continue
        outs = [first_after(t, i) for t, i in zip(tun_out, ins)]
        if None in outs:
            continue
        h = first_after(h_, max(outs))
        if h is None or h - a > 0.01:
            continue
        rounds.append((a, ins, outs, h))
        last = h
    print(f"AR-TCP, {nodes} nodes, best-effort, per node: {len(rounds)} round trips")
    print(f"  {'hop':58s} {'median':>8s} {'p90':>8s}  (µs)")
    for k in range(nodes):
        summary(f"client request -> node{k + 1} TUN", [ins[k] - a for a, ins, outs, h in rounds])
        summary(f"node{k + 1}: TUN -> its response on TUN (kernel TCP + NPtcp)",
                [outs[k] - ins[k] for a, ins, outs, h in rounds])
    summary("last node's response on TUN -> client eth0", [h - max(outs) for a, ins, outs, h in rounds])
    summary("round trip at the client", [h - a for a, ins, outs, h in rounds])


if __name__ == "__main__":
    out = sys.argv[1]
    nodes = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    if nodes > 2:
        per_node(out, nodes)
        print()
    rt_ar = artcp(out)
    print()
    rt_plain = plain(out)
    print()
    if rt_ar is not None:
        print(f"added one-way latency (half the difference of the median round trips): {(rt_ar - rt_plain) / 2 * 1e6:.2f} µs")
