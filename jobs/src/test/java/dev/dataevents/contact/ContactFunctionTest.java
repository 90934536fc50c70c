package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.contactFunction;
import static dev.dataevents.testing.Harnesses.lines;
import static dev.dataevents.testing.Harnesses.outputLines;
import static dev.dataevents.testing.Harnesses.packed;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.CATALOG;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static dev.dataevents.testing.Records.imported;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.PackedContactRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keyed contact logic on Flink's operator harness: state, timers and what is emitted. */
class ContactFunctionTest {
  private KeyedOneInputStreamOperatorTestHarness<Long, PackedContactRecord, byte[]> harness;

  private void open(boolean writeDuplicates, int perPage) throws Exception {
    open(writeDuplicates, perPage, ContactRecord::contactHash);
  }

  private void open(boolean writeDuplicates, int perPage, KeySelector<ContactRecord, Long> key)
      throws Exception {
    harness = contactFunction(new ContactFunction(CATALOG, AS_OF, perPage, writeDuplicates), key);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  /**
   * Sends records as a BATCH job hands them over: sorted by input position, which is their
   * timestamp (the bounded topology's "input-order" step; BATCH sorts by key, then timestamp).
   */
  private void send(ContactRecord... records) throws Exception {
    List<ContactRecord> sorted = new ArrayList<>(List.of(records));
    sorted.sort(Comparator.comparingLong(ContactRecord::position));
    for (ContactRecord r : sorted) {
      harness.processElement(packed(r, r.position()));
    }
  }

  /** In BATCH mode the end of a key's input is a watermark at the end of time. */
  private void endOfInput() throws Exception {
    harness.processWatermark(new Watermark(Long.MAX_VALUE));
  }

  @Test
  void holdsStateAndOneTimerUntilEndOfInputThenClearsIt() throws Exception {
    open(false, 50);
    send(event("u1", "a", AS_OF - DAY, 0, 1), event("u1", "b", AS_OF - DAY, 0, 2));
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(harness.numKeyedStateEntries()).isPositive();

    endOfInput();

    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aRecordOutOfInputOrderFailsTheJobRatherThanPickTheWrongCopy() throws Exception {
    open(true, 50);
    harness.processElement(packed(event("u1", "a", AS_OF - DAY, 1, 1)));
    assertThatThrownBy(() -> harness.processElement(packed(event("u1", "a", AS_OF - DAY, 0, 7))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("input order");
  }

  @Test
  void eventsAreEmittedAsTheyComeAndTheSummaryAtTheEndOfTheKey() throws Exception {
    open(false, 50);
    send(event("u1", "a", AS_OF - DAY, 0, 1), event("u1", "b", AS_OF - 2 * DAY, 0, 2));
    assertThat(outputLines(harness)).hasSize(2);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).isEmpty();
    endOfInput();
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
  }

  @Test
  void duplicateWithSmallestInputPositionWins() throws Exception {
    open(true, 50);
    ContactRecord later = event("u1", "placed-order", AS_OF - DAY, 1, 1, "{\"copy\":\"b:1\"}");
    ContactRecord earlier = event("u1", "placed-order", AS_OF - DAY, 0, 7, "{\"copy\":\"a:7\"}");
    ContactRecord middle = event("u1", "placed-order", AS_OF - DAY, 0, 9, "{\"copy\":\"a:9\"}");
    send(later, earlier, middle);
    endOfInput();

    assertThat(outputLines(harness))
        .containsExactly(
            "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":"
                + (AS_OF - DAY)
                + ",\"user_id\":\"u1\",\"metadata\":{\"copy\":\"a:7\"}}");
    assertThat(lines(harness, ContactOutputs.DUPLICATES))
        .containsExactly(
            "{\"type\":\"duplicate\",\"source\":\"a.jsonl\",\"line\":9,"
                + "\"duplicate_of\":{\"source\":\"a.jsonl\",\"line\":7},\"raw\":\"raw 0:9\"}",
            "{\"type\":\"duplicate\",\"source\":\"b.jsonl\",\"line\":1,"
                + "\"duplicate_of\":{\"source\":\"a.jsonl\",\"line\":7},\"raw\":\"raw 1:1\"}");
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":1");
  }

  @Test
  void sameNameAtAnotherTimeIsNotADuplicate() throws Exception {
    open(false, 50);
    send(event("u1", "a", AS_OF - DAY, 0, 1), event("u1", "a", AS_OF - DAY + 1, 0, 2));
    endOfInput();
    assertThat(outputLines(harness)).hasSize(2);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":2");
  }

  @Test
  void acceptedEventsAreEmittedInInputOrder() throws Exception {
    open(false, 50);
    send(
        event("u1", "third", AS_OF - DAY, 1, 1),
        event("u1", "first", AS_OF - 3 * DAY, 0, 1),
        event("u1", "second", AS_OF - 2 * DAY, 0, 2));
    endOfInput();
    assertThat(outputLines(harness))
        .extracting(line -> line.replaceAll(".*\"event_name\":\"([a-z]+)\".*", "$1"))
        .containsExactly("first", "second", "third");
  }

  @Test
  void identicalImportedSummaryLinesAreDuplicatesAndImportsMergeIntoTheSummary() throws Exception {
    open(false, 50);
    send(
        event("u1", "placed-order", AS_OF - DAY, 0, 1),
        imported("u1", "placed-order", 4, AS_OF - 700 * DAY, AS_OF - 400 * DAY, 1, 1),
        imported("u1", "placed-order", 4, AS_OF - 700 * DAY, AS_OF - 400 * DAY, 1, 2),
        imported("u1", "placed-order", 3, AS_OF - 700 * DAY, AS_OF - 400 * DAY, 1, 3));
    endOfInput();
    assertThat(outputLines(harness)).hasSize(1);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":8");
    assertThat(lines(harness, ContactOutputs.LISTINGS))
        .singleElement()
        .asString()
        .doesNotContain("\"count\"");
  }

