package dev.dataevents.output;

import dev.dataevents.job.Counters;
import dev.dataevents.job.RunCounter;
import dev.dataevents.model.Rejection;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Counts rejections by reason and renders them. Runs after a {@code keyBy} on the input position,
 * which in BATCH mode sorts each subtask's rejections by (source, line): the output no longer
 * depends on which subtask happened to read which file.
 */
public class RejectionCounter extends RichMapFunction<Rejection, String> {
  private static final long serialVersionUID = 1L;

  private transient RunCounter rejected;
  private transient Map<String, RunCounter> byReason;

  @Override
  public void open(OpenContext openContext) {
    rejected = RunCounter.of(getRuntimeContext(), Counters.REJECTED);
    byReason = new HashMap<>();
  }

  @Override
  public String map(Rejection rejection) {
    rejected.add(1);
    byReason
        .computeIfAbsent(
            rejection.reason(),
            reason -> RunCounter.of(getRuntimeContext(), Counters.REJECTED_PREFIX + reason))
        .add(1);
    return RecordJson.rejection(rejection);
  }
}
