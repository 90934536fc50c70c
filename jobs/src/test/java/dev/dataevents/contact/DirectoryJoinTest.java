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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The directory join on Flink's two-input harness: resolution, conflicts, leads, state. */
class DirectoryJoinTest {
  private KeyedTwoInputStreamOperatorTestHarness<Long, ContactRecord, DirectoryEntry, ContactRecord>
      harness;

  private void open(boolean bounded) throws Exception {
    open(bounded, null);
  }

  private void open(boolean bounded, OperatorSubtaskState restored) throws Exception {
    open(bounded, restored, ContactRecord::contactHash, DirectoryEntry::indexHash);
  }

  private void open(
      boolean bounded,
      OperatorSubtaskState restored,
      org.apache.flink.api.java.functions.KeySelector<ContactRecord, Long> eventKey,
      org.apache.flink.api.java.functions.KeySelector<DirectoryEntry, Long> entryKey)
      throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            // As Flink does: a copy of the function through Java serialization.
            new KeyedCoProcessOperator<>(InstantiationUtil.clone(new DirectoryJoin(bounded))),
            eventKey,
            entryKey,
            Types.LONG);
    harness.setup();
    if (restored != null) {
      harness.initializeState(restored);
    }
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
    harness.setProcessingTime(0);
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 1, "user_id:u1")));
    harness.processElement1(new StreamRecord<>(event("u1", "b", AS_OF - 10, 0, 2)));
    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:c1");
  }

  /**
   * Two entries of one directory file that share a user_id reach the join in an order the scheduler
   * decides (their ids are deduplicated on different subtasks): in a stream too, the one on the
   * earlier line wins, from the moment both are known. Entries of different files (whose positions
   * a stream does not order) keep the first to arrive.
   */
  @Test
  void aStreamPrefersTheEarlierLineOfOneFileForASharedIdentifier() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement2(new StreamRecord<>(entry("later", "u1", false, 5, "user_id:u1")));
    harness.processElement2(new StreamRecord<>(entry("first", "u1", false, 2, "user_id:u1")));
    // A stream numbers every watched file alike: line 1 of another file is a smaller position than
    // line 2 here, but no earlier line of this file. It does not take the identifier over.
    DirectoryEntry otherFile =
        new DirectoryEntry(
                "ws_1",
                "elsewhere",
                "u1",
                null,
                false,
                InputPosition.of(9, 1),
                "more.jsonl",
                null,
                null)
            .indexedAs("user_id:u1");
    harness.processElement2(new StreamRecord<>(otherFile));
    harness.processElement1(new StreamRecord<>(event("u1", "b", AS_OF - 10, 0, 3)));
    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:first");
  }

  @Test
  void aStreamHoldsAnEventWhoseContactIsNotKnownYetUntilItsEntryArrives() throws Exception {
    // A directory read at the same time as the events (files already there when the stream
    // starts) must still apply to them.
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - 10, 0, 1)));
    harness.processElement1(new StreamRecord<>(event("u1", "b", AS_OF - 10, 0, 2)));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();

    harness.setProcessingTime(1_000);
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 1, "user_id:u1")));

    assertThat(harness.extractOutputValues())
        .extracting(ContactRecord::contactKey, ContactRecord::eventName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("id:c1", "a"),
            org.assertj.core.groups.Tuple.tuple("id:c1", "b"));
    harness.setProcessingTime(10 * DirectoryJoin.LONGEST_WAIT_MILLIS);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void aHeldEventOfALeadFoundByUserIdIsRejectedWhenTheEntryArrives() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("l1", "a", AS_OF - 10, 0, 1)));
    harness.processElement2(new StreamRecord<>(entry("lead", "l1", true, 1, "user_id:l1")));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason)
        .isEqualTo("lead_requires_id");
  }

  @Test
  void aStreamRejectsAnUnknownContactOnceTheDirectoryHasBeenQuietAWhile() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("nobody", "a", AS_OF - 10, 0, 1)));
    harness.setProcessingTime(DirectoryJoin.QUIET_MILLIS - 1);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();

    harness.setProcessingTime(DirectoryJoin.QUIET_MILLIS);

    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason, Rejection::line)
        .containsExactly("contact_not_found", 1L);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void whileDirectoryEntriesKeepArrivingAnUnknownContactWaitsLonger() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("nobody", "a", AS_OF - 10, 0, 1)));
    long quiet = DirectoryJoin.QUIET_MILLIS;
    harness.setProcessingTime(quiet - 1);
    harness.processElement2(new StreamRecord<>(entry("c9", "u9", false, 1, "user_id:u9")));
    harness.setProcessingTime(2 * quiet - 2);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();

    harness.setProcessingTime(2 * quiet - 1);

    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason)
        .isEqualTo("contact_not_found");
  }

  @Test
  void noEventWaitsLongerThanTheLongestWaitHoweverBusyTheDirectory() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("nobody", "a", AS_OF - 10, 0, 1)));
    long step = DirectoryJoin.QUIET_MILLIS / 2;
    for (long now = step; now < DirectoryJoin.LONGEST_WAIT_MILLIS; now += step) {
      harness.setProcessingTime(now);
      harness.processElement2(
          new StreamRecord<>(entry("c" + now, "u" + now, false, now, "user_id:u" + now)));
      assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    }

    harness.setProcessingTime(DirectoryJoin.LONGEST_WAIT_MILLIS + step);

    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason)
        .isEqualTo("contact_not_found");
  }

  @Test
  void heldEventsSurviveARestoreAndAreResolvedByAnEntryAfterIt() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - 10, 0, 1)));
    var snapshot = harness.snapshot(1, 1);
    harness.close();

    open(false, snapshot);
    // Restored late: the wait's timer is overdue, yet the directory gets its quiet time again.
    harness.setProcessingTime(10 * DirectoryJoin.QUIET_MILLIS);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    harness.setProcessingTime(11 * DirectoryJoin.QUIET_MILLIS - 1);
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 1, "user_id:u1")));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:c1");
  }

  @Test
  void aStreamDownLongerThanTheLongestWaitStillGivesTheDirectoryItsQuietTime() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - 10, 0, 1)));
    var snapshot = harness.snapshot(1, 1);
    harness.close();

    open(false, snapshot);
    harness.setProcessingTime(10 * DirectoryJoin.LONGEST_WAIT_MILLIS);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    harness.setProcessingTime(10 * DirectoryJoin.LONGEST_WAIT_MILLIS + 1_000);
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 1, "user_id:u1")));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:c1");
  }

  @Test
  void anEntryOfAnotherIdentifierWithTheSameKeyHashLeavesAWaitingEventWaiting() throws Exception {
    open(false, null, r -> 7L, e -> 7L); // every identifier's hash the same
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - 10, 0, 1)));
    harness.setProcessingTime(1_000);
    harness.processElement2(new StreamRecord<>(entry("c2", "u2", false, 1, "user_id:u2")));
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    assertThat(harness.extractOutputValues()).isEmpty();

    harness.setProcessingTime(2_000);
    harness.processElement2(new StreamRecord<>(entry("c1", "u1", false, 2, "user_id:u1")));

    assertThat(harness.extractOutputValues())
        .singleElement()
        .extracting(ContactRecord::contactKey)
        .isEqualTo("id:c1");
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).isEmpty();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @Test
  void afterARestoreTheLongestWaitStartsAgainSoDowntimeIsNoWaiting() throws Exception {
    open(false);
    harness.setProcessingTime(0);
    harness.processElement1(new StreamRecord<>(event("nobody", "a", AS_OF - 10, 0, 1)));
    harness.setProcessingTime(1_000);
    var snapshot = harness.snapshot(1, 1);
    harness.close();

    // Down for longer than the longest wait; back with a busy directory.
    open(false, snapshot);
    long restart = 10 * DirectoryJoin.LONGEST_WAIT_MILLIS;
    long step = DirectoryJoin.QUIET_MILLIS / 2;
    for (long now = restart; now < restart + DirectoryJoin.LONGEST_WAIT_MILLIS; now += step) {
      harness.setProcessingTime(now);
      harness.processElement2(
          new StreamRecord<>(entry("c" + now, "u" + now, false, now, "user_id:u" + now)));
      assertThat(sideOutput(harness, ContactOutputs.REJECTED)).as("at %d", now).isEmpty();
    }

    harness.setProcessingTime(restart + DirectoryJoin.LONGEST_WAIT_MILLIS + step);

    assertThat(sideOutput(harness, ContactOutputs.REJECTED))
        .singleElement()
        .extracting(Rejection::reason)
        .isEqualTo("contact_not_found");
  }
}
