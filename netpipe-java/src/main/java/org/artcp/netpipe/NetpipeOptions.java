package org.artcp.netpipe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The options of one side of a NetPIPE run, named after NPtcp's flags.
 *
 * @param compat            which NetPIPE to be compatible with
 * @param host              the receiver's host ({@code -h}); null on the receiver
 * @param bindAddress       the receiver's listening address; null for every address (as NPtcp)
 * @param port              {@code -P} (2.4: {@code -p}); default 5002
 * @param start             {@code -l}, first size in bytes
 * @param end               {@code -u}, upper bound in bytes
 * @param perturbation      {@code -p}; 3 unless told, 0 for none; 2.4 always 3
 * @param fixedRepeats      {@code -n}; 0 to use the repeat-count rule (3.x only)
 * @param socketBufferBytes {@code -b}; SO_SNDBUF and SO_RCVBUF, 0 for the system's defaults
 * @param output            {@code -o}; histograms/ and summary.json go beside it (transmitter only)
 * @param stallTimeout      how long the exchange may stand still before the run is declared stuck (C waits
 *                          forever); also bounds connecting
 * @param jvmWarmup         warm the ping-pong code up in-process before talking to the peer
 */
public record NetpipeOptions(Compat compat, String host, String bindAddress, int port, int start, int end,
        int perturbation, int fixedRepeats, int socketBufferBytes, Path output, Duration stallTimeout,
        boolean jvmWarmup) {

    public NetpipeOptions {
        Objects.requireNonNull(compat, "compat");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
    }

    /** NPtcp's defaults for the given mode: port 5002, 1 byte up to the mode's end, perturbation 3. */
    public static NetpipeOptions defaults(Compat compat) {
        return new NetpipeOptions(compat, null, null, Compat.DEFAULT_PORT, 1, compat.defaultEnd(),
                Compat.DEFAULT_PERTURBATION, 0, 0, Path.of(compat.defaultOutput()), Duration.ofSeconds(30), true);
    }

    public NetpipeOptions withHost(String h) {
        return new NetpipeOptions(compat, h, bindAddress, port, start, end, perturbation, fixedRepeats,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withBindAddress(String a) {
        return new NetpipeOptions(compat, host, a, port, start, end, perturbation, fixedRepeats,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withPort(int p) {
        return new NetpipeOptions(compat, host, bindAddress, p, start, end, perturbation, fixedRepeats,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withRange(int s, int e) {
        return new NetpipeOptions(compat, host, bindAddress, port, s, e, perturbation, fixedRepeats,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withPerturbation(int p) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, p, fixedRepeats,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withFixedRepeats(int n) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, perturbation, n,
                socketBufferBytes, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withSocketBufferBytes(int b) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, perturbation, fixedRepeats,
                b, output, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withOutput(Path o) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, perturbation, fixedRepeats,
                socketBufferBytes, o, stallTimeout, jvmWarmup);
    }

    public NetpipeOptions withStallTimeout(Duration d) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, perturbation, fixedRepeats,
                socketBufferBytes, output, d, jvmWarmup);
    }

    public NetpipeOptions withJvmWarmup(boolean w) {
        return new NetpipeOptions(compat, host, bindAddress, port, start, end, perturbation, fixedRepeats,
                socketBufferBytes, output, stallTimeout, w);
    }

    /** The directory that receives histograms/ and summary.json: the output file's directory. */
    public Path resultsDirectory() {
        Path parent = output.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(".").toAbsolutePath();
    }

    /**
     * Checks the values as NPtcp would and a little more.
     *
     * @return null when fine, else a one-line message that says what to give instead
     */
    /** The message sizes both sides step through: 2.4 always perturbs by its fixed 3 (NETPIPE.md). */
    public SizeSchedule schedule() {
        return new SizeSchedule(start, end, compat == Compat.V3_7 ? perturbation : Compat.DEFAULT_PERTURBATION);
    }

    public String problem() {
        if (port < 1 || port > 65535) {
            return "the port (-P) must be between 1 and 65535, got " + port;
        }
        if (start < 1) {
            return "the first size (-l) must be at least 1 byte, got " + start;
        }
        if (end < 1) {
            return "the upper bound (-u) must be at least 1 byte, got " + end;
        }
        if (start > end) {
            return "the first size (-l " + start + ") must not exceed the upper bound (-u " + end + ")";
        }
        if (perturbation < 0) {
            return "the perturbation (-p) must be 0 (none) or more, got " + perturbation;
        }
        if (fixedRepeats < 0) {
            return "the repeat count (-n) must be 1 or more, got " + fixedRepeats;
        }
        if (socketBufferBytes < 0) {
            return "the socket buffer size (-b) must be 0 (system default) or more bytes, got " + socketBufferBytes;
        }
        if (compat == Compat.V2_4 && perturbation != Compat.DEFAULT_PERTURBATION) {
            return "NetPIPE 2.4 has a fixed perturbation of 3: drop -p or use --compat 3.7";
        }
        if (compat == Compat.V2_4 && fixedRepeats != 0) {
            return "NetPIPE 2.4 has no fixed repeat count: drop -n or use --compat 3.7";
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            return "the stall timeout must be positive, got " + stallTimeout.toSeconds() + " s";
        }
        return null;
    }

    void check() throws NetpipeException {
        String p = problem();
        if (p != null) {
            throw new NetpipeException(NetpipeException.Kind.BAD_OPTION, p);
        }
    }
}
