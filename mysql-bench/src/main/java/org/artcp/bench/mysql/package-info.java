/**
 * The paper's MySQL workloads (§6.2) over JDBC (mysql-connector-j) with an HdrHistogram per kind
 * of request: the five update operations on a table of ten integer fields (Fig. 7,
 * {@link org.artcp.bench.mysql.UpdateWorkload}), simultaneous SELECT threads retrieving 100 rows
 * (Fig. 8, {@link org.artcp.bench.mysql.ReadWorkload}), and {@link org.artcp.bench.mysql.Worker},
 * the client process the orchestrator runs in a client namespace; and the failover client (issue 6): reads, appends
 * and transactions while nodes are killed ({@link org.artcp.bench.mysql.FailoverWorkload}), each op recorded
 * ({@link org.artcp.bench.mysql.Op}), a list-append history check ({@link org.artcp.bench.mysql.AppendHistory}) and
 * the client-observed stall around a crash ({@link org.artcp.bench.mysql.Stall}).
 */
package org.artcp.bench.mysql;
