#!/usr/bin/env bash
# Per-hop timestamps of small MySQL requests through a 2-node AR-TCP cluster (best-effort):
# tcpdump in client1, node1 and node2 while a Connector/J client times UPDATE, SELECT and DO 1
# (mysql-bench/scripts/Upd.java), then prints each hop of the last DO 1 requests.
# Usage (root, nothing else on the testbed): mysql-bench/scripts/mysql-hops.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${1:-/tmp/artcp-mysql-hops}
mkdir -p "$OUT"
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
CJ=$(ls ~/.m2/repository/com/mysql/mysql-connector-j/*/mysql-connector-j-*.jar | tail -1)
./artcp cluster start --nodes 2 --app mysql --delivery best-effort > "$OUT/cluster.log"
for h in client1 node1 node2; do
  ip netns exec artcp-$h timeout 30 tcpdump -i any -nn -tt -s 200 -w "$OUT/$h.pcap" 2>/dev/null &
done
sleep 2
ip netns exec artcp-client1 "$J" -cp "$CJ" mysql-bench/scripts/Upd.java 300 | tee "$OUT/client.txt"
sleep 1
kill %1 %2 %3 2>/dev/null || true
wait || true
./artcp cluster stop >> "$OUT/cluster.log"
for h in client1 node1 node2; do
  echo "== $h (last DO 1 requests)"; tcpdump -nn -tt -r "$OUT/$h.pcap" 2>/dev/null | tail -24
done | tee "$OUT/hops.txt"
