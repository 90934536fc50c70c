package dev.dataevents.io.socket;

import java.time.Duration;

/**
 * Delays between connection attempts: the first, then doubling up to a maximum; back to the first
 * once a connection proved good.
 */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration first, Duration max) {
    this.firstMillis = Math.max(1, first.toMillis());
    this.maxMillis = Math.max(firstMillis, max.toMillis());
    this.nextMillis = firstMillis;
  }

  /** The delay before the next attempt; the one after it is twice as long, up to the maximum. */
  long next() {
    long delay = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return delay;
  }

  /** A connection was good: the next failure waits the first delay again. */
  void reset() {
    nextMillis = firstMillis;
  }
}
