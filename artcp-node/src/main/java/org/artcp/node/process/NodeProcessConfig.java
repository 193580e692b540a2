package org.artcp.node.process;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.artcp.node.order.DeliveryMode;
import org.artcp.node.packet.Ipv4Packet;

/**
 * The configuration file of one AR-TCP node process ({@code ./artcp node --config FILE}): Java
 * properties, one {@code key = value} per line. Every node of a cluster gets the same file except
 * {@code rank} and {@code statusFile}.
 *
 * <pre>
 * rank         = 0                          # this node's rank; rank 0 starts as primary
 * nodes        = 198.18.0.1,198.18.0.2      # every node's LAN address, in rank order (2..16)
 * portal       = 198.18.0.10                # the portal IP the clients connect to
 * lanInterface = eth0                       # the LAN interface (clients and the other nodes)
 * delivery     = best-effort                # or safe (paper §4.1)
 * readPolicy   = rr-np                      # or rr-p (paper §4.2)
 * classifier   = generic                    # every data segment causal; or mysql (protocol-aware, paper §4.2)
 * mysqlPolicy  = /etc/artcp/sql-policy.txt  # mysql only, optional: the user's additions to the built-in SQL policy
 * mysqlPasswords = /run/artcp/passwords.txt # mysql only, optional: "user:*HEX" lines, mysql_native_password hashes
 * nondeterministic = refuse                 # mysql only: refuse (default) or warn, for updates calling NOW(), RAND(), …
 * clusterId    = 1
 * clusterKey   = 00112233...                # HMAC key, hex, at least 16 bytes
 * tunnelGroup  = 239.18.0.1                 # the tunnel's multicast group
 * tunnelPort   = 5400
 * tunDevice    = artcp0
 * statusFile   = /run/artcp/cluster/node1.json   # written every statusIntervalMs and at exit
 * statusIntervalMs = 250
 * heartbeatMs  = 10
 * failureTimeoutMs = 150                    # silence after which a peer is excluded (see docs/failover.md)
 * startupGraceMs = 10000                    # peers are not suspected before this (nodes start one by one)
 * </pre>
 *
 * Unknown keys are refused (a misspelt key must not silently fall back to a default).
 */
