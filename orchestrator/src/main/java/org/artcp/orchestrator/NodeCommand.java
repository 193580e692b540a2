package org.artcp.orchestrator;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.artcp.node.process.NodeProcess;
import org.artcp.node.process.NodeProcessConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./artcp node --config FILE}: one AR-TCP node process (artcp-node {@link NodeProcess}). */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run one AR-TCP node until SIGTERM or SIGINT.",
                "Reads the node's configuration file (Java properties: rank, nodes, portal, delivery, clusterKey, "
                + "statusFile, …; see docs/cluster.md), sets up its host (TUN device with the portal IP, policy "
                + "routing, the netfilter drop), serves the replicated connections, writes its status file, and "
                + "removes what it set up when it stops. Exits with the node's status (0 after a clean stop).",
                "Needs root, in a host set up as in docs/testbed.md (a node namespace of the local testbed, or a "
                + "machine of a real cluster). ./artcp cluster start writes the files and runs one node per host."},
        footer = {"", "@|bold Examples|@",
                "  ./artcp testbed exec node1 -- java --enable-native-access=ALL-UNNAMED -cp orchestrator/target/artcp.jar \\",
                "      org.artcp.orchestrator.Main node --config results/cluster/latest/node1.properties",
                "  ./artcp cluster start --nodes 2 --delivery best-effort --app netpipe   (does this for every node)"})
public final class NodeCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's configuration file.")
    Path config;

    @Override
    public Integer call() throws Exception {
        NodeProcessConfig c;
        try {
            c = NodeProcessConfig.load(config);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(config + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            // the message names the key at fault
            throw new IllegalArgumentException(config + ": " + e.getMessage());
        }
        return NodeProcess.run(c, System.out);
    }
}
