package org.artcp.orchestrator.bench;

import java.util.Comparator;
import java.util.List;

/**
 * Which node a failover crash kills (docs/failover.md): {@code primary} the node whose role is PRIMARY;
 * {@code aggregator} the backup that aggregates the most connections (status counter
 * {@code aggregatedConnections}; ties: the lowest rank); {@code backup} another backup, the one that aggregates
 * the fewest (ties: the highest rank). Pure: statuses in, a host out.
 */
final class Victims {
    /** The crash kinds. */
    static final List<String> KINDS = List.of("primary", "aggregator", "backup");

    /** What a node's status said just before the kill. */
    record Node(String host, int rank, String role, long aggregatedConnections) {
        boolean primary() {
            return "PRIMARY".equals(role);
        }

        boolean backup() {
            return "BACKUP".equals(role);
        }
    }

    /** The choice, or why there is none. */
    record Choice(Node victim, String problem) {}

    private Victims() {}

    static Choice choose(String kind, List<Node> nodes) {
        List<Node> backups = nodes.stream().filter(Node::backup).toList();
        Comparator<Node> busiest = Comparator.comparingLong(Node::aggregatedConnections).reversed()
                .thenComparingInt(Node::rank);
        return switch (kind) {
            case "primary" -> nodes.stream().filter(Node::primary).findFirst().map(n -> new Choice(n, null))
                    .orElse(new Choice(null, "no node reports the role PRIMARY"));
            case "aggregator" -> backups.stream().min(busiest).map(n -> new Choice(n, null))
                    .orElse(new Choice(null, "no node reports the role BACKUP"));
            case "backup" -> {
                if (backups.size() < 2) {
                    yield new Choice(null, "a backup other than the aggregator needs two backups (3 nodes or more); "
                            + backups.size() + " reported");
                }
                Node aggregator = backups.stream().min(busiest).orElseThrow();
                yield new Choice(backups.stream().filter(n -> n != aggregator).max(busiest).orElseThrow(), null);
            }
            default -> throw new IllegalArgumentException("crash kind '" + kind + "': one of " + KINDS);
        };
    }
}
