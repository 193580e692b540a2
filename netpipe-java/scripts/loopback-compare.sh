#!/usr/bin/env bash
# Compares netpipe-java with Debian's NPtcp on loopback: four pairings (C->C, Java->Java, Java tx + C rx,
# C tx + Java rx), interleaved, REPEATS times, then prints the latency ratio (median over sizes <= 1 KiB)
# and the throughput ratio (sizes >= 64 KiB) of each pairing against NPtcp->NPtcp. A measurement, not a test.
#
#   netpipe-java/scripts/loopback-compare.sh [OUT_DIR] [REPEATS] [NETPIPE OPTIONS…]
#   e.g. netpipe-java/scripts/loopback-compare.sh /tmp/np-compare 3            # full default sweep
#        netpipe-java/scripts/loopback-compare.sh /tmp/np-compare 3 -u 131072
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# ARTCP may name a fixed command, e.g. "java -jar /tmp/artcp.jar", so that a rebuild mid-run cannot change it
read -r -a ARTCP <<<"${ARTCP:-$HERE/../../artcp}"
OUT="${1:-/tmp/np-compare}"; REPEATS="${2:-3}"; shift $(( $# > 2 ? 2 : $# )) || true
OPTS=("$@")
PORT="${PORT:-5702}"
# TX_CPUS / RX_CPUS (taskset lists, e.g. 0 and 1) pin each side, JVM threads included; unset: no pinning
TX=(); RX=()
[ -n "${TX_CPUS:-}" ] && TX=(taskset -c "$TX_CPUS")
[ -n "${RX_CPUS:-}" ] && RX=(taskset -c "$RX_CPUS")
command -v NPtcp >/dev/null || { echo "NPtcp is not on the PATH: apt-get install netpipe-tcp" >&2; exit 2; }
"${ARTCP[@]}" --help >/dev/null   # builds the jar once if needed
mkdir -p "$OUT"

wait_listen() { # waits until something listens on $PORT (without connecting: NPtcp serves one connection)
  local hex; hex=$(printf ':%04X' "$PORT")
  for _ in $(seq 1200); do
    if awk -v p="$hex" '$4=="0A" && $2 ~ p"$" {f=1} END {exit !f}' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on $PORT" >&2; return 1
}

run_pair() { # run_pair NAME TX RX
  local dir="$OUT/$1"; mkdir -p "$dir"
  if [ "$3" = c ]; then (cd "$dir" && "${RX[@]}" NPtcp -P "$PORT" "${OPTS[@]}" >recv.log 2>&1) & else
    (cd "$dir" && "${RX[@]}" "${ARTCP[@]}" netpipe recv --bind 127.0.0.1 -P "$PORT" "${OPTS[@]}" >recv.log 2>&1) & fi
  local rx=$!
  wait_listen
  if [ "$2" = c ]; then (cd "$dir" && "${TX[@]}" NPtcp -h 127.0.0.1 -P "$PORT" "${OPTS[@]}" -o np.out >send.log 2>&1); else
    (cd "$dir" && "${TX[@]}" "${ARTCP[@]}" netpipe send -h 127.0.0.1 -P "$PORT" "${OPTS[@]}" -o np.out >send.log 2>&1); fi
  wait "$rx"
  echo "$(date -u +%T) $1: $(wc -l <"$dir/np.out") points" >&2
}

for r in $(seq "$REPEATS"); do
  for pair in cc jj jc cj; do run_pair "$pair-$r" "${pair:0:1}" "${pair:1:1}"; done
done
python3 "$HERE/loopback-compare.py" "$OUT" "$REPEATS"
