package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.keyed;
import static dev.dataevents.testing.Records.AS_OF;

import dev.dataevents.model.ContactRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of the stream's keyed contact logic share: {@link StreamingContactFunction} on the
 * operator harness, keyed as the topology keys it, with processing time in hand.
 */
abstract class StreamingContactFixture {
  /** Processing time when a harness opens: the reference time of the test records. */
  static final long NOW = AS_OF * 1000;

  /** The emit interval. */
  static final long EMIT = 10_000;

  KeyedOneInputStreamOperatorTestHarness<Long, ContactRecord, byte[]> harness;

  /** A harness not yet opened, for a test that restores state into it. */
  static KeyedOneInputStreamOperatorTestHarness<Long, ContactRecord, byte[]> newHarness(
      long horizonSeconds) throws Exception {
    return newHarness(EMIT, horizonSeconds);
  }

  /** As {@link #newHarness(long)}, with another emit interval. */
  static KeyedOneInputStreamOperatorTestHarness<Long, ContactRecord, byte[]> newHarness(
      long emitMillis, long horizonSeconds) throws Exception {
    return keyed(
        new StreamingContactFunction(emitMillis, horizonSeconds, 50), ContactRecord::contactHash);
  }

  /** Opens {@link #harness} at {@link #NOW} with this dedup horizon. */
  void open(long horizonSeconds) throws Exception {
    harness = newHarness(horizonSeconds);
    harness.setProcessingTime(NOW);
    harness.open();
  }

  /**
   * Opens {@link #harness} with {@code snapshot}'s state restored at {@code NOW + EMIT}, as a
   * stream resumed with these options.
   */
  void restore(OperatorSubtaskState snapshot, long emitMillis, long horizonSeconds)
      throws Exception {
    harness = newHarness(emitMillis, horizonSeconds);
    harness.setProcessingTime(NOW + EMIT);
    harness.initializeState(snapshot);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  void send(ContactRecord r) throws Exception {
    harness.processElement(new StreamRecord<>(r));
  }
}