public record NodeProcessConfig(int rank, List<Integer> nodes, int portal, String lanInterface, DeliveryMode delivery,
                                boolean readOnlyIncludesPrimary, String classifier, long clusterId, byte[] clusterKey,
                                int tunnelGroup, int tunnelPort, String tunDevice, Path statusFile,
                                long statusIntervalMs, long heartbeatMs, long failureTimeoutMs, long startupGraceMs,
                                Path mysqlPolicy, Path mysqlPasswords, String nondeterministic) {

    /** The classifiers a node knows. */
    public static final List<String> CLASSIFIERS = List.of("generic", "mysql");
    /** What a node does with an update whose result may differ between replicas. */
    public static final List<String> NONDETERMINISTIC_POLICIES = List.of("refuse", "warn");

    private static final List<String> KEYS = List.of("rank", "nodes", "portal", "lanInterface", "delivery",
            "readPolicy", "classifier", "clusterId", "clusterKey", "tunnelGroup", "tunnelPort", "tunDevice",
            "statusFile", "statusIntervalMs", "heartbeatMs", "failureTimeoutMs", "startupGraceMs", "mysqlPolicy",
            "mysqlPasswords", "nondeterministic");

    public NodeProcessConfig {
        nodes = List.copyOf(nodes);
        if (nodes.size() < 2 || nodes.size() > 16) {
            throw new IllegalArgumentException("nodes: need 2 to 16 addresses, got " + nodes.size());
        }
        if (rank < 0 || rank >= nodes.size()) {
            throw new IllegalArgumentException("rank " + rank + " is not in 0.." + (nodes.size() - 1));
        }
        if (clusterKey.length < 16) {
            throw new IllegalArgumentException("clusterKey: need at least 16 bytes, got " + clusterKey.length);
        }
        if (tunnelPort < 1 || tunnelPort > 65535) {
            throw new IllegalArgumentException("tunnelPort: not a port: " + tunnelPort);
        }
        if (tunDevice.isEmpty() || tunDevice.length() > 15) {
            throw new IllegalArgumentException("tunDevice: need 1 to 15 characters: " + tunDevice);
        }
        if (!CLASSIFIERS.contains(classifier)) {
            throw new IllegalArgumentException("classifier: unknown '" + classifier + "' (known: " + String.join(", ", CLASSIFIERS) + ")");
        }
        if (!NONDETERMINISTIC_POLICIES.contains(nondeterministic)) {
            throw new IllegalArgumentException("nondeterministic: unknown '" + nondeterministic + "' (known: refuse, warn)");
        }
        if (!classifier.equals("mysql") && (mysqlPolicy != null || mysqlPasswords != null)) {
            throw new IllegalArgumentException("mysqlPolicy and mysqlPasswords need classifier = mysql");
        }
        if (heartbeatMs <= 0 || failureTimeoutMs <= heartbeatMs || statusIntervalMs <= 0 || startupGraceMs < 0) {
            throw new IllegalArgumentException("need 0 < heartbeatMs < failureTimeoutMs and statusIntervalMs > 0");
        }
        clusterKey = clusterKey.clone();
    }

    @Override
    public byte[] clusterKey() {
        return clusterKey.clone();
    }

    /** This node's own LAN address. */
    public int selfAddress() {
        return nodes.get(rank);
    }

    /** Reads and checks a configuration file; the message of the exception names the key at fault. */
    public static NodeProcessConfig load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return parse(p);
    }

    /** Checks the properties of a configuration file. */
    public static NodeProcessConfig parse(Properties p) {
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        List<Integer> nodes = new ArrayList<>();
        for (String a : required(p, "nodes").split(",")) {
            nodes.add(address("nodes", a.trim()));
        }
        String readPolicy = p.getProperty("readPolicy", "rr-np").trim().toLowerCase(Locale.ROOT);
        if (!readPolicy.equals("rr-p") && !readPolicy.equals("rr-np")) {
            throw new IllegalArgumentException("readPolicy: expected rr-p or rr-np, got '" + readPolicy + "'");
        }
        byte[] key;
        try {
            key = HexFormat.of().parseHex(required(p, "clusterKey"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clusterKey: not hexadecimal");
        }
        return new NodeProcessConfig(integer(p, "rank", null), nodes, address("portal", required(p, "portal")),
                p.getProperty("lanInterface", "eth0").trim(), delivery(p.getProperty("delivery", "best-effort")),
                readPolicy.equals("rr-p"), p.getProperty("classifier", "generic").trim(),
                integer(p, "clusterId", 1), key, address("tunnelGroup", p.getProperty("tunnelGroup", "239.18.0.1")),
                integer(p, "tunnelPort", 5400), p.getProperty("tunDevice", "artcp0").trim(),
                Path.of(required(p, "statusFile")), integer(p, "statusIntervalMs", 250), integer(p, "heartbeatMs", 10),
                integer(p, "failureTimeoutMs", 150), integer(p, "startupGraceMs", 10_000), optionalPath(p, "mysqlPolicy"),
                optionalPath(p, "mysqlPasswords"),
                p.getProperty("nondeterministic", "refuse").trim().toLowerCase(Locale.ROOT));
    }

    /** The file's text for this configuration (what {@link #load} reads back). */
    public String toProperties() {
        StringBuilder sb = new StringBuilder("# AR-TCP node configuration (see NodeProcessConfig)\n");
        List<String> addrs = nodes.stream().map(Ipv4Packet::formatAddress).toList();
        sb.append("rank=").append(rank).append('\n')
                .append("nodes=").append(String.join(",", addrs)).append('\n')
                .append("portal=").append(Ipv4Packet.formatAddress(portal)).append('\n')
                .append("lanInterface=").append(lanInterface).append('\n')
                .append("delivery=").append(delivery == DeliveryMode.SAFE ? "safe" : "best-effort").append('\n')
                .append("readPolicy=").append(readOnlyIncludesPrimary ? "rr-p" : "rr-np").append('\n')
                .append("classifier=").append(classifier).append('\n')
                .append("clusterId=").append(clusterId).append('\n')
                .append("clusterKey=").append(HexFormat.of().formatHex(clusterKey)).append('\n')
                .append("tunnelGroup=").append(Ipv4Packet.formatAddress(tunnelGroup)).append('\n')
                .append("tunnelPort=").append(tunnelPort).append('\n')
                .append("tunDevice=").append(tunDevice).append('\n')
                .append("statusFile=").append(statusFile).append('\n')
                .append("statusIntervalMs=").append(statusIntervalMs).append('\n')
                .append("heartbeatMs=").append(heartbeatMs).append('\n')
                .append("failureTimeoutMs=").append(failureTimeoutMs).append('\n')
                .append("startupGraceMs=").append(startupGraceMs).append('\n')
                .append("nondeterministic=").append(nondeterministic).append('\n');
        if (mysqlPolicy != null) {
            sb.append("mysqlPolicy=").append(mysqlPolicy).append('\n');
        }
        if (mysqlPasswords != null) {
            sb.append("mysqlPasswords=").append(mysqlPasswords).append('\n');
        }
        return sb.toString();
    }

    private static DeliveryMode delivery(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "best-effort" -> DeliveryMode.BEST_EFFORT;
            case "safe" -> DeliveryMode.SAFE;
            default -> throw new IllegalArgumentException("delivery: expected best-effort or safe, got '" + text + "'");
        };
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing key '" + key + "'");
        }
        return v.trim();
    }

    private static Path optionalPath(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    private static int address(String key, String text) {
        try {
            return Ipv4Packet.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    private static int integer(Properties p, String key, Integer fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw new IllegalArgumentException("missing key '" + key + "'");
            }
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not an integer: '" + v.trim() + "'");
        }
    }
}
