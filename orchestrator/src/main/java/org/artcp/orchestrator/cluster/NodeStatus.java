package org.artcp.orchestrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node's status file says (the node rewrites it atomically every {@code statusIntervalMs} and at
 * exit; see {@code NodeProcessConfig}). Fields the node does not write read as 0, false or null;
 * {@code counters} is kept generically, since its names grow with the node. {@link #json} is the file's
 * whole document, so {@code cluster status --json} passes on fields this record does not know.
 *
 * @param ready           the node has set up its host and serves
 * @param stopped         written by the node's final write at exit
 * @param liveMask        bit r set: rank r is a live member
 * @param contiguous      the highest ordering number received without a gap
 * @param delivered       the highest ordering number delivered
 * @param updatedAtMillis when the node wrote the file (epoch milliseconds)
 */
public record NodeStatus(int rank, String address, long pid, boolean ready, boolean stopped, String role, long term,
                         int primary, long liveMask, long ringMask, String delivery, long contiguous, long delivered,
                         long connections, Map<String, Long> counters, long updatedAtMillis, ObjectNode json) {

    /** Reads a status document; anything missing takes its zero value. */
    public static NodeStatus of(ObjectNode json) {
        Map<String, Long> counters = new LinkedHashMap<>();
        json.path("counters").properties().forEach(e -> counters.put(e.getKey(), e.getValue().asLong()));
        return new NodeStatus(json.path("rank").asInt(-1), text(json, "address"), json.path("pid").asLong(),
                json.path("ready").asBoolean(), json.path("stopped").asBoolean(), text(json, "role"),
                json.path("term").asLong(), json.path("primary").asInt(-1), json.path("liveMask").asLong(),
                json.path("ringMask").asLong(), text(json, "delivery"), json.path("contiguous").asLong(),
                json.path("delivered").asLong(), json.path("connections").asLong(),
                Collections.unmodifiableMap(counters), json.path("updatedAtMillis").asLong(), json);
    }

    /** The ranks whose bit is set in {@link #liveMask}, ascending. */
    public List<Integer> liveRanks() {
        return ranks(liveMask);
    }

    /** Bit r of {@code mask} set means rank r. */
    static List<Integer> ranks(long mask) {
        List<Integer> ranks = new ArrayList<>();
        for (int r = 0; r < Long.SIZE; r++) {
            if ((mask >>> r & 1) != 0) {
                ranks.add(r);
            }
        }
        return ranks;
    }

    /** The counters whose value is not zero, in the node's order. */
    public Map<String, Long> nonZeroCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        counters.forEach((k, v) -> {
            if (v != 0) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
