package org.artcp.orchestrator.cluster;

/**
 * One MariaDB replica as {@code cluster status} sees it: its server process and whether it answers on its
 * unix socket ({@code mariadb-admin ping}).
 *
 * @param host     the node host ({@code node1})
 * @param socket   the replica's unix socket
 * @param pid      the server's pid (0: never started)
 * @param pidAlive the server process is running
 * @param up       it answered a ping
 */
public record ReplicaView(String host, String socket, long pid, boolean pidAlive, boolean up) {
    /** {@code up}, {@code down} (running but not answering) or {@code dead} (no process). */
    public String label() {
        return up ? "up" : pidAlive ? "down" : "dead";
    }
}
