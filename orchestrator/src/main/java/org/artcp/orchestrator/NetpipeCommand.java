package org.artcp.orchestrator;

import picocli.CommandLine.Command;

/** Placeholder while this command is being written in this session. */
@Command(name = "netpipe", mixinStandardHelpOptions = true, description = "(being built)")
public final class NetpipeCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("netpipe: not built yet");
    }
}
