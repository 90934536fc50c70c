package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.counter;
import static dev.dataevents.testing.Harnesses.keyed;
import static dev.dataevents.testing.Harnesses.lines;
import static dev.dataevents.testing.Harnesses.outputLines;
import static dev.dataevents.testing.Harnesses.packed;
import static dev.dataevents.testing.Harnesses.sideOutput;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.CATALOG;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.Rejection;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.Counters;
import dev.dataevents.testing.Harnesses;
import dev.dataevents.testing.Schemas;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A record that makes a keyed stage throw is rejected {@code internal_error} (500) by that stage,
 * counted once, and the stage goes on with the next record: in the directory dedup, the directory
 * join and the bounded contact function, in both bounded and streaming mode.
 */
class KeyedStageInternalErrorTest {
  private static final String BOOM = "boom";

  private static DirectoryEntry entry(String id, String userId, long line) {
    return new DirectoryEntry(
        "ws_1",
        id,
        userId,
        null,
        false,
        InputPosition.of(9, line),
        "contacts.jsonl",
        "{\"id\":\"" + id + "\"}",
        null);
  }

  private static void assertInternalError(Rejection r, String source, long line, String raw) {
    assertThat(r.reason()).isEqualTo("internal_error");
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.field()).isNull();
    assertThat(r.source()).isEqualTo(source);
    assertThat(r.line()).isEqualTo(line);
    assertThat(r.raw()).isEqualTo(raw);
    assertThat(r.message()).contains("could not be processed");
    Schemas.assertValid("rejection.schema.json", Harnesses.text(RecordJson.rejection(r)));
  }

  // --- the directory dedup ---

  /** Fails to index the entry whose id is "boom", as a bug would. */
  static final class FailingDirectoryDedup extends DirectoryDedup {
    FailingDirectoryDedup(boolean bounded) {
      super(bounded, false);
    }

    @Override
    List<DirectoryEntry> indexed(DirectoryEntry entry) {
      if (BOOM.equals(entry.id())) {
        throw new IllegalStateException("injected failure");
      }
      return super.indexed(entry);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<Long, DirectoryEntry, DirectoryEntry>
      directoryDedup(boolean bounded) throws Exception {
    var harness = keyed(new FailingDirectoryDedup(bounded), DirectoryEntry::idHash);
    harness.open();
    return harness;
  }

  @Test
  void theStreamingDirectoryDedupRejectsTheEntryItCannotIndexAndGoesOn() throws Exception {
    try (var harness = directoryDedup(false)) {
      harness.processElement(new StreamRecord<>(entry("c1", "u1", 1)));
      harness.processElement(new StreamRecord<>(entry(BOOM, "u2", 2)));
      harness.processElement(new StreamRecord<>(entry("c3", "u3", 3)));

      assertThat(harness.extractOutputValues())
          .extracting(DirectoryEntry::indexKey)
          .containsExactly("id:c1", "user_id:u1", "id:c3", "user_id:u3");
      assertThat(sideOutput(harness, ContactOutputs.REJECTED))
          .singleElement()
          .satisfies(r -> assertInternalError(r, "contacts.jsonl", 2, "{\"id\":\"boom\"}"));
      // Two accepted, none twice: the rejected one is counted by the rejection stage only.
      assertThat(counter(harness, Counters.ACCEPTED)).isEqualTo(2);
      assertThat(counter(harness, Counters.DIRECTORY_ENTRIES)).isEqualTo(2);
    }
  }

  @Test
  void theBoundedDirectoryDedupRejectsTheEntryItCannotIndexAtEndOfInput() throws Exception {
    try (var harness = directoryDedup(true)) {
      harness.processElement(new StreamRecord<>(entry(BOOM, "u2", 2)));
      harness.processElement(new StreamRecord<>(entry("c1", "u1", 1)));
      harness.processWatermark(new Watermark(Long.MAX_VALUE));

      assertThat(harness.extractOutputValues())
          .extracting(DirectoryEntry::indexKey)
          .containsExactly("id:c1", "user_id:u1");
      assertThat(sideOutput(harness, ContactOutputs.REJECTED))
          .singleElement()
          .satisfies(r -> assertInternalError(r, "contacts.jsonl", 2, "{\"id\":\"boom\"}"));
      assertThat(counter(harness, Counters.ACCEPTED)).isEqualTo(1);
    }
  }

  // --- the directory join ---

  /** Fails to resolve the event of user "boom". */
  static final class FailingDirectoryJoin extends DirectoryJoin {
    FailingDirectoryJoin(boolean bounded) {
      super(bounded);
    }

    @Override
    void resolve(ContactRecord record, Context ctx, Collector<ContactRecord> out) throws Exception {
      if (("user_id:" + BOOM).equals(record.contactKey())) {
        throw new IllegalStateException("injected failure");
      }
      super.resolve(record, ctx, out);
    }
  }

  private static void theJoinRejectsTheRecordItCannotResolve(boolean bounded) throws Exception {
    try (var harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new FailingDirectoryJoin(bounded)),
            ContactRecord::contactHash,
            DirectoryEntry::indexHash,
            Types.LONG)) {
      harness.open();
      harness.processElement2(new StreamRecord<>(entry("c1", "u1", 1).indexedAs("user_id:u1")));
      harness.processElement2(
          new StreamRecord<>(entry("c9", BOOM, 2).indexedAs("user_id:" + BOOM)));
      harness.processElement1(new StreamRecord<>(event(BOOM, "a", AS_OF - DAY, 0, 5)));
      harness.processElement1(new StreamRecord<>(event("u1", "a", AS_OF - DAY, 0, 6)));
      if (bounded) {
        harness.processBothWatermarks(new Watermark(Long.MAX_VALUE));
      }
      assertThat(harness.extractOutputValues())
          .singleElement()
          .extracting(ContactRecord::contactKey)
          .isEqualTo("id:c1");
      assertThat(sideOutput(harness, ContactOutputs.REJECTED))
          .singleElement()
          .satisfies(r -> assertInternalError(r, "file-0.jsonl", 5, "raw 0:5"));
    }
  }

  @Test
  void theStreamingDirectoryJoinRejectsTheRecordItCannotResolveAndGoesOn() throws Exception {
    theJoinRejectsTheRecordItCannotResolve(false);
  }

  @Test
  void theBoundedDirectoryJoinRejectsTheRecordItCannotResolveAndGoesOn() throws Exception {
    theJoinRejectsTheRecordItCannotResolve(true);
  }

  // --- the bounded contact function ---

  private static KeyedOneInputStreamOperatorTestHarness<Long, PackedContactRecord, byte[]>
      contactFunction() throws Exception {
    var harness =
        Harnesses.contactFunction(
            new ContactFunction(CATALOG, AS_OF, 50, false), ContactRecord::contactHash);
    harness.open();
    return harness;
  }

  @Test
  void theContactFunctionRejectsARecordItCannotDedupAndGoesOn() throws Exception {
    // An imported summary line without its arrays: a record no validator would let through.
    ContactRecord broken =
        ContactRecord.summaryImport(
            "ws_1",
            "user_id:u2",
            InputPosition.of(1, 4),
            null,
            "u2",
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    try (var harness = contactFunction()) {
      harness.processElement(packed(broken));
      harness.processElement(packed(event("u1", "a", AS_OF - DAY, 0, 1)));
      harness.processWatermark(new Watermark(Long.MAX_VALUE));

      assertThat(outputLines(harness)).singleElement().asString().contains("\"u1\"");
      // A bounded run keeps no raw line past parsing: the source comes from the run's catalog.
      assertThat(sideOutput(harness, ContactOutputs.REJECTED))
          .singleElement()
          .satisfies(r -> assertInternalError(r, "b.jsonl", 4, ""));
      assertThat(counter(harness, Counters.ACCEPTED)).isEqualTo(1);
    }
  }

  @Test
  void theContactFunctionRejectsEveryRecordOfAContactItCannotSummariseAndGoesOn() throws Exception {
    // Events without a name: the summary cannot be built.
    ContactRecord first = event("u2", null, AS_OF - DAY, 0, 7);
    ContactRecord second = event("u2", null, AS_OF - 2 * DAY, 1, 8);
    try (var harness = contactFunction()) {
      harness.processElement(packed(first));
      harness.processElement(packed(second));
      harness.processElement(packed(event("u1", "a", AS_OF - DAY, 0, 1)));
      harness.processWatermark(new Watermark(Long.MAX_VALUE));

      assertThat(outputLines(harness)).singleElement().asString().contains("\"u1\"");
      assertThat(lines(harness, ContactOutputs.SUMMARIES))
          .singleElement()
          .asString()
          .contains("\"u1\"");
      List<Rejection> rejected = sideOutput(harness, ContactOutputs.REJECTED);
      assertThat(rejected).hasSize(2);
      assertInternalError(rejected.get(0), "file-0.jsonl", 7, "raw 0:7");
      assertInternalError(rejected.get(1), "file-1.jsonl", 8, "raw 1:8");
      assertThat(counter(harness, Counters.ACCEPTED)).isEqualTo(1);
      assertThat(counter(harness, Counters.CONTACTS)).isEqualTo(1);
      assertThat(counter(harness, Counters.SUMMARIES)).isEqualTo(1);
    }
  }
}
