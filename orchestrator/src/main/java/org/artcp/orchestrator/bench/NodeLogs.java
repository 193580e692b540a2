package org.artcp.orchestrator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the failover bench reads from the nodes' logs: every line starts with an ISO-8601 instant (millisecond
 * precision) and a space; the node logs {@code membership: live ranks [..] -> [..]} when its view of the live
 * members changes and {@code role: A -> B (term …)} when its role does (artcp-node's DataPlane). Pure: lines in,
 * instants out.
 */
final class NodeLogs {
    /** A membership change. */
    static final Predicate<String> MEMBERSHIP = m -> m.startsWith("membership: ");
    /** A node becoming the primary. */
    static final Predicate<String> BECAME_PRIMARY = Pattern.compile("^role: (?!PRIMARY )\\S+ -> PRIMARY\\b").asPredicate();

    /** One timestamped line. */
    record Line(Instant at, String message) {}

    private NodeLogs() {}

    /** The lines that start with an instant; others (a stack trace's continuation) are left out. */
    static List<Line> parse(List<String> lines) {
        List<Line> out = new ArrayList<>();
        for (String l : lines) {
            int space = l.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                out.add(new Line(Instant.parse(l.substring(0, space)), l.substring(space + 1)));
            } catch (DateTimeParseException e) {
                // not a line the node started
            }
        }
        return out;
    }

    /** A node's log file, parsed; empty when it cannot be read. */
    static List<Line> read(Path log) {
        try {
            return parse(Files.readAllLines(log, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The earliest line over {@code logs} whose message matches and whose instant is not before {@code after}
     * (compared at the logs' millisecond precision, so a line in the kill's own millisecond counts).
     */
    static Optional<Instant> first(Collection<List<Line>> logs, Instant after, Predicate<String> message) {
        Instant from = after.truncatedTo(ChronoUnit.MILLIS);
        return logs.stream().flatMap(List::stream).filter(l -> !l.at().isBefore(from) && message.test(l.message()))
                .map(Line::at).min(Instant::compareTo);
    }

    /** Milliseconds from {@code from} to {@code to}, with the sub-millisecond part of {@code from} kept. */
    static double millisBetween(Instant from, Instant to) {
        return ChronoUnit.MICROS.between(from, to) / 1000.0;
    }
}
