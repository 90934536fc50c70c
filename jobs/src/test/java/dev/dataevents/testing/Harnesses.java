package dev.dataevents.testing;

import dev.dataevents.contact.ContactFunction;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.binary.ContactRecordPacker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** Keyed functions on Flink's operator test harness, and what they emitted besides their output. */
public final class Harnesses {
  private Harnesses() {}

  /** {@code function} on a harness, keyed by {@code key} as the topology keys it; not yet open. */
  public static <I, O> KeyedOneInputStreamOperatorTestHarness<Long, I, O> keyed(
      KeyedProcessFunction<Long, I, O> function, KeySelector<I, Long> key) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(function), key, Types.LONG);
  }

  /**
   * The bounded contact function on a harness, keyed by {@code key} of the records it is sent
   * packed ({@link #packed}), as the bounded topology packs them; not yet open.
   */
  public static KeyedOneInputStreamOperatorTestHarness<Long, PackedContactRecord, byte[]>
      contactFunction(ContactFunction function, KeySelector<ContactRecord, Long> key)
          throws Exception {
    return keyed(function, packed -> key.getKey(new ContactRecordPacker().unpack(packed)));
  }

  /** A record as the bounded topology hands it to the contact function: packed. */
  public static StreamRecord<PackedContactRecord> packed(ContactRecord record) {
    return new StreamRecord<>(new ContactRecordPacker().pack(record));
  }

  /** A packed record with a timestamp (the bounded topology's input position). */
  public static StreamRecord<PackedContactRecord> packed(ContactRecord record, long timestamp) {
    return new StreamRecord<>(new ContactRecordPacker().pack(record), timestamp);
  }

  /** The values sent to the side output {@code tag} so far, in order; none if it had none. */
  public static <T> List<T> sideOutput(
      AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
    var queue = harness.getSideOutput(tag);
    return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
  }

  /** The lines a contact function wrote to the side output {@code tag} so far, as text. */
  public static List<String> lines(
      AbstractStreamOperatorTestHarness<?> harness, OutputTag<byte[]> tag) {
    return text(sideOutput(harness, tag));
  }

  /** The lines of a function whose main output is lines (UTF-8 bytes), as text, in order. */
  public static List<String> outputLines(AbstractStreamOperatorTestHarness<byte[]> harness) {
    return text(harness.extractOutputValues());
  }

  /** An output line as text. */
  public static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }

  /** Output lines as text. */
  public static List<String> text(List<byte[]> lines) {
    return lines.stream().map(Harnesses::text).toList();
  }

  /** The run counter {@code name} of the operator's subtask (0 if it never counted). */
  public static long counter(AbstractStreamOperatorTestHarness<?> harness, String name) {
    Map<String, Accumulator<?, ?>> accumulators =
        harness.getEnvironment().getAccumulatorRegistry().getUserMap();
    Accumulator<?, ?> counter = accumulators.get(name);
    return counter == null ? 0 : (Long) counter.getLocalValue();
  }
}
