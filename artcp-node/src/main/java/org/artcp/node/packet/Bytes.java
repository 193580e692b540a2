package org.artcp.node.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian (network order) reads and writes of unsigned fields in byte arrays, for the flyweights of this package. */
final class Bytes {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    /** Whether {@code [offset, offset + length)} is a range inside {@code buffer}. */
    static boolean inBounds(byte[] buffer, int offset, int length) {
        return buffer != null && offset >= 0 && length >= 0 && offset <= buffer.length - length;
    }

    static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    static int u16(byte[] b, int at) {
        return (short) U16.get(b, at) & 0xFFFF;
    }

    static void u16(byte[] b, int at, int value) {
        U16.set(b, at, (short) value);
    }

    static long u32(byte[] b, int at) {
        return (int) U32.get(b, at) & 0xFFFF_FFFFL;
    }

    static void u32(byte[] b, int at, long value) {
        U32.set(b, at, (int) value);
    }

    static long u48(byte[] b, int at) {
        return ((long) u16(b, at) << 32) | u32(b, at + 2);
    }

    static void u48(byte[] b, int at, long value) {
        u16(b, at, (int) (value >>> 32));
        u32(b, at + 2, value);
    }
}