  @Test
  void eachContactIsSummarisedOnItsOwn() throws Exception {
    open(false, 1);
    send(
        event("u1", "a", AS_OF - DAY, 0, 1),
        event("u2", "a", AS_OF - DAY, 0, 2),
        event("u2", "b", AS_OF - 2 * DAY, 0, 3));
    endOfInput();
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(2);
    // u2 has two events in the window and one per page.
    assertThat(lines(harness, ContactOutputs.LISTINGS)).hasSize(3);
  }

  @Test
  void contactsWhoseHashesCollideAreStillToldApart() throws Exception {
    // Every record under one key, as if all contacts' hashes collided.
    open(true, 50, r -> 0L);
    send(
        event("u2", "a", AS_OF - DAY, 0, 1),
        event("u1", "a", AS_OF - DAY, 0, 2),
        event("u2", "a", AS_OF - DAY, 0, 3));
    endOfInput();
    assertThat(outputLines(harness)).hasSize(2);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .hasSize(2)
        .allSatisfy(summary -> assertThat(summary).contains("\"count\":1"));
    assertThat(lines(harness, ContactOutputs.SUMMARIES).get(0)).contains("\"user_id\":\"u1\"");
    assertThat(lines(harness, ContactOutputs.DUPLICATES))
        .singleElement()
        .asString()
        .contains("\"line\":3,\"duplicate_of\":{\"source\":\"a.jsonl\",\"line\":1}");
  }

  @Test
  void duplicatesAreNotKeptInStateUnlessWrittenOut() throws Exception {
    open(false, 50);
    send(event("u1", "a", AS_OF - DAY, 0, 1), event("u1", "a", AS_OF - DAY, 0, 2));
    // one identity in the map state; nothing kept of the duplicate
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    endOfInput();
    assertThat(lines(harness, ContactOutputs.DUPLICATES)).isEmpty();
  }

  @Test
  void anIdentityIsTheContactsNumberAndTheEventsNameAndTimeAndNothingElse() {
    ContactRecord first = event("u1", "a:1", AS_OF - DAY, 0, 1);
    ContactRecord again = event("u1", "a:1", AS_OF - DAY, 1, 9); // another line, same identity
    assertThat(ContactFunction.identity(0, again)).isEqualTo(ContactFunction.identity(0, first));
    // Another contact of the same key, another name or time: another identity.
    assertThat(ContactFunction.identity(1, first)).isNotEqualTo(ContactFunction.identity(0, first));
    assertThat(ContactFunction.identity(0, event("u1", "a:", AS_OF - DAY, 0, 2)))
        .isNotEqualTo(ContactFunction.identity(0, first));
    assertThat(ContactFunction.identity(0, event("u1", "a:1", AS_OF - 2 * DAY, 0, 3)))
        .isNotEqualTo(ContactFunction.identity(0, first));
    // A name that ends like a time does not meet a time that begins like a name.
    assertThat(ContactFunction.identity(0, event("u1", "1:a", 11, 0, 4)))
        .isNotEqualTo(ContactFunction.identity(0, event("u1", "a", 111, 0, 5)));
    // An imported summary line never meets an event.
    assertThat(
            ContactFunction.identity(0, imported("u1", "a:1", 1, AS_OF - DAY, AS_OF - DAY, 0, 6)))
        .isNotEqualTo(ContactFunction.identity(0, first));
  }
}
