package org.artcp.node.process;

import org.artcp.node.packet.Ipv4Packet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.artcp.node.dataplane.DataPlane;
import org.artcp.node.net.LinuxNet;

/**
 * One AR-TCP node as an operating-system process ({@code ./artcp node --config FILE}): opens its
 * descriptors, sets up its host ({@link HostSetup}), runs the {@link DataPlane} until SIGTERM or
 * SIGINT, and removes what it set up. A status thread writes the node's status file
 * ({@link DataPlane.Snapshot#toJson}) every {@code statusIntervalMs} and once more at exit.
 */
public final class NodeProcess {
    private NodeProcess() {
    }

    /**
     * Runs the node until the JVM is asked to stop, or the cluster excluded it; returns the exit status (0
     * after a clean stop, {@link #EXCLUDED} when excluded).
     *
     * @param log where the node reports (one line per event)
     */
    public static int run(NodeProcessConfig config, PrintStream out) throws Exception {
        PrintStream log = timestamped(out);
        long pid = ProcessHandle.current().pid();
        log.println("node rank " + config.rank() + " (" + Ipv4Packet.formatAddress(config.selfAddress()) + "), "
                + config.nodes().size() + " nodes, portal " + Ipv4Packet.formatAddress(config.portal()) + ", "
                + config.delivery() + ", pid " + pid);
        DataPlane plane = new DataPlane(config, LinuxNet.get(), log);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested = true;
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "artcp-node-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread status = new Thread(() -> writeStatusUntilStopped(plane, config, pid), "artcp-node-status");
        status.setDaemon(true);
        try (HostSetup host = HostSetup.apply(config, log)) {
            status.start();
            log.println("serving");
            plane.run(() -> stopRequested);
            log.println("stopping");
        } finally {
            writeStatus(plane, config, pid);
            finished.countDown();
        }
        log.println("stopped: host set-up removed");
        return stopRequested ? 0 : EXCLUDED;
    }

    private static volatile boolean stopRequested;

    /** The exit status of a node that stopped because the others excluded it (see {@code DataPlane}). */
    public static final int EXCLUDED = 3;

    /** Each line the node logs starts with the time (UTC, milliseconds), so logs of nodes can be lined up. */
    private static PrintStream timestamped(PrintStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8) {
            @Override
            public void println(String line) {
                super.println(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " " + line);
            }
        };
    }

    /**
     * Runs a node without the orchestrator: {@code java --enable-native-access=ALL-UNNAMED -cp
     * artcp-node.jar org.artcp.node.process.NodeProcess FILE} (the same as {@code ./artcp node --config FILE}).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: NodeProcess CONFIG-FILE (see NodeProcessConfig for its keys)");
            System.exit(2);
        }
        System.exit(run(NodeProcessConfig.load(Path.of(args[0])), System.out));
    }

    private static void writeStatusUntilStopped(DataPlane plane, NodeProcessConfig config, long pid) {
        while (!stopRequested) {
            writeStatus(plane, config, pid);
            try {
                Thread.sleep(config.statusIntervalMs());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static synchronized void writeStatus(DataPlane plane, NodeProcessConfig config, long pid) {
        Path file = config.statusFile();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.writeString(tmp, plane.snapshot().toJson(pid, System.currentTimeMillis()) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the next interval tries again; a status file is an observation, not the node's work
        }
    }
}
