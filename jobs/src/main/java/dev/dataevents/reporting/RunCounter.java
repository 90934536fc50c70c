package dev.dataevents.reporting;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * One count of the report, kept three ways: as an accumulator (the job result, and live through the
 * job client, build a bounded run's report.json), as a Flink metric (what a cluster's metric
 * reporters and web UI show, under the group {@code data_events}), and as a running total that
 * {@link CheckpointedCounts} keeps in checkpoints (a stream's report.json).
 */
public final class RunCounter {
  private final LongCounter accumulator;
  private final Counter metric;
  private long total;

  private RunCounter(LongCounter accumulator, Counter metric, long initial) {
    this.accumulator = accumulator;
    this.metric = metric;
    this.total = initial;
  }

  public static RunCounter of(RuntimeContext context, String name) {
    return of(context, name, 0);
  }

  /** A counter whose running total starts at {@code initial} (restored from a checkpoint). */
  static RunCounter of(RuntimeContext context, String name, long initial) {
    return new RunCounter(
        context.getLongCounter(name),
        context.getMetricGroup().addGroup("data_events").counter(name.replace('.', '_')),
        initial);
  }

  public void add(long n) {
    accumulator.add(n);
    metric.inc(n);
    total += n;
  }

  /** This subtask's total, restored counts included (what a checkpoint keeps). */
  long total() {
    return total;
  }
}
