package dev.dataevents.model;

/**
 * Orders records by where they were read. Packs (file index, line) into one long: the file index in
 * the upper 23 bits and the line in the lower 40 (a trillion lines a file), so the numeric order is
 * (source path, line) order and a {@code long} key sorts that way in BATCH mode.
 */
public final class InputPosition {
  private static final int LINE_BITS = 40;
  private static final long LINE_MASK = (1L << LINE_BITS) - 1;

  private InputPosition() {}

  public static long of(int sourceIndex, long line) {
    return ((long) sourceIndex << LINE_BITS) | (line & LINE_MASK);
  }

  public static int sourceIndex(long position) {
    return (int) (position >>> LINE_BITS);
  }

  public static long line(long position) {
    return position & LINE_MASK;
  }
}
