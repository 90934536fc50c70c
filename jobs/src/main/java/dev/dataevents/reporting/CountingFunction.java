package dev.dataevents.reporting;

import org.apache.flink.api.common.functions.RichFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * A function that counts for the report, its counts kept in checkpoints ({@link
 * CheckpointedCounts}). A function implements it with one field and its accessor:
 *
 * <pre>{@code
 * private final CheckpointedCounts counts = new CheckpointedCounts();
 *
 * public CheckpointedCounts reportCounts() { return counts; }
 * }</pre>
 *
 * and takes its counters in {@code open()}: {@code reportCounts().counter(Counters.ACCEPTED)}. A
 * function that also has operator state of its own overrides both methods and calls these.
 */
public interface CountingFunction extends RichFunction, CheckpointedFunction {
  /** The function's counts: the same object every time (a final field). */
  CheckpointedCounts reportCounts();

  @Override
  default void initializeState(FunctionInitializationContext context) throws Exception {
    reportCounts().restore(getRuntimeContext(), context);
  }

  @Override
  default void snapshotState(FunctionSnapshotContext context) throws Exception {
    reportCounts().snapshot();
  }
}
