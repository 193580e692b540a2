package org.artcp.orchestrator.bench;

import java.io.IOException;
import java.io.PrintStream;

import org.artcp.orchestrator.testbed.Testbed;
import org.artcp.orchestrator.testbed.TestbedConfig;
import org.artcp.orchestrator.testbed.TestbedException;

/** The testbed a bench runs on: the one that is up, or one it brings up and takes down again. */
final class BenchTestbed {
    /** A bench's work on a testbed. */
    interface Work<T> {
        T run(Testbed testbed) throws IOException, TestbedException, InterruptedException;
    }

    private BenchTestbed() {
    }

    /**
     * Runs {@code work} on the testbed that is up, or on one brought up with {@code own}, which is taken
     * down afterwards unless {@code keep}.
     */
    static <T> T run(TestbedConfig own, boolean keep, PrintStream progress, Work<T> work)
            throws IOException, TestbedException, InterruptedException {
        Testbed testbed = Testbed.load().orElse(null);
        boolean ownTestbed = testbed == null;
        if (ownTestbed) {
            progress.println("bench: bringing the testbed up (" + own.describe() + ")");
            testbed = Testbed.up(own, line -> progress.println("  " + line)).testbed();
        }
        try {
            return work.run(testbed);
        } finally {
            if (ownTestbed && !keep) {
                progress.println("bench: taking down the testbed it brought up (--keep-testbed keeps it)");
                Testbed.down(line -> { });
            }
        }
    }
}
