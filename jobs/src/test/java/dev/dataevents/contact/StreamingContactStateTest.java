package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.lines;
import static dev.dataevents.testing.Harnesses.outputLines;
import static dev.dataevents.testing.Harnesses.sideOutput;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ListedEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * What a stream keeps per contact, on the operator harness: listing state without raw lines or
 * sources, state expiry coalesced to one timer per hour of {@code created_at} that removes only
 * that hour's entries, aged-out timers (for the snapshot that shows a listed event gone) coalesced
 * to one per emit interval, and state that survives a snapshot and restore.
 */
class StreamingContactStateTest extends StreamingContactFixture {
  private static final long HOUR = 3600;
  private static final long WINDOW = ContactResults.LISTING_WINDOW_SECONDS;

  /** An hour boundary ten days before the reference time: events from here on are listed. */
  private static final long BASE = AS_OF - 10 * DAY;

  private List<String> listings() {
    return lines(harness, ContactOutputs.LISTINGS);
  }

  /** Every byte of the keyed state a checkpoint would write now (strings show as ASCII). */
  private String keyedStateBytes() throws Exception {
    OperatorSubtaskState snapshot = harness.snapshot(1, harness.getProcessingTime());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
      try (InputStream in = ((StreamStateHandle) handle).openInputStream()) {
        in.transferTo(bytes);
      }
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }

  private static ContactRecord marked(String name, long createdAt, long line) {
    return event("u1", name, createdAt, 0, line, "{\"mark\":\"" + name + "\"}");
  }

