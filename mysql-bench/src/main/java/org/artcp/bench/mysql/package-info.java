/**
 * The paper's MySQL workloads (§6.2), to come: update operations on a table of ten integer
 * fields (Fig. 7), simultaneous SELECT threads retrieving 100 rows (Fig. 8), and a failover
 * workload, all through mysql-connector-j with an HdrHistogram per operation.
 */
package org.artcp.bench.mysql;
