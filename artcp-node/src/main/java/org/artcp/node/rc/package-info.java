/**
 * Response control (RC, paper §4.1): the response number of each response segment of the local
 * stack ({@link org.artcp.node.rc.ResponseNumbering}) and the aggregator that gathers every live
 * node's version of a response, compares them and sends one to the client
 * ({@link org.artcp.node.rc.StreamAggregator}). Pure: bytes, numbers and {@code nowNs} in, decisions out.
 */
package org.artcp.node.rc;
