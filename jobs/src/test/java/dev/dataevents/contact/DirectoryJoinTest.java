package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.sideOutput;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.Rejection;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The directory join on Flink's two-input harness: resolution, conflicts, leads, state. */
class DirectoryJoinTest {
  private KeyedTwoInputStreamOperatorTestHarness<Long, ContactRecord, DirectoryEntry, ContactRecord>
      harness;

  private void open(boolean bounded) throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new DirectoryJoin(bounded)),
            ContactRecord::contactHash,
            DirectoryEntry::indexHash,
            Types.LONG);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private static DirectoryEntry entry(
      String id, String userId, boolean lead, long line, String key) {
    return new DirectoryEntry(
            "ws_1", id, userId, null, lead, InputPosition.of(9, line), "contacts.jsonl", null, null)
        .indexedAs(key);
  }

  @Test
  void boundedEventsWaitForEveryEntryOfTheirKeyAndTheSmallestPositionWins() throws Exception {
    open(true);
    harness.processElement1(new StreamRecord<>(event("u1", "placed-order", AS_OF - 10, 0, 1)));
    harness.processElement2(new StreamRecord<>(entry("later", "u1", false, 5, "user_id:u1")));
    harness.processElement2(new StreamRecord<>(entry("first", "u1", false, 2, "user_id:u1")));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);

    harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.contactKey()).isEqualTo("id:first");
              assertThat(r.directoryId()).isEqualTo("first");
              assertThat(r.userId()).isEqualTo("u1");
            });
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void unknownContactsAndLeadsNotFoundByIdAreRejected404() throws Exception {
    open(true);
    harness.processElement1(new StreamRecord<>(event("nobody", "x", AS_OF - 10, 0, 1)));
    harness.processElement1(new StreamRecord<>(event("l1", "x", AS_OF - 10, 0, 2)));
    harness.processElement2(new StreamRecord<>(entry("lead", "l1", true, 1, "user_id:l1")));
    harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .extracting(Rejection::reason, Rejection::status, Rejection::line)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("contact_not_found", 404, 1L),
            org.assertj.core.groups.Tuple.tuple("lead_requires_id", 404, 2L));
  }

  @Test
  void streamsResolveAgainstTheEntriesSeenSoFar() throws Exception {
    open(false);
    harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - 10, 0, 1)));
    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason)
        .isEqualTo("contact_not_found");
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 1, "user_id:u1")));
    harness.processElement1(new StreamRecord<>(event("u1", "b", AS_OF - 10, 0, 2)));
    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:c1");
  }
}
