package dev.dataevents.job;

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

  private RunCounter(LongCounter accumulator, Counter metric) {
    this.accumulator = accumulator;
    this.metric = metric;
  }

  public static RunCounter of(RuntimeContext context, String name) {
    return new RunCounter(
        context.getLongCounter(name),
        context.getMetricGroup().addGroup("data_events").counter(name.replace('.', '_')));
  }

  public void add(long n) {
    accumulator.add(n);
    metric.inc(n);
  }
}
