package org.artcp.orchestrator;

import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.artcp.netpipe.Compat;
import org.artcp.netpipe.NetpipeException;
import org.artcp.netpipe.NetpipeListener;
import org.artcp.netpipe.NetpipeOptions;
import org.artcp.netpipe.NetpipeReceiver;
import org.artcp.netpipe.NetpipeTransmitter;
import org.artcp.netpipe.PointResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./artcp netpipe recv|send}: netpipe-java, wire-compatible with Debian's {@code NPtcp} 3.7.2 and with
 * NetPIPE 2.4 ({@code ../shared/NETPIPE.md}). Option values are read as text and checked here so that every bad
 * input ends in one line that says what to do, never a usage dump or a stack trace.
 */
@Command(name = "netpipe", mixinStandardHelpOptions = true,
        subcommands = {NetpipeCommand.Recv.class, NetpipeCommand.Send.class},
        description = {
            "NetPIPE's ping-pong sweep of latency and throughput over message sizes,",
            "wire-compatible with Debian's NPtcp 3.7.2 (and NetPIPE 2.4 with --compat 2.4):",
            "either side may be NPtcp. Start the receiver first, then the sender, both",
            "with the same -P/-l/-u/-p. Besides NetPIPE's np.out the sender writes",
            "histograms/<bytes>.hlog (every round trip, ns) and summary.json beside it."},
        footer = {"", "Examples:",
            "  ./artcp netpipe recv                    # wait for a sender on port 5002",
            "  ./artcp netpipe send -h 198.18.0.1 -o run/np.out   # full sweep, 1 B..8 MiB",
            "  NPtcp -u 4096 &",
            "  ./artcp netpipe send -h 127.0.0.1 -u 4096          # Java sender, C receiver",
            "  ./artcp netpipe recv --compat 2.4 -u 65536         # NetPIPE 2.4's protocol",
            "", "See ./artcp netpipe send --help and ./artcp netpipe recv --help."})
