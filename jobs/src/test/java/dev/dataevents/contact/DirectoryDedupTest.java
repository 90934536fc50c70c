package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.counter;
import static dev.dataevents.testing.Harnesses.keyed;
import static dev.dataevents.testing.Harnesses.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.reporting.Counters;
import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The directory dedup on Flink's operator harness: one entry per (workspace, id), indexed under
 * each of its identifiers; a bounded run keeps the entry with the smallest input position and emits
 * at end of input, a stream keeps the first to arrive and emits at once; duplicates are counted,
 * and written to the duplicates output when asked. (A failure inside it is {@link
 * KeyedStageInternalErrorTest}'s.)
 */
class DirectoryDedupTest {
  private KeyedOneInputStreamOperatorTestHarness<Long, DirectoryEntry, DirectoryEntry> harness;

  private void open(boolean bounded, boolean writeDuplicates) throws Exception {
    open(bounded, writeDuplicates, DirectoryEntry::idHash);
  }

  private void open(boolean bounded, boolean writeDuplicates, KeySelector<DirectoryEntry, Long> key)
      throws Exception {
    harness = keyed(new DirectoryDedup(bounded, writeDuplicates), key);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  /** A directory line of contacts.jsonl (source 9), as the parser makes it. */
  private static DirectoryEntry entry(
      String workspace, String id, String userId, String email, long line) {
    return new DirectoryEntry(
        workspace,
        id,
        userId,
        email,
        false,
        InputPosition.of(9, line),
        "contacts.jsonl",
        "{\"id\":\"" + id + "\",\"line\":" + line + "}",
        null);
  }

  private void send(DirectoryEntry... entries) throws Exception {
    for (DirectoryEntry e : entries) {
      harness.processElement(new StreamRecord<>(e));
    }
  }

  /** In BATCH mode the end of a key's input is a watermark at the end of time. */
  private void endOfInput() throws Exception {
    harness.processWatermark(new Watermark(Long.MAX_VALUE));
  }

  /** "index key <- line" of each copy emitted for the join. */
  private List<String> indexed() {
    return harness.extractOutputValues().stream()
        .map(e -> e.indexKey() + " <- " + InputPosition.line(e.position()))
        .toList();
  }

  @Test
  void aStreamIndexesTheFirstEntryOfAnIdAtOnceUnderEachIdentifierAndTheLaterOnesAreDuplicates()
      throws Exception {
    open(false, false);
    send(entry("ws_1", "c1", "u1", "Ann@Example.COM", 5));

    assertThat(indexed())
        .containsExactly("id:c1 <- 5", "user_id:u1 <- 5", "email:ann@example.com <- 5");
    assertThat(harness.numEventTimeTimers()).isZero();

    // Same workspace and id: a duplicate, though it comes from an earlier line.
    send(entry("ws_1", "c1", "u2", null, 2));

    assertThat(indexed()).hasSize(3);
    // Counted, never written: a stream has no duplicates output.
    assertThat(lines(harness, ContactOutputs.DUPLICATES)).isEmpty();
    assertThat(counter(harness, Counters.DIRECTORY_ENTRIES)).isEqualTo(1);
    assertThat(counter(harness, Counters.ACCEPTED)).isEqualTo(1);
    assertThat(counter(harness, Counters.DUPLICATES)).isEqualTo(1);
  }

  @Test
  void entriesAreTheSameOnlyByWorkspaceAndId() throws Exception {
    open(false, false);
    send(
        entry("ws_1", "c1", "u1", null, 1),
        // Another workspace's c1: another contact.
        entry("ws_2", "c1", "u1", null, 2),
        // Another id with the same user_id: for the join to settle, not a duplicate here.
        entry("ws_1", "c2", "u1", null, 3));

    assertThat(indexed())
        .containsExactly(
            "id:c1 <- 1",
            "user_id:u1 <- 1",
            "id:c1 <- 2",
            "user_id:u1 <- 2",
            "id:c2 <- 3",
            "user_id:u1 <- 3");
    assertThat(lines(harness, ContactOutputs.DUPLICATES)).isEmpty();
    assertThat(counter(harness, Counters.DIRECTORY_ENTRIES)).isEqualTo(3);
    assertThat(counter(harness, Counters.DUPLICATES)).isZero();
  }

  @Test
  void entriesWhoseKeysCollideAreStillKeptApartByWorkspaceAndId() throws Exception {
    open(false, false, entry -> 42L);
    send(
        entry("ws_1", "c1", null, null, 1),
        entry("ws_1", "c2", null, null, 2),
        entry("ws_2", "c1", null, null, 3));

    assertThat(indexed()).containsExactly("id:c1 <- 1", "id:c2 <- 2", "id:c1 <- 3");
    assertThat(counter(harness, Counters.DUPLICATES)).isZero();
  }

  @Test
  void aBoundedRunKeepsTheSmallestPositionAndEmitsAtEndOfInput() throws Exception {
    open(true, true);
    send(
        entry("ws_1", "c1", "u7", null, 7),
        entry("ws_1", "c1", "u3", null, 3),
        entry("ws_1", "c1", "u9", null, 9));

    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(lines(harness, ContactOutputs.DUPLICATES)).isEmpty();
    assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    assertThat(harness.numKeyedStateEntries()).isPositive();

    endOfInput();

    assertThat(indexed()).containsExactly("id:c1 <- 3", "user_id:u3 <- 3");
    // In input order, each naming the kept entry.
    assertThat(lines(harness, ContactOutputs.DUPLICATES))
        .hasSize(2)
        .satisfies(
            d -> assertThat(d.get(0)).contains("\"line\":7,", "\"duplicate_of\":{", "\"line\":3}"),
            d -> assertThat(d.get(1)).contains("\"line\":9,", "\"line\":3}"));
    assertThat(counter(harness, Counters.DIRECTORY_ENTRIES)).isEqualTo(1);
    assertThat(counter(harness, Counters.DUPLICATES)).isEqualTo(2);
    assertThat(harness.numEventTimeTimers()).isZero();
    assertThat(harness.numKeyedStateEntries()).isZero();
  }

  @Test
  void aBoundedRunEmitsItsEntriesInInputOrder() throws Exception {
    open(true, false, entry -> 42L);
    send(entry("ws_1", "c2", null, null, 8), entry("ws_1", "c1", null, null, 4));

    endOfInput();

    assertThat(indexed()).containsExactly("id:c1 <- 4", "id:c2 <- 8");
  }

  @Test
  void withoutTheDuplicatesOutputDuplicatesAreOnlyCounted() throws Exception {
    for (boolean bounded : new boolean[] {true, false}) {
      open(bounded, false);
      send(entry("ws_1", "c1", null, null, 2), entry("ws_1", "c1", null, null, 1));
      endOfInput();

      assertThat(indexed()).as("bounded: %s", bounded).hasSize(1);
      assertThat(lines(harness, ContactOutputs.DUPLICATES)).as("bounded: %s", bounded).isEmpty();
      assertThat(counter(harness, Counters.DUPLICATES)).as("bounded: %s", bounded).isEqualTo(1);
      close();
    }
    harness = null;
  }
}
