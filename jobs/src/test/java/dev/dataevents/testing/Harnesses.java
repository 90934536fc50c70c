package dev.dataevents.testing;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** What an operator under Flink's test harness emitted besides its main output. */
public final class Harnesses {
  private Harnesses() {}

  /** The values sent to the side output {@code tag} so far, in order; none if it had none. */
  public static <T> List<T> sideOutput(
      AbstractStreamOperatorTestHarness<?> harness, OutputTag<T> tag) {
    var queue = harness.getSideOutput(tag);
    return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).toList();
  }

  /** The run counter {@code name} of the operator's subtask (0 if it never counted). */
  public static long counter(AbstractStreamOperatorTestHarness<?> harness, String name) {
    Map<String, Accumulator<?, ?>> accumulators =
        harness.getEnvironment().getAccumulatorRegistry().getUserMap();
    Accumulator<?, ?> counter = accumulators.get(name);
    return counter == null ? 0 : (Long) counter.getLocalValue();
  }
}
