package dev.dataevents.job;

import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * One count of the report, kept twice: as an accumulator (the job result, and live through the job
 * client, build report.json) and as a Flink metric (what a cluster's metric reporters and web UI
 * show), under the group {@code data_events}.
 */
public final class RunCounter {
  private final LongCounter accumulator;
  private final Counter metric;
  private final String name;
  private final Map<String, Long> totals;

  private RunCounter(
      LongCounter accumulator, Counter metric, String name, Map<String, Long> totals) {
    this.accumulator = accumulator;
    this.metric = metric;
    this.name = name;
    this.totals = totals;
  }

  public static RunCounter of(RuntimeContext context, String name) {
    return of(context, name, null);
  }

  /** A counter that also adds to {@code totals} (checkpointed by {@link CheckpointedCounts}). */
  static RunCounter of(RuntimeContext context, String name, Map<String, Long> totals) {
    return new RunCounter(
        context.getLongCounter(name),
        context.getMetricGroup().addGroup("data_events").counter(name.replace('.', '_')),
        name,
        totals);
  }

  public void add(long n) {
    accumulator.add(n);
    metric.inc(n);
    if (totals != null) {
      totals.merge(name, n, Long::sum);
    }
  }
}
