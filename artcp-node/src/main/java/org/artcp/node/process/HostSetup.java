package org.artcp.node.process;

import org.artcp.node.packet.Ipv4Packet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.artcp.node.dataplane.DataPlane;

/**
 * What a node changes on its host, and puts back (DESIGN §2, §8):
 * <ul>
 *   <li>the portal IP on the TUN device, so the local server can listen on it unchanged;</li>
 *   <li>policy routing: packets from the portal IP go to the TUN device (table {@value #TABLE}),
 *       except the node's own raw sends, marked {@link DataPlane#RESPONSE_MARK}, which go by the main
 *       table to the LAN;</li>
 *   <li>an nftables rule that drops client frames to the portal IP on the LAN interface at the
 *       {@code raw} prerouting hook (the node's AF_PACKET socket still sees them), so the kernel never
 *       answers a client directly;</li>
 *   <li>sysctls: {@code rp_filter} off (or the kernel drops what the TUN device delivers) and
 *       {@code arp_ignore = 1} (only the primary's node process answers ARP for the portal IP) and
 *       {@code arp_announce = 2} (a node's ARP requests, made when it sends to a client from the
 *       portal IP, name its LAN address, so clients never learn the portal at a backup's MAC).</li>
 * </ul>
 * Set-up first removes leftovers of a node that was killed, so it can be repeated; {@link #close}
 * undoes everything and restores each sysctl's old value.
 */
public final class HostSetup implements AutoCloseable {
    /** The routing table that sends portal-sourced packets into the TUN device. */
    public static final int TABLE = 167;
    /** Priorities of the two policy rules (the mark rule must come first). */
    public static final int MARK_RULE_PRIORITY = 100;
    public static final int PORTAL_RULE_PRIORITY = 101;
    /**
     * The TUN device's MTU: a segment of the local stack, or of a client (whose MSS the local stack's
     * SYN-ACK derives from it), then fits with the tunnel header, its MAC and UDP/IP in one 1500-byte
     * LAN packet, so no tunnel frame is fragmented: 1500 − 20 − 8 − 48 − 16.
     */
    public static final int TUN_MTU = 1408;
    /** The nftables table this node owns. */
    public static final String NFT_TABLE = "artcp_node";

    private final NodeProcessConfig config;
    private final PrintStream log;
    private final Map<Path, String> savedSysctls = new LinkedHashMap<>();
    private boolean applied;

    private HostSetup(NodeProcessConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Sets up the host for a node whose TUN device is already open (the device exists only while its
     * descriptor is open).
     */
    public static HostSetup apply(NodeProcessConfig config, PrintStream log) throws IOException {
        HostSetup h = new HostSetup(config, log);
        try {
            h.applyAll();
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    private void applyAll() throws IOException {
        String portal = Ipv4Packet.formatAddress(config.portal());
        String tun = config.tunDevice();
        String lan = config.lanInterface();
        removeLeftovers();
        applied = true;
        for (String dev : List.of("all", "default", tun, lan)) {
            sysctl("net/ipv4/conf/" + dev + "/rp_filter", "0");
        }
        for (String dev : List.of("all", lan)) {
            sysctl("net/ipv4/conf/" + dev + "/arp_ignore", "1");
            // The node's own ARP requests (for a client it sends to from the portal IP) must name the
            // LAN address as sender, or every client would learn the portal IP at this node's MAC.
            sysctl("net/ipv4/conf/" + dev + "/arp_announce", "2");
        }
        run("ip", "addr", "add", portal + "/32", "dev", tun);
        run("ip", "link", "set", tun, "mtu", Integer.toString(TUN_MTU), "up");
        run("ip", "route", "replace", "default", "dev", tun, "table", Integer.toString(TABLE));
        run("ip", "rule", "add", "fwmark", "0x" + Integer.toHexString(DataPlane.RESPONSE_MARK), "lookup", "main",
                "priority", Integer.toString(MARK_RULE_PRIORITY));
        run("ip", "rule", "add", "from", portal, "lookup", Integer.toString(TABLE), "priority",
                Integer.toString(PORTAL_RULE_PRIORITY));
        nft("table ip " + NFT_TABLE + " {\n"
                + "  chain prerouting {\n"
                + "    type filter hook prerouting priority raw; policy accept;\n"
                + "    iifname \"" + lan + "\" ip daddr " + portal + " drop\n"
                + "  }\n"
                + "}\n");
        log.println("host: " + portal + " on " + tun + "; portal-sourced packets routed to " + tun + " (table " + TABLE
                + "); client frames to the portal dropped at " + lan + "'s raw prerouting; rp_filter 0, arp_ignore 1, arp_announce 2");
    }

    private void removeLeftovers() {
        quiet("ip", "rule", "del", "priority", Integer.toString(MARK_RULE_PRIORITY));
        quiet("ip", "rule", "del", "priority", Integer.toString(PORTAL_RULE_PRIORITY));
        quiet("ip", "route", "flush", "table", Integer.toString(TABLE));
        quiet("nft", "delete", "table", "ip", NFT_TABLE);
    }

    @Override
    public void close() {
        if (!applied) {
            return;
        }
        applied = false;
        removeLeftovers();
        for (Map.Entry<Path, String> e : savedSysctls.entrySet()) {
            try {
                Files.writeString(e.getKey(), e.getValue());
            } catch (IOException ignored) {
                // the device is gone with the TUN descriptor: nothing to restore
            }
        }
    }

    private void sysctl(String name, String value) throws IOException {
        Path p = Path.of("/proc/sys", name);
        String old = Files.readString(p).trim();
        savedSysctls.putIfAbsent(p, old);
        Files.writeString(p, value);
    }

    private void nft(String script) throws IOException {
        Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        finish(p, "nft -f - (" + script.lines().findFirst().orElse("") + " …)");
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        finish(p, String.join(" ", command));
    }

    private static void quiet(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException e) {
            // the tool is missing: there is nothing of ours to remove with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void finish(Process p, String what) throws IOException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(what + " failed: " + out.lines().findFirst().orElse("exit " + p.exitValue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted");
        }
    }
}
