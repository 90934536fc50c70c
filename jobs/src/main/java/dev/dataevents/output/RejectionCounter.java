package dev.dataevents.output;

import dev.dataevents.job.CheckpointedCounts;
import dev.dataevents.job.Counters;
import dev.dataevents.job.RunCounter;
import dev.dataevents.model.Rejection;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Counts rejections by reason and renders them. Runs after a {@code keyBy} on the input position,
 * which in BATCH mode sorts each subtask's rejections by (source, line): the output no longer
 * depends on which subtask happened to read which file.
 */
public class RejectionCounter extends RichMapFunction<Rejection, String>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private transient CheckpointedCounts counts;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    counts = CheckpointedCounts.restore(getRuntimeContext(), context, "rejections");
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    counts.snapshot(context);
  }

  private transient RunCounter rejected;
  private transient Map<String, RunCounter> byReason;

  @Override
  public void open(OpenContext openContext) {
    rejected = counts.counter(Counters.REJECTED);
    byReason = new HashMap<>();
  }

  @Override
  public String map(Rejection rejection) {
    rejected.add(1);
    byReason
        .computeIfAbsent(
            rejection.reason(), reason -> counts.counter(Counters.REJECTED_PREFIX + reason))
        .add(1);
    return RecordJson.rejection(rejection);
  }
}
