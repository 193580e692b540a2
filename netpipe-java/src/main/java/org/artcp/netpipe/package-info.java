/**
 * netpipe-java: a NetPIPE port wire-compatible with Debian's {@code NPtcp} 3.7.2 and with NetPIPE 2.4
 * ({@code ../shared/NETPIPE.md}), recording an HdrHistogram of every round trip besides NetPIPE's minimum.
 *
 * <p>Entry points: {@link org.artcp.netpipe.NetpipeTransmitter#run} and {@link org.artcp.netpipe.NetpipeReceiver#run}
 * with {@link org.artcp.netpipe.NetpipeOptions}; {@link org.artcp.netpipe.NpOut} formats and parses {@code np.out}.
 * The pure parts ({@link org.artcp.netpipe.SizeSchedule}, {@link org.artcp.netpipe.RepeatCount},
 * {@link org.artcp.netpipe.NpOut}) know nothing of sockets; {@link org.artcp.netpipe.Wire} only moves bytes, over
 * {@link org.artcp.netpipe.LinuxTcp}, an IPv4 socket driven through libc with {@code java.lang.foreign} (the one
 * native boundary of this module).
 */
package org.artcp.netpipe;
