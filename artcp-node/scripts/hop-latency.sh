#!/usr/bin/env bash
# Where the time of a small round trip through a 2-node AR-TCP cluster goes, from kernel timestamps.
#
# Brings up a 2-node testbed and cluster, warms the nodes up, then runs NPtcp with 64-byte messages
# (sizes 61..67) through the portal while tcpdump records, with nanosecond kernel timestamps, the
# client's eth0, each node's eth0 and each node's TUN device (artcp0). hop_latency.py pairs the
# packets of each round trip across the captures and prints the median time of every hop, beside
# a plain-TCP run (client1 -> node1 directly) recorded the same way.
#
# Usage (root): [NODES=2|3|4] artcp-node/scripts/hop-latency.sh [OUT-DIR]   (default results/hops/<timestamp>)
# With NODES > 2 it also records every node's TUN device and prints, per node, when the request
# reached it and how long its stack and NPtcp took, and how long the aggregator waited for the last.
# Needs: a free testbed (no testbed up), tcpdump, NPtcp, python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-results/hops/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ROUNDS_SIZES=(-l 61 -u 67)
NODES=${NODES:-2}
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    ./artcp cluster stop >/dev/null 2>&1 || true
    ./artcp testbed down >/dev/null 2>&1 || true
}
trap cleanup EXIT

if ./artcp testbed status >/dev/null 2>&1; then
    echo "hop-latency: a testbed is up; take it down first (./artcp testbed down)" >&2
    exit 1
fi
./artcp testbed up --nodes "$NODES" --clients 1 | tail -1
./artcp cluster start --nodes "$NODES" --delivery best-effort --app none --results "$OUT" | tail -1

receivers() { # $1 = extra NPtcp options; one receiver per node host
    for k in $(seq 1 "$NODES"); do
        ip netns exec artcp-node$k NPtcp -P 5003 "$@" >"$OUT/receiver-node$k.log" 2>&1 &
        PIDS+=($!)
    done
    sleep 0.5
}

echo "hop-latency: warming the nodes up (NPtcp -u 8192 through the portal)"
receivers -u 8192
ip netns exec artcp-client1 NPtcp -h 198.18.0.10 -P 5003 -u 8192 -o "$OUT/warm-up.out" >/dev/null 2>&1

capture() { # $1 = label
    local label=$1
    local specs="client1:eth0 node1:eth0 node1:artcp0 node2:eth0 node2:artcp0"
    for k in $(seq 3 "$NODES"); do specs="$specs node$k:artcp0"; done
    for spec in $specs; do
        local host=${spec%%:*} dev=${spec##*:}
        ip netns exec artcp-$host tcpdump -i "$dev" -n -s 200 --time-stamp-precision=nano -w "$OUT/$label-$host-$dev.pcap" \
            'tcp or (udp port 5400)' >/dev/null 2>&1 &
        PIDS+=($!)
    done
    sleep 1
}
stop_captures() {
    sleep 1
    for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
    sleep 1
    PIDS=()
}

echo "hop-latency: AR-TCP, $NODES nodes, best-effort: NPtcp ${ROUNDS_SIZES[*]} through the portal, captured"
receivers "${ROUNDS_SIZES[@]}"
capture artcp
ip netns exec artcp-client1 NPtcp -h 198.18.0.10 -P 5003 "${ROUNDS_SIZES[@]}" -o "$OUT/artcp.out" >/dev/null 2>&1
stop_captures

echo "hop-latency: plain TCP: NPtcp ${ROUNDS_SIZES[*]} client1 -> node1, captured"
ip netns exec artcp-node1 NPtcp -P 5004 "${ROUNDS_SIZES[@]}" >"$OUT/receiver-plain.log" 2>&1 &
PIDS+=($!)
sleep 0.5
capture plain
ip netns exec artcp-client1 NPtcp -h 198.18.0.1 -P 5004 "${ROUNDS_SIZES[@]}" -o "$OUT/plain.out" >/dev/null 2>&1
stop_captures

python3 artcp-node/scripts/hop_latency.py "$OUT" "$NODES" | tee "$OUT/hops.txt"
