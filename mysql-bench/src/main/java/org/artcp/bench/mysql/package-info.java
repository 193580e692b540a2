/**
 * The paper's MySQL workloads (§6.2) over JDBC (mysql-connector-j) with an HdrHistogram per kind
 * of request: the five update operations on a table of ten integer fields (Fig. 7,
 * {@link org.artcp.bench.mysql.UpdateWorkload}), simultaneous SELECT threads retrieving 100 rows
 * (Fig. 8, {@link org.artcp.bench.mysql.ReadWorkload}), and {@link org.artcp.bench.mysql.Worker},
 * the client process the orchestrator runs in a client namespace. A failover workload is to come.
 */
package org.artcp.bench.mysql;
