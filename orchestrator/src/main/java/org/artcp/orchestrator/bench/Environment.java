package org.artcp.orchestrator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a result depends on besides the code: kernel, CPU, JDK, the git commit and the tools'
 * versions. Written as {@code env.json} beside every run's numbers.
 */
public final class Environment {
    private Environment() {}

    /** Reads the machine; {@code repo} is the checkout whose commit produced the run. */
    public static Map<String, Object> capture(Path repo) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("hostname", firstLine(run(List.of("uname", "-n"), null)));
        env.put("kernel", firstLine(run(List.of("uname", "-srvm"), null)));
        env.put("cpuModel", cpuModel());
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("memoryBytes", memTotalBytes());
        env.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + Runtime.version());
        env.put("gitCommit", firstLine(run(List.of("git", "rev-parse", "HEAD"), repo)));
        String dirty = run(List.of("git", "status", "--porcelain", "--untracked-files=no"), repo);
        env.put("gitDirty", dirty != null && !dirty.isBlank());
        env.put("nptcpVersion", firstLine(run(List.of("dpkg-query", "-W", "-f", "${Version}", "netpipe-tcp"), null)));
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static Long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024L;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return s.strip().lines().findFirst().orElse(null);
    }

    /** Runs a short command and returns its stdout, or null when it cannot be run or fails. */
    private static String run(List<String> command, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
