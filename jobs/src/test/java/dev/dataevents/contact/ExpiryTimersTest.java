package dev.dataevents.contact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A stream contact's timers carry no payload: what a timer is for is read back from its time, so
 * every kind must be told apart from every other, exactly.
 */
class ExpiryTimersTest {
  private static final long DAY = 86_400;

  /** Horizons and emit intervals as the command line allows them, from the smallest. */
  private static final List<ExpiryTimers> SETTINGS =
      List.of(
          new ExpiryTimers(1, 1),
          new ExpiryTimers(500, 3_600),
          new ExpiryTimers(10_000, 90 * DAY),
          new ExpiryTimers(60_000, 7 * DAY),
          new ExpiryTimers(3_600_000, 3650 * DAY));

  @Test
  void anHoursExpiryIsReadBackAsThatHourAndNothingElse() {
    Random random = new Random(7);
    for (ExpiryTimers timers : SETTINGS) {
      for (int i = 0; i < 10_000; i++) {
        long createdAt = 1 + (long) (random.nextDouble() * 4_000_000_000L);
        long hour = ExpiryTimers.hourOf(createdAt);

        long listing = timers.listingExpiry(hour);
        assertThat(timers.listingHourExpiringAt(listing)).isEqualTo(hour);
        assertThat(ExpiryTimers.isAgedOut(listing)).isFalse();
        // Every event of the hour has left the listing by then, and none before the hour ended.
        assertThat(listing / 1000 - ContactResults.LISTING_WINDOW_SECONDS)
            .isGreaterThan(createdAt)
            .isEqualTo((hour + 1) * ExpiryTimers.BUCKET_SECONDS);

        long dedup = timers.dedupExpiry(hour);
        assertThat(timers.dedupHourExpiringAt(dedup)).isEqualTo(hour);
        assertThat(ExpiryTimers.isAgedOut(dedup)).isFalse();
        assertThat(dedup / 1000 - timers.dedupHorizonSeconds()).isGreaterThan(createdAt);
      }
    }
  }

  @Test
  void anAgedOutStepIsNeverTakenForAnExpiryAndComesOnceTheEventLeftTheListing() {
    Random random = new Random(11);
    for (ExpiryTimers timers : SETTINGS) {
      long step = timers.agedOutStepMillis();
      assertThat(step % 1000).isZero();
      assertThat(step).isGreaterThanOrEqualTo(Math.max(1000, timers.emitIntervalMillis()));
      for (int i = 0; i < 10_000; i++) {
        long createdAt = 1 + (long) (random.nextDouble() * 4_000_000_000L);
        long agedOut = timers.agedOut(createdAt);

        assertThat(ExpiryTimers.isAgedOut(agedOut)).isTrue();
        assertThat(timers.listingHourExpiringAt(agedOut)).isEqualTo(-1);
        assertThat(timers.dedupHourExpiringAt(agedOut)).isEqualTo(-1);
        long at = agedOut - ExpiryTimers.AGED_OUT_MARK;
        assertThat(at % step).isZero();
        // Not before the event is 90 days old, and within one step of it.
        long leaves = (createdAt + ContactResults.LISTING_WINDOW_SECONDS) * 1000;
        assertThat(at).isGreaterThanOrEqualTo(leaves).isLessThan(leaves + step);
      }
    }
  }

  @Test
  void otherTimesAreNoExpiry() {
    ExpiryTimers timers = new ExpiryTimers(10_000, 90 * DAY);
    // Within an hour, off a whole second, before the first hour could expire, never.
    long expiry = timers.listingExpiry(500_000);
    assertThat(timers.listingHourExpiringAt(expiry + 1000)).isEqualTo(-1);
    assertThat(timers.listingHourExpiringAt(expiry + 1)).isEqualTo(-1);
    assertThat(timers.listingHourExpiringAt(1000)).isEqualTo(-1);
    assertThat(timers.dedupHourExpiringAt(Long.MAX_VALUE)).isEqualTo(-1);
    // A horizon beyond what milliseconds hold never expires.
    assertThat(new ExpiryTimers(1000, Long.MAX_VALUE / 1000).dedupExpiry(1))
        .isEqualTo(Long.MAX_VALUE);
  }
}
