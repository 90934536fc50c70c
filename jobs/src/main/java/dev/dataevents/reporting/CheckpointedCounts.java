package dev.dataevents.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;

/**
 * A function's report counts kept in operator state, so that a stream's counts survive restarts
 * exactly as its outputs do. At each checkpoint every counting subtask writes its totals to {@code
 * <counts dir>/<job id>/chk-<n>/<operator>-<subtask>.json}; an aligned checkpoint is a consistent
 * cut, so the files of one completed checkpoint add up to a report that balances (see {@link
 * StreamReport}). Bounded runs set no counts folder and write nothing.
 */
public final class CheckpointedCounts {
  /** The global job parameter naming the folder for per-checkpoint counts (streams only). */
  public static final String DIR_PARAMETER = "data-events.counts-dir";

  private final RuntimeContext context;
  private final String operator;
  private final ListState<String> state;

  /** Counts restored from the last checkpoint, until a counter takes them over. */
  private final Map<String, Long> restored = new TreeMap<>();

  private final Map<String, RunCounter> counters = new TreeMap<>();

  private CheckpointedCounts(RuntimeContext context, String operator, ListState<String> state) {
    this.context = context;
    this.operator = operator;
    this.state = state;
  }

  /** Restores a function's counts (summed: after rescaling a subtask may get several lists). */
  public static CheckpointedCounts restore(
      RuntimeContext context, FunctionInitializationContext init, String operator)
      throws Exception {
    ListState<String> state =
        init.getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("report-counts", Types.STRING));
    CheckpointedCounts counts = new CheckpointedCounts(context, operator, state);
    if (init.isRestored()) {
      for (String entry : state.get()) {
        int eq = entry.lastIndexOf('=');
        counts.restored.merge(
            entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)), Long::sum);
      }
    }
    return counts;
  }

  /** A counter of the report that also adds to these checkpointed totals. */
  public RunCounter counter(String name) {
    RunCounter counter = RunCounter.of(context, name, restored.getOrDefault(name, 0L));
    counters.put(name, counter);
    return counter;
  }

  /** Every count: the counters' totals, and restored counts no counter has taken over yet. */
  private Map<String, Long> totals() {
    Map<String, Long> totals = new TreeMap<>(restored);
    counters.forEach((name, counter) -> totals.put(name, counter.total()));
    return totals;
  }

  public void snapshot(FunctionSnapshotContext snapshot) throws Exception {
    Map<String, Long> totals = totals();
    List<String> entries = new ArrayList<>();
    totals.forEach((name, value) -> entries.add(name + "=" + value));
    state.update(entries);
    String dir = context.getGlobalJobParameters().get(DIR_PARAMETER);
    if (dir != null) {
      write(
          Path.of(dir)
              .resolve(context.getJobInfo().getJobId().toString())
              .resolve("chk-" + snapshot.getCheckpointId())
              .resolve(operator + "-" + context.getTaskInfo().getIndexOfThisSubtask() + ".json"),
          totals);
    }
  }

  private static void write(Path file, Map<String, Long> totals) {
    StringBuilder json = new StringBuilder("{");
    totals.forEach(
        (name, value) ->
            json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(name)
                .append("\":")
                .append(value));
    json.append("}\n");
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
