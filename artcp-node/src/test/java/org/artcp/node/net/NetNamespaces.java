package org.artcp.node.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throw-away network namespaces for tests of the native boundary: named {@code artcpt-net-<pid>-<suffix>} (never
 * {@code artcp-*}, which belongs to the testbed), configured with {@code ip netns exec NAME ip ...}, and deleted by
 * {@link #close()}. {@link #inside} runs code on a fresh platform thread that has entered a namespace with
 * {@code setns(2)}: sockets and TUN devices it opens live in that namespace, and their descriptors keep working from
 * any thread afterwards.
 */
final class NetNamespaces implements AutoCloseable {
    private static final String PREFIX = "artcpt-net-" + ProcessHandle.current().pid() + "-";

    private final List<String> created = new ArrayList<>();

    /** Why namespace tests cannot run here, or null when they can (root, {@code /dev/net/tun}, {@code ip netns add}). */
    static String unavailableReason() {
        try {
            String uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[1];
            if (!uid.equals("0")) {
                return "needs root (uid is " + uid + ")";
            }
            if (!Files.exists(Path.of("/dev/net/tun"))) {
                return "no /dev/net/tun";
            }
            try (NetNamespaces probe = new NetNamespaces()) {
                probe.create("probe");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot make a network namespace: " + e.getMessage();
        }
    }

    /** Creates namespace {@code artcpt-net-<pid>-suffix} with its loopback up, and returns its name. */
    String create(String suffix) throws IOException {
        String name = PREFIX + suffix;
        run("ip", "netns", "add", name);
        created.add(name);
        ip(name, "link", "set", "lo", "up");
        return name;
    }

    /** {@code ip netns exec ns ip args...}; returns its output, fails on a non-zero exit. */
    String ip(String ns, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "ip"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** Runs {@code task} on a new platform thread inside namespace {@code ns}, and returns what it returns. */
    static <T> T inside(String ns, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("in-" + ns).unstarted(() -> {
            try {
                enter(ns);
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            } catch (Throwable t) {
                failure.set(new IllegalStateException(t));
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    private static void enter(String ns) throws NativeException {
        LinuxNet.get().enterNetworkNamespace(ns);
    }

    /** Deletes every namespace this made (their veths and bridges go with them). */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (String name : created.reversed()) {
            try {
                run("ip", "netns", "delete", name);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        created.clear();
        if (first != null) {
            throw first;
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output.strip());
        }
        return output;
    }
}
