/**
 * MySQL/MariaDB request classification on the primary (paper §4.2): which client segments are
 * read-only requests (served by one replica) and which are causal (ordered, run everywhere).
 * {@link org.artcp.node.mysql.SqlClassifier} judges SQL text against a {@link org.artcp.node.mysql.SqlPolicy}
 * (data, not code); {@link org.artcp.node.mysql.MysqlSession} follows one connection's client/server
 * protocol and judges each new client segment. Pure: no I/O (except reading the policy file), no
 * clocks, no threads.
 */
package org.artcp.node.mysql;
