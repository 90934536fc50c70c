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
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * What a stream keeps per contact, on the operator harness: listing state without raw lines or
 * sources, expiry coalesced to one timer per hour of {@code created_at} that removes only that
 * hour's entries, and state that survives a snapshot and restore.
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
  void expiryTimersAreOnePerHourOfCreatedAtNotOnePerDistinctCreatedAt() throws Exception {
    open(90 * DAY);
    // 100 distinct created_at over 100 minutes: two hours.
    for (int i = 0; i < 100; i++) {
      send(event("u1", "viewed-page", BASE + i * 60L, 0, i + 1));
    }
    // One expiry timer per hour (listing and dedup end together at a 90-day horizon) + the emit.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(2 + 1);
    harness.setProcessingTime(NOW + EMIT);
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
  }

  @Test
  void anHoursEntriesLeaveTogetherAtTheEndOfTheirHourAndNoOtherEntryIsTouched() throws Exception {
    open(365 * DAY);
    send(marked("ev-a", BASE, 1));
    send(marked("ev-b", BASE + 1800, 2));
    send(marked("ev-c", BASE + HOUR + 1800, 3));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("ev-a", "ev-b", "ev-c");
    // Listing and dedup expiry of two hours.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(4);

    // ev-a and ev-b are 90 days old, but their hour has not ended: nothing fires, nothing changes.
    long bothAged = (BASE + 1800 + WINDOW + 60) * 1000;
    harness.setProcessingTime(bothAged);
    harness.setProcessingTime(bothAged + EMIT);
    assertThat(listings()).hasSize(1);
    assertThat(keyedStateBytes()).contains("\"mark\":\"ev-a\"", "\"mark\":\"ev-b\"");

    // The end of their hour: one timer removes both, and only them.
    long firstHourEnds = (BASE + HOUR + WINDOW) * 1000;
    harness.setProcessingTime(firstHourEnds);
    String state = keyedStateBytes();
    assertThat(state)
        .doesNotContain("\"mark\":\"ev-a\"")
        .doesNotContain("\"mark\":\"ev-b\"")
        .contains("\"mark\":\"ev-c\"");
    harness.setProcessingTime(firstHourEnds + EMIT);
    assertThat(listings()).hasSize(2);
    assertThat(listings().get(1)).contains("ev-c").doesNotContain("ev-a").doesNotContain("ev-b");
    // Dedup keeps its identities for its own horizon (365 days): a copy is still a duplicate.
    send(marked("ev-a", BASE, 4));
    assertThat(outputLines(harness)).hasSize(3);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    // Left: the second hour's listing expiry, and both hours' dedup expiry.
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(3);
  }

  @Test
  void aSnapshotNeverShowsAnEventOf90DaysOrMoreEvenBeforeItsHourEnds() throws Exception {
    open(90 * DAY);
    send(marked("old-one", BASE, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(listings()).singleElement().asString().contains("old-one");

    // 90 days and a minute after old-one, still within its hour, another event arrives.
    long later = (BASE + WINDOW + 60) * 1000;
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

    harness = newHarness(90 * DAY);
    harness.setProcessingTime(NOW + EMIT);
    harness.initializeState(snapshot);
    harness.open();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1); // the hour's expiry

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

    // The restored expiry timer still ends the hour: the listing empties, identities go.
    long hourEnds = (BASE + HOUR + WINDOW) * 1000;
    harness.setProcessingTime(hourEnds);
    harness.setProcessingTime(hourEnds + EMIT);
    assertThat(listings()).hasSize(2);
    assertThat(listings().get(1)).contains("\"events\":[]");
    assertThat(keyedStateBytes())
        .doesNotContain("\"mark\":\"ev-a\"")
        .doesNotContain("\"mark\":\"ev-c\"");
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }
}
