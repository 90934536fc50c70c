package dev.dataevents.contact;

import java.io.Serializable;

/**
 * The processing times of a stream contact's timers, and what a timer firing at a given time is
 * for. Timers carry no payload, so the time itself tells: an hour's expiry (its listing events 90
 * days old, or its dedup entries past the horizon) falls on a whole second from which the hour is
 * recovered exactly; an aged-out step ends in {@link #AGED_OUT_MARK} milliseconds; the emit timer
 * is kept in state.
 *
 * @param emitIntervalMillis {@code --emit-interval}: aged-out steps are whole intervals (at least a
 *     second), so a busy contact has one such timer per interval, not one per second
 * @param dedupHorizonSeconds {@code --dedup-horizon}
 */
record ExpiryTimers(long emitIntervalMillis, long dedupHorizonSeconds) implements Serializable {
  /** Expiry is coalesced to buckets of this many seconds of {@code created_at}. */
  static final long BUCKET_SECONDS = 3600;

  /**
   * The last digit of an aged-out timer's milliseconds: the state's expiry timers fall on whole
   * seconds.
   */
  static final long AGED_OUT_MARK = 1;

  /** The expiry bucket of an event. */
  static long hourOf(long createdAt) {
    return Math.floorDiv(createdAt, BUCKET_SECONDS);
  }

  /** When every event of {@code hour} has left the listing: its last second is 90 days old. */
  long listingExpiry(long hour) {
    return expiryMillis(hour, ContactResults.LISTING_WINDOW_SECONDS);
  }

  /** When every event of {@code hour} is past the dedup horizon (and would be rejected). */
  long dedupExpiry(long hour) {
    return expiryMillis(hour, dedupHorizonSeconds);
  }

  /** The hour whose listing expiry is at {@code timestamp}, or -1. */
  long listingHourExpiringAt(long timestamp) {
    return hourExpiringAt(timestamp, ContactResults.LISTING_WINDOW_SECONDS);
  }

  /** The hour whose dedup expiry is at {@code timestamp}, or -1. */
  long dedupHourExpiringAt(long timestamp) {
    return hourExpiringAt(timestamp, dedupHorizonSeconds);
  }

  /**
   * When the listed events of {@code createdAt} have aged out, rounded up to a whole step ({@link
   * #agedOutStepMillis}) and marked by {@link #AGED_OUT_MARK}.
   */
  long agedOut(long createdAt) {
    long step = agedOutStepMillis();
    long at = (createdAt + ContactResults.LISTING_WINDOW_SECONDS) * 1000;
    return Math.floorDiv(at + step - 1, step) * step + AGED_OUT_MARK;
  }

  /** The emit interval in whole seconds, at least one, as milliseconds. */
  long agedOutStepMillis() {
    return Math.max(1, (emitIntervalMillis + 999) / 1000) * 1000;
  }

  /** Whether a timer at {@code timestamp} ends an aged-out step (at {@code timestamp - MARK}). */
  static boolean isAgedOut(long timestamp) {
    return Math.floorMod(timestamp, 1000) == AGED_OUT_MARK;
  }

  private static long expiryMillis(long hour, long ageSeconds) {
    long endOfHour = (hour + 1) * BUCKET_SECONDS;
    if (ageSeconds > (Long.MAX_VALUE / 1000 - endOfHour)) {
      return Long.MAX_VALUE; // never, in practice
    }
    return (endOfHour + ageSeconds) * 1000;
  }

  /** The hour whose expiry after {@code ageSeconds} is at {@code timestamp}, or -1. */
  private static long hourExpiringAt(long timestamp, long ageSeconds) {
    if (timestamp % 1000 != 0) {
      return -1;
    }
    long endOfHour = timestamp / 1000 - ageSeconds;
    if (endOfHour <= 0 || endOfHour % BUCKET_SECONDS != 0) {
      return -1;
    }
    return endOfHour / BUCKET_SECONDS - 1;
  }
}
