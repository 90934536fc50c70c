package dev.dataevents.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts line ends in a buffer eight bytes at a time. A reader of a split that starts inside a file
 * counts every line before it to number its own: half of a large file, before its first record,
 * while the compilers have not yet got to a byte-at-a-time loop.
 */
final class Newlines {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

  private Newlines() {}

  /** The number of {@code \n} bytes in {@code buffer[from, to)}. */
  static int count(byte[] buffer, int from, int to) {
    int count = 0;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(buffer, i) ^ NEWLINES; // a line end is now a zero byte
      // Each byte's top bit set when the byte is not zero; no carry crosses bytes.
      long nonZero = ((x & LOW_SEVEN) + LOW_SEVEN) | x;
      count += Long.bitCount(~nonZero & ~LOW_SEVEN);
    }
    for (; i < to; i++) {
      if (buffer[i] == '\n') {
        count++;
      }
    }
    return count;
  }
}
