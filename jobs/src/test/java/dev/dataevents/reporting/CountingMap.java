package dev.dataevents.reporting;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Counts every number as an input record, and the odd ones as rejected. */
class CountingMap extends RichMapFunction<Long, Long> implements CountingFunction {
  private final CheckpointedCounts counts = new CheckpointedCounts();
  private transient RunCounter all;
  private transient RunCounter odd;

  @Override
  public CheckpointedCounts reportCounts() {
    return counts;
  }

  @Override
  public void open(OpenContext openContext) {
    all = counts.counter(Counters.INPUT_RECORDS);
    odd = counts.counter(Counters.REJECTED_PREFIX + "odd");
  }

  @Override
  public Long map(Long n) {
    all.add(1);
    if (n % 2 == 1) {
      odd.add(1);
    }
    return n;
  }
}
