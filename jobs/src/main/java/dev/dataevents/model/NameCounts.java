package dev.dataevents.model;

/**
 * What a contact's summary holds for one event name: how many events, the first and the last {@code
 * created_at}, as one {@code long[3]} (the layout a stream's keyed state keeps).
 */
public final class NameCounts {
  public static final int COUNT = 0;
  public static final int FIRST = 1;
  public static final int LAST = 2;

  private NameCounts() {}

  /** No event yet: any first is earlier, any last later. */
  public static long[] empty() {
    return new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE};
  }

  /**
   * Adds {@code count} events seen from {@code first} to {@code last}. The count saturates rather
   * than wraps: imported counts may be as large as a long.
   */
  public static void add(long[] counts, long count, long first, long last) {
    long sum = counts[COUNT] + count;
    counts[COUNT] = sum < 0 ? Long.MAX_VALUE : sum;
    counts[FIRST] = Math.min(counts[FIRST], first);
    counts[LAST] = Math.max(counts[LAST], last);
  }
}
