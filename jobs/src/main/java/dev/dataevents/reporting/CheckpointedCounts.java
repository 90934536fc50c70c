package dev.dataevents.reporting;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * A function's report counts kept in Flink's operator state, so that a stream's counts survive
 * failures and restarts exactly as its outputs do. An aligned checkpoint is a consistent cut of the
 * stream: the counts that the counting functions keep in one completed checkpoint add up to a
 * report that balances and matches the outputs committed with it; {@link CheckpointReport} reads
 * them back from there. Held by a {@link CountingFunction}; bounded runs keep the counts too (they
 * are never read).
 *
 * <p>The state is a list of {@code name=value} strings (one per count; after rescaling a subtask
 * may get the entries of several, which are summed): its name and format are part of the checkpoint
 * format, like the operators' uids.
 */
public final class CheckpointedCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The name of the operator list state that holds the counts. */
  static final String STATE = "report-counts";

  private transient RuntimeContext context;
  private transient ListState<String> state;

  /** Counts restored from the last checkpoint, until a counter takes them over. */
  private transient Map<String, Long> restored;

  private transient Map<String, RunCounter> counters;

  static ListStateDescriptor<String> descriptor() {
    return new ListStateDescriptor<>(STATE, Types.STRING);
  }

  /** Adds one state entry ({@code name=value}) to {@code totals}. */
  static void add(Map<String, Long> totals, String entry) {
    int eq = entry.lastIndexOf('=');
    totals.merge(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)), Long::sum);
  }

  /** Registers the state and restores the counts a checkpoint holds (from initializeState). */
  void restore(RuntimeContext context, FunctionInitializationContext init) throws Exception {
    this.context = context;
    this.state = init.getOperatorStateStore().getListState(descriptor());
    this.restored = new TreeMap<>();
    this.counters = new TreeMap<>();
    if (init.isRestored()) {
      for (String entry : state.get()) {
        add(restored, entry);
      }
    }
  }

  /** A counter of the report that also adds to these checkpointed totals (from open). */
  public RunCounter counter(String name) {
    RunCounter counter = RunCounter.of(context, name, restored.getOrDefault(name, 0L));
    counters.put(name, counter);
    return counter;
  }

  /** Puts every count into the state (from snapshotState). */
  void snapshot() throws Exception {
    Map<String, Long> totals = new TreeMap<>(restored);
    counters.forEach((name, counter) -> totals.put(name, counter.total()));
    List<String> entries = new ArrayList<>();
    totals.forEach((name, value) -> entries.add(name + "=" + value));
    state.update(entries);
  }
}
