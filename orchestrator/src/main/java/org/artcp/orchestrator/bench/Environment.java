package org.artcp.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.artcp.orchestrator.testbed.Sys;
import org.artcp.orchestrator.testbed.TestbedException;

/**
 * What a result depends on besides the code: kernel, CPU, JDK, the git commit and the tools'
 * versions. Written as {@code env.json} beside every run's numbers.
 */
public final class Environment {
    private Environment() {}

    /** Reads the machine; {@code repo} is the checkout whose commit produced the run. */
    public static Map<String, Object> capture(Path repo) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("hostname", firstLine(run(List.of("uname", "-n"))));
        env.put("kernel", firstLine(run(List.of("uname", "-srvm"))));
        env.put("cpuModel", cpuModel());
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("memoryBytes", memTotalBytes());
        env.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + Runtime.version());
        env.put("gitCommit", firstLine(run(List.of("git", "-C", repo.toString(), "rev-parse", "HEAD"))));
        String dirty = run(List.of("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no"));
        env.put("gitDirty", dirty != null && !dirty.isBlank());
        env.put("nptcpVersion", firstLine(run(List.of("dpkg-query", "-W", "-f", "${Version}", "netpipe-tcp"))));
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

    /** A short command's stdout, or null when it cannot be run or fails. */
    private static String run(List<String> command) {
        try {
            Sys.Result r = Sys.run(command);
            return r.ok() ? r.stdout() : null;
        } catch (TestbedException e) {
            return null;
        }
    }
}