  @Test
  void listingStateKeepsNoRawLineAndNoSource() throws Exception {
    open(90 * DAY);
    send(marked("placed-order", AS_OF - DAY, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("placed-order");

    String state = keyedStateBytes();
    assertThat(state).contains("placed-order").contains("\"mark\"");
    assertThat(state).doesNotContain("raw 0:1").doesNotContain("file-0.jsonl");
  }

  @Test
  void listingEntriesHaveAFlinkNativeSerializer() {
    PojoTestUtils.assertSerializedAsPojoWithoutKryo(ListedEvent.class);
  }

  @Test
  void timersAreOnePerHourOfCreatedAtAndOnePerEmitIntervalNotOnePerDistinctCreatedAt()
      throws Exception {
    open(90 * DAY);
    // 100 distinct created_at five seconds apart (500 s of one hour: 50 emit intervals of 10 s).
    for (int i = 0; i < 100; i++) {
      send(event("u1", "viewed-page", BASE + 1 + i * 5L, 0, i + 1));
    }
    // One expiry timer for the hour (listing and dedup end together at a 90-day horizon), one
    // aged-out timer per emit interval, and the emit.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1 + 50 + 1);
    harness.setProcessingTime(NOW + EMIT);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1 + 50);
  }

  @Test
  void anHoursEntriesLeaveTogetherAtTheEndOfTheirHourAndNoOtherEntryIsTouched() throws Exception {
    open(365 * DAY);
    send(marked("ev-a", BASE, 1));
    send(marked("ev-b", BASE + 1800, 2));
    send(marked("ev-c", BASE + HOUR + 1800, 3));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("ev-a", "ev-b", "ev-c");
    // Listing and dedup expiry of two hours, and an aged-out timer for each event.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(4 + 3);

    // ev-a and ev-b are 90 days old: the listing shows each gone (a snapshot each, as they age
    // half an hour apart), while their hour's state waits for the hour's end.
    long bothAged = (BASE + 1800 + WINDOW + 60) * 1000;
    harness.setProcessingTime(bothAged);
    assertThat(listings()).hasSize(3);
    assertThat(listings().get(1)).contains("ev-b", "ev-c").doesNotContain("ev-a");
    assertThat(listings().get(2)).contains("ev-c").doesNotContain("ev-a").doesNotContain("ev-b");
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    assertThat(keyedStateBytes()).contains("\"mark\":\"ev-a\"", "\"mark\":\"ev-b\"");

    // The end of their hour: one timer removes both, and only them, and nothing is written.
    long firstHourEnds = (BASE + HOUR + WINDOW) * 1000;
    harness.setProcessingTime(firstHourEnds);
    String state = keyedStateBytes();
    assertThat(state)
        .doesNotContain("\"mark\":\"ev-a\"")
        .doesNotContain("\"mark\":\"ev-b\"")
        .contains("\"mark\":\"ev-c\"");
    harness.setProcessingTime(firstHourEnds + EMIT);
    assertThat(listings()).hasSize(3);
    // Dedup keeps its identities for its own horizon (365 days): a copy is still a duplicate.
    send(marked("ev-a", BASE, 4));
    assertThat(outputLines(harness)).hasSize(3);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    // Left: the second hour's listing expiry, both hours' dedup expiry, ev-c's aged-out timer.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(4);
  }

  @Test
  void aSnapshotNeverShowsAnEventOf90DaysOrMoreEvenBeforeItsHourEnds() throws Exception {
    open(90 * DAY);
    send(marked("old-one", BASE, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("old-one");

    // 90 days and five seconds after old-one, still within its hour and before its aged-out
    // snapshot, another event arrives: that snapshot filters by its own time.
    long later = (BASE + WINDOW + 5) * 1000;
    harness.setProcessingTime(later);
    send(marked("new-one", later / 1000 - DAY, 2));
    harness.setProcessingTime(later + EMIT);
    assertThat(listings()).hasSize(2);
    assertThat(listings().get(1)).contains("new-one").doesNotContain("old-one");
    // The summary still counts it: counts include events of any age.
    assertThat(lines(harness, ContactOutputs.SUMMARIES).get(1)).contains("old-one", "new-one");
  }

  @Test
  void dedupAndListingSurviveASnapshotAndRestore() throws Exception {
    open(90 * DAY);
    send(marked("ev-a", BASE, 1));
    send(marked("ev-b", BASE + 60, 2));
    harness.setProcessingTime(NOW + EMIT);
    OperatorSubtaskState snapshot = harness.snapshot(1, NOW + EMIT);
    harness.close();

    restore(snapshot, EMIT, 90 * DAY);
    // The hour's expiry and the aged-out timers of ev-a and ev-b (one emit interval apart).
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);

    // A copy of ev-a is a duplicate after the restore; a new event is accepted.
    send(marked("ev-a", BASE, 3));
    send(marked("ev-c", BASE + 120, 4));
    assertThat(outputLines(harness)).singleElement().asString().contains("ev-c");
    harness.setProcessingTime(NOW + 2 * EMIT);
    assertThat(listings()).singleElement().asString().contains("ev-a", "ev-b", "ev-c");
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"name\":\"ev-a\"", "\"count\":1");

    // The restored timers still work: the listing empties as the events age, the hour's expiry
    // removes the identities.
    long hourEnds = (BASE + HOUR + WINDOW) * 1000;
    harness.setProcessingTime(hourEnds);
    harness.setProcessingTime(hourEnds + EMIT);
    assertThat(listings()).last().asString().contains("\"events\":[]");
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    assertThat(keyedStateBytes())
        .doesNotContain("\"mark\":\"ev-a\"")
        .doesNotContain("\"mark\":\"ev-c\"");
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  /**
   * The aged-out timers set before a restart follow the old emit interval's steps: resumed with a
   * shorter interval, the stream shows an event gone at its old step's end plus one new interval,
   * not only when its hour leaves the state.
   */
  @Test
  void anEventThatAgesOutAfterARestartWithAShorterIntervalIsShownGoneAtItsOldStepsEnd()
      throws Exception {
    open(90 * DAY);
    // ev-a ages out 5 s into a 10-s step: its timer is set at the step's end.
    long createdAt = BASE + 1805;
    long agesOut = createdAt + WINDOW;
    send(marked("ev-a", createdAt, 1));
    send(marked("ev-b", BASE + 2400, 2));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("ev-a", "ev-b");
    OperatorSubtaskState snapshot = harness.snapshot(1, NOW + EMIT);
    harness.close();

    restore(snapshot, 1000, 90 * DAY);
    // The old step's end, then one new interval.
    harness.setProcessingTime((agesOut + 5) * 1000 + ExpiryTimers.AGED_OUT_MARK);
    harness.setProcessingTime((agesOut + 6) * 1000 + ExpiryTimers.AGED_OUT_MARK);
    // (The restored harness's output holds only what it wrote.)
    assertThat(listings()).singleElement().asString().contains("ev-b").doesNotContain("ev-a");
  }

  /**
   * How far a key's listed events were handed on as aged out is kept only while it lists any: an
   * emit timer whose time happens to carry the aged-out mark leaves nothing behind for a key whose
   * events are all older than the listing window.
   */
  @Test
  void aKeyWithNothingListedKeepsNoAgedOutMark() throws Exception {
    harness = newHarness(180 * DAY);
    harness.setProcessingTime(NOW + ExpiryTimers.AGED_OUT_MARK); // the emit timer carries the mark
    harness.open();
    long createdAt = AS_OF - 100 * DAY; // within the dedup horizon, older than the listing window
    send(marked("old", createdAt, 1));
    harness.setProcessingTime(NOW + ExpiryTimers.AGED_OUT_MARK + EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    assertThat(keysWith("listed-by-created-at")).isZero();
    assertThat(keysWith("aged-out-up-to")).isZero();
  }

  /**
   * The dedup expiry timers set before a restore with another --dedup-horizon fire at the old
   * horizon's times: the identities of an hour that no new event reaches still leave the state, at
   * the new horizon's time (later) or at the old timer's (earlier horizons, already due).
   */
  @Test
  void anHoursIdentitiesLeaveAfterARestoreWithALongerHorizon() throws Exception {
    long createdAt = BASE - 10 * DAY;
    long hourEnds = (ExpiryTimers.hourOf(createdAt) + 1) * HOUR;
    OperatorSubtaskState snapshot = acceptedThenSnapshot(30 * DAY, createdAt);
    restore(snapshot, EMIT, 40 * DAY);
    harness.setProcessingTime((hourEnds + 30 * DAY) * 1000); // the old timer: not due yet
    assertThat(keysWith("seen-by-created-at")).isOne();
    // Still a duplicate within the new horizon.
    send(marked("old", createdAt, 2));
    assertThat(outputLines(harness)).isEmpty();
    harness.setProcessingTime((hourEnds + 40 * DAY) * 1000);
    assertThat(keysWith("seen-by-created-at")).isZero(); // (it is still listed: 90 days)
  }

  /** As above, to a shorter horizon that is no whole number of hours. */
  @Test
  void anHoursIdentitiesLeaveAfterARestoreWithAShorterHorizon() throws Exception {
    long createdAt = BASE - 10 * DAY;
    long hourEnds = (ExpiryTimers.hourOf(createdAt) + 1) * HOUR;
    OperatorSubtaskState snapshot = acceptedThenSnapshot(30 * DAY, createdAt);
    restore(snapshot, EMIT, 20 * DAY + 1800);
    harness.setProcessingTime((hourEnds + 30 * DAY) * 1000);
    assertThat(keysWith("seen-by-created-at")).isZero(); // (it is still listed: 90 days)
  }

  /**
   * A new hour's timer, set under a horizon the key's timers were not all set for, is not taken for
   * one of them: there and back again (30 d, 20.5 d, 30 d), with a checkpoint before the key's
   * first timer under 20.5 d, the new hour's identities still leave.
   */
  @Test
  void anHourStartedUnderAnotherHorizonLeavesAfterARestoreWithTheFirstOneAgain() throws Exception {
    OperatorSubtaskState first = acceptedThenSnapshot(30 * DAY, BASE - 10 * DAY);
    restore(first, EMIT, 20 * DAY + 1800);
    send(marked("newer", AS_OF - 5 * DAY, 2)); // a new hour, its timer for 20.5 d
    OperatorSubtaskState second = harness.snapshot(2, NOW + EMIT);
    harness.close();

    restore(second, EMIT, 30 * DAY);
    harness.setProcessingTime(NOW + 40 * DAY * 1000);
    assertThat(keysWith("seen-by-created-at")).isZero();
  }

  /** One event accepted under {@code horizonSeconds}, its snapshot shown, and the state saved. */
  private OperatorSubtaskState acceptedThenSnapshot(long horizonSeconds, long createdAt)
      throws Exception {
    open(horizonSeconds);
    send(marked("old", createdAt, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(keysWith("seen-by-created-at")).isOne();
    OperatorSubtaskState snapshot = harness.snapshot(1, NOW + EMIT);
    harness.close();
    return snapshot;
  }

  private long keysWith(String state) throws Exception {
    AbstractStreamOperator<?> operator = (AbstractStreamOperator<?>) harness.getOperator();
    try (java.util.stream.Stream<?> keys =
        operator.getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }
}
