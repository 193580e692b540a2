package org.artcp.node.net;

/** Placeholder until the java.lang.foreign implementation lands: every call fails. */
final class FfmLinuxNet implements LinuxNet {
    static final FfmLinuxNet INSTANCE = new FfmLinuxNet();

    private static NativeException missing() {
        return new NativeException("LinuxNet is not implemented yet");
    }

    @Override public int openTun(String name) throws NativeException { throw missing(); }
    @Override public int openPacketSocket(String interfaceName, int etherType) throws NativeException { throw missing(); }
    @Override public int receivePacket(int fd, byte[] buffer, int offset, int length, PacketInfo info) throws NativeException { throw missing(); }
    @Override public void sendPacket(int fd, int etherType, byte[] destinationMac, byte[] buffer, int offset, int length) throws NativeException { throw missing(); }
    @Override public int openRawIpSocket(int mark) throws NativeException { throw missing(); }
    @Override public void sendRawIp(int fd, byte[] buffer, int offset, int length, int destination) throws NativeException { throw missing(); }
    @Override public int openUdpSocket(int bindAddress, int port, int multicastGroup, int interfaceAddress) throws NativeException { throw missing(); }
    @Override public void sendUdp(int fd, byte[] buffer, int offset, int length, int destination, int port) throws NativeException { throw missing(); }
    @Override public int receiveUdp(int fd, byte[] buffer, int offset, int length) throws NativeException { throw missing(); }
    @Override public int read(int fd, byte[] buffer, int offset, int length) throws NativeException { throw missing(); }
    @Override public void write(int fd, byte[] buffer, int offset, int length) throws NativeException { throw missing(); }
    @Override public int pollReadable(int[] fds, boolean[] readable, int timeoutMillis) throws NativeException { throw missing(); }
    @Override public void close(int fd) { }
    @Override public int interfaceIndex(String interfaceName) throws NativeException { throw missing(); }
    @Override public byte[] macAddress(String interfaceName) throws NativeException { throw missing(); }
}
