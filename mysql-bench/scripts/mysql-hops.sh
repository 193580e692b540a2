#!/usr/bin/env bash
# Small MySQL requests over one Connector/J connection to the portal (mysql-bench/scripts/Upd.java
# times UPDATE, SELECT and DO 1, after 50 unrecorded each), on a fresh cluster; with CAPTURE=1 also
# tcpdump in client1, node1 and node2, and the last DO 1 requests printed per host, hop by hop.
#   NODES=1|2|3|4   cluster size; 1 = the standalone server, no AR-TCP (default 2)
#   COUNT=N         timed requests per statement (default 500)
#   CAPTURE=0|1     capture and print the hops (default 0; tcpdump slows every hop)
# Usage (root, no other testbed user): NODES=2 COUNT=500 mysql-bench/scripts/mysql-hops.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
NODES=${NODES:-2}
COUNT=${COUNT:-500}
CAPTURE=${CAPTURE:-0}
OUT=${1:-/tmp/artcp-mysql-hops}
mkdir -p "$OUT"
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
CJ=$(ls ~/.m2/repository/com/mysql/mysql-connector-j/*/mysql-connector-j-*.jar | tail -1)
./artcp cluster start --nodes "$NODES" --app mysql --delivery best-effort > "$OUT/cluster.log"
hosts="client1 $(seq -f 'node%g' 1 "$(( NODES < 2 ? 1 : 2 ))" | tr '\n' ' ')"
if [ "$CAPTURE" = 1 ]; then
  for h in $hosts; do
    ip netns exec "artcp-$h" timeout 120 tcpdump -i any -nn -tt -s 200 -w "$OUT/$h.pcap" 2>/dev/null &
  done
  sleep 2
fi
echo "== $NODES node(s), $COUNT requests each"
ip netns exec artcp-client1 "$J" -cp "$CJ" mysql-bench/scripts/Upd.java "$COUNT" | tee "$OUT/client.txt"
if [ "$CAPTURE" = 1 ]; then
  sleep 1
  kill $(jobs -p) 2>/dev/null || true
  wait || true
  for h in $hosts; do
    echo "== $h (last DO 1 requests)"; tcpdump -nn -tt -r "$OUT/$h.pcap" 2>/dev/null | tail -24
  done | tee "$OUT/hops.txt"
fi
./artcp cluster stop >> "$OUT/cluster.log"