public final class NetpipeCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    /**
     * Options both sides share. Values are typed; a value picocli cannot read becomes one line through
     * {@link Main}'s handler, and ranges are checked by {@link NetpipeOptions#problem()}.
     */
    abstract static class Common implements Callable<Integer> {
        @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "-P", paramLabel = "PORT", defaultValue = "5002",
                description = "TCP port (default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "-l", paramLabel = "BYTES", defaultValue = "1", description = "First message size (default 1).")
        int start;

        @Option(names = "-u", paramLabel = "BYTES",
                description = "Upper bound of the message size (default 10000000 for 3.7, 2147483647 for 2.4).")
        Integer end;

        @Option(names = "-p", paramLabel = "BYTES",
                description = "Perturbation: also measure size-p and size+p (default 3, 0 for none; 2.4: fixed 3).")
        Integer perturbation;

        @Option(names = "-b", paramLabel = "BYTES",
                description = "Socket send and receive buffer size (SO_SNDBUF/SO_RCVBUF); default: the system's.")
        Integer buffer;

        @Option(names = "--compat", paramLabel = "VERSION", defaultValue = "3.7",
                description = "NetPIPE version to match: 3.7 (NPtcp 3.7.2: 3 trials x 0.10 s, np.out) or 2.4"
                        + " (the paper's: 7 trials x 0.25 s, NetPIPE.out). Default ${DEFAULT-VALUE}.")
        String compat;

        @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "30",
                description = "Give up when nothing moves for this long mid-run (NPtcp would hang). Default"
                        + " ${DEFAULT-VALUE}.")
        int stallSeconds;

        @Option(names = "--no-jvm-warmup", description = "Skip the in-process JIT warm-up (for measuring its effect).")
        boolean noWarmup;

        abstract String side();

        abstract NetpipeOptions options(NetpipeOptions base) throws BadInput;

        abstract List<PointResult> runSide(NetpipeOptions o, NetpipeListener l) throws NetpipeException;

        @Override
        public Integer call() {
            PrintStream err = System.err;
            try {
                Compat c = Compat.parse(compat.trim());
                if (c == null) {
                    throw new BadInput("--compat must be 3.7 or 2.4, got '" + compat + "'");
                }
                if (stallSeconds < 1) {
                    throw new BadInput("--stall-timeout needs 1 second or more, got " + stallSeconds);
                }
                NetpipeOptions o = NetpipeOptions.defaults(c)
                        .withPort(port)
                        .withRange(start, end == null ? c.defaultEnd() : end)
                        .withStallTimeout(Duration.ofSeconds(stallSeconds))
                        .withJvmWarmup(!noWarmup);
                if (perturbation != null) {
                    o = o.withPerturbation(perturbation);
                }
                if (buffer != null) {
                    o = o.withSocketBufferBytes(buffer);
                }
                o = options(o);
                String problem = o.problem();
                if (problem != null) {
                    throw new BadInput(problem);
                }
                runSide(o, new Progress(err, side()));
                return 0;
            } catch (BadInput e) {
                err.println("artcp netpipe " + side() + ": " + e.getMessage());
                return 2;
            } catch (NetpipeException e) {
                err.println("artcp netpipe " + side() + ": " + e.getMessage());
                return e.kind() == NetpipeException.Kind.BAD_OPTION ? 2 : 1;
            }
        }
    }

    @Command(name = "recv", sortOptions = false,
            customSynopsis = {"artcp netpipe recv [-P PORT] [-l BYTES] [-u BYTES] [-p BYTES] [-b BYTES]",
                "       [--compat 3.7|2.4] [--bind ADDRESS] [--stall-timeout SECONDS]",
                "       [--no-jvm-warmup]"},
            description = {"Be the receiver (NPtcp without -h): wait for one sender, echo its",
                "messages, exit. Give it the same -P/-l/-u/-p/--compat as the sender:",
                "a NetPIPE receiver computes the message sizes itself."},
            footer = {"", "Examples:",
                "  ./artcp netpipe recv                # then: ./artcp netpipe send -h HOST",
                "  ./artcp netpipe recv -P 6000 -u 4096",
                "                                      # then: NPtcp -h HOST -P 6000 -u 4096",
                "  ./artcp netpipe recv --compat 2.4   # sender needs --compat 2.4 too"})
    static final class Recv extends Common {
        @Option(names = "--bind", paramLabel = "ADDRESS",
                description = "Listen on this address only (default: every address, as NPtcp).")
        String bind;

        @Override
        String side() {
            return "recv";
        }

        @Override
        NetpipeOptions options(NetpipeOptions base) throws BadInput {
            if (bind != null && bind.isBlank()) {
                throw new BadInput("--bind needs an address, e.g. --bind 127.0.0.1");
            }
            return base.withBindAddress(bind);
        }

        @Override
        List<PointResult> runSide(NetpipeOptions o, NetpipeListener l) throws NetpipeException {
            return NetpipeReceiver.run(o, l);
        }
    }

    @Command(name = "send", sortOptions = false,
            customSynopsis = {"artcp netpipe send -h HOST [-P PORT] [-l BYTES] [-u BYTES] [-p BYTES]",
                "       [-n COUNT] [-b BYTES] [-o FILE] [--compat 3.7|2.4]",
                "       [--stall-timeout SECONDS] [--no-jvm-warmup]"},
            description = {"Be the transmitter (NPtcp -h HOST): run the sweep against a receiver",
                "started with the same -P/-l/-u/-p, and write NetPIPE's output file (-o),",
                "histograms/<bytes>.hlog and summary.json beside it. Progress: one line",
                "per point on stderr, as NPtcp prints it."},
            footer = {"", "Examples:",
                "  ./artcp netpipe send -h 127.0.0.1              # full sweep, np.out here",
                "  ./artcp netpipe send -h 198.18.0.1 -o results/x/np.out",
                "  ./artcp netpipe send -h 127.0.0.1 -u 131072 -p 0  # to 128 KiB, no -/+3",
                "  ./artcp netpipe send -h 127.0.0.1 -n 1000 -u 1024 # 1000 ping-pongs/trial",
                "  ./artcp netpipe send -h 127.0.0.1 --compat 2.4 # NetPIPE 2.4, NetPIPE.out"})
    static final class Send extends Common {
        @Option(names = "-h", paramLabel = "HOST",
                description = "The receiver's host or address (required).")
        String host;

        @Option(names = "-n", paramLabel = "COUNT",
                description = "Fixed number of ping-pongs per trial instead of NetPIPE's rule (3.7 only).")
        Integer repeats;

        @Option(names = "-o", paramLabel = "FILE",
                description = "Output file (default np.out; NetPIPE.out with --compat 2.4).")
        String output;

        @Override
        String side() {
            return "send";
        }

        @Override
        NetpipeOptions options(NetpipeOptions base) throws BadInput {
            if (host == null || host.isBlank()) {
                throw new BadInput("give the receiver's address with -h HOST, e.g. ./artcp netpipe send -h 127.0.0.1");
            }
            NetpipeOptions o = base.withHost(host);
            if (repeats != null) {
                if (repeats < 1) {
                    throw new BadInput("-n needs a count of 1 or more, got " + repeats);
                }
                o = o.withFixedRepeats(repeats);
            }
            if (output != null) {
                if (output.isBlank()) {
                    throw new BadInput("-o needs a file name, e.g. -o results/np.out");
                }
                o = o.withOutput(Path.of(output));
            }
            return o;
        }

        @Override
        List<PointResult> runSide(NetpipeOptions o, NetpipeListener l) throws NetpipeException {
            List<PointResult> points = NetpipeTransmitter.run(o, l);
            System.err.println("netpipe send: " + points.size() + " points in " + o.output() + "; histograms/ and"
                    + " summary.json in " + o.resultsDirectory());
            return points;
        }
    }

    /** A bad command-line value; the message is the whole story. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    /** Prints what NPtcp prints, one line per event, to stderr. */
    private record Progress(PrintStream err, String side) implements NetpipeListener {
        @Override
        public void onWarmup(int roundTrips) {
            err.println("netpipe " + side + ": warming the JVM up (" + roundTrips
                    + " ping-pongs over an in-process loopback pair)");
        }

        @Override
        public void onListening(SocketAddress local) {
            err.println("netpipe recv: listening on " + local + "; waiting for a sender");
        }

        @Override
        public void onConnected(String peer) {
            err.println("netpipe " + side + ": connected to " + peer);
        }

        @Override
        public void onStart(double latencySeconds) {
            err.println(String.format(Locale.ROOT, "Now starting the main loop (warm-up latency %.2f usec)",
                    latencySeconds * 1e6));
        }

        @Override
        public void onPoint(PointResult p) {
            err.println(p.progressLine());
        }
    }
}
