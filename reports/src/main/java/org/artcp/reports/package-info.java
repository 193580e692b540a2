/**
 * Figures and the single-file HTML report, rendered from a results directory alone (STYLE §12,
 * docs/results-format.md): {@link org.artcp.reports.ReportRenderer} is the entry point,
 * {@link org.artcp.reports.NetpipeComparison} the numbers the benchmark docs quote.
 */
package org.artcp.reports;
