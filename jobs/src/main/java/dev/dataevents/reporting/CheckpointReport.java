package dev.dataevents.reporting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.DefaultOperatorStateBackend;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The report of a stream as of one of its completed checkpoints, read from Flink's own checkpointed
 * state: the {@link CheckpointedCounts} of every counting operator, summed over subtasks. Files are
 * reached through Flink's {@link FileSystem}, so a checkpoint on any file system Flink can read
 * (S3, HDFS) will do. A checkpoint is only read: nothing of it is ever disposed or changed.
 *
 * <p>Two readers of the same state, which tests hold to the same result:
 *
 * <ul>
 *   <li>{@link Reader#batchJob}: the State Processor API, a small BATCH job on a local environment
 *       of its own; for a one-off report ({@code data-events report}).
 *   <li>{@link Reader#IN_PROCESS}: the operator state restored in this process with Flink's own
 *       operator state backend, as each subtask of that job does, without a job; for a running
 *       stream, which refreshes its report after each checkpoint. A job needs a mini-cluster, and
 *       in Flink 2.3 every local environment leaves its RPC system's class loader and threads
 *       behind (about 13 MB of metaspace and several threads per read, never reclaimed): a stream
 *       reading its checkpoints that way would run out of memory within hours.
 * </ul>
 */
public final class CheckpointReport {
  private CheckpointReport() {}

  /** How the counts are read from a checkpoint. */
  public static final class Reader {
    /** Flink's operator state backend, restored in this process: no job. */
    public static final Reader IN_PROCESS = new Reader(null);

    private final Configuration cluster;

    private Reader(Configuration cluster) {
      this.cluster = cluster;
    }

    /**
     * The State Processor API: a small BATCH job on an embedded mini-cluster of its own, set up by
     * {@code cluster} (where it listens, its working folders); the job's own options are added.
     */
    public static Reader batchJob(Configuration cluster) {
      return new Reader(new Configuration(cluster));
    }
  }

  /**
   * The counts kept in a checkpoint.
   *
   * @param counts counter name -> total over every counting operator and subtask
   * @param parallelism the counting operators' parallelism when the checkpoint was taken
   * @param completedAtMillis when the checkpoint completed (its metadata was written)
   */
  public record Counts(Map<String, Long> counts, int parallelism, long completedAtMillis) {}

  /**
   * The report as of a completed checkpoint: its counts, its completion time as {@code finished_at}
   * and reference time, and the parallelism it was taken at.
   *
   * @param checkpoint a completed checkpoint or savepoint (its folder, as a Flink path or URI)
   * @param countingUids the uids of the counting operators (absent ones count nothing)
   * @param startedAtMillis when the stream job that took it started, or null when unknown (then its
   *     completion time)
   * @param reader how the counts are read
   */
  public static RunReport read(
      String checkpoint, Collection<String> countingUids, Long startedAtMillis, Reader reader)
      throws Exception {
    Counts counts = counts(checkpoint, countingUids, reader);
    long finished = counts.completedAtMillis();
    long started = startedAtMillis == null ? finished : Math.min(startedAtMillis, finished);
    return new RunReport(
        new HashMap<>(counts.counts()), finished / 1000, counts.parallelism(), started, finished);
  }

  /**
   * The counts kept in a completed checkpoint by the operators {@code countingUids}.
   *
   * <p>Files are read first: the metadata's time, then the metadata itself, which holds the counts
   * (operator state this small is kept inside it). What follows reads them from memory, so a
   * checkpoint that Flink subsumes and deletes meanwhile is still read whole.
   */
  public static Counts counts(String checkpoint, Collection<String> countingUids, Reader reader)
      throws Exception {
    Path metadataFile = new Path(new Path(checkpoint), "_metadata");
    long completedAt =
        FileSystem.get(metadataFile.toUri()).getFileStatus(metadataFile).getModificationTime();
    CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(checkpoint);
    Map<OperatorID, OperatorState> operators =
        metadata.getOperatorStates().stream()
            .collect(Collectors.toMap(OperatorState::getOperatorID, s -> s, (a, b) -> a));
    // The counting operators the job had (a directory's only with --contacts).
    Map<OperatorIdentifier, OperatorState> present = new LinkedHashMap<>();
    for (String uid : new TreeSet<>(countingUids)) {
      OperatorIdentifier id = OperatorIdentifier.forUid(uid);
      OperatorState state = operators.get(id.getOperatorId());
      if (state != null) {
        present.put(id, state);
      }
    }
    int parallelism =
        present.values().stream().mapToInt(OperatorState::getParallelism).max().orElse(0);
    Map<String, Long> totals = new TreeMap<>();
    List<String> entries =
        present.isEmpty()
            ? List.of()
            : reader.cluster != null
                ? withBatchJob(checkpoint, present.keySet(), reader.cluster)
                : inProcess(present.values());
    entries.forEach(entry -> CheckpointedCounts.add(totals, entry));
    return new Counts(totals, parallelism, completedAt);
  }

  /** Every count entry of the operators, read by a State Processor API job. */
  private static List<String> withBatchJob(
      String checkpoint, Collection<OperatorIdentifier> operators, Configuration cluster)
      throws Exception {
    StreamExecutionEnvironment env = localBatchEnvironment(cluster);
    SavepointReader reader = SavepointReader.read(env, checkpoint, new HashMapStateBackend());
    DataStream<String> entries = null;
    for (OperatorIdentifier id : operators) {
      DataStream<String> operator =
          reader.readListState(id, CheckpointedCounts.STATE, Types.STRING);
      entries = entries == null ? operator : entries.union(operator);
    }
    List<String> collected = new ArrayList<>();
    try (CloseableIterator<String> it = entries.executeAndCollect("data-events report")) {
      it.forEachRemaining(collected::add);
    }
    return collected;
  }

  /**
   * Every count entry of the operators, their subtasks' operator state restored into one backend
   * (as a rescale to parallelism 1 would), which hands back every entry of the list state.
   */
  private static List<String> inProcess(Collection<OperatorState> operators) throws Exception {
    List<String> entries = new ArrayList<>();
    for (OperatorState operator : operators) {
      List<OperatorStateHandle> handles = new ArrayList<>();
      for (OperatorSubtaskState subtask : operator.getSubtaskStates().values()) {
        handles.addAll(subtask.getManagedOperatorState());
      }
      try (CloseableRegistry registry = new CloseableRegistry()) {
        DefaultOperatorStateBackend backend =
            new DefaultOperatorStateBackendBuilder(
                    CheckpointReport.class.getClassLoader(),
                    new ExecutionConfig(),
                    false,
                    handles,
                    registry)
                .build();
        try {
          backend.getListState(CheckpointedCounts.descriptor()).get().forEach(entries::add);
        } finally {
          backend.dispose();
        }
      }
    }
    return entries;
  }

  /**
   * A local environment of its own (an embedded mini-cluster for one small job), also where the
   * stream runs on a cluster or under {@code flink run}: reading a checkpoint must not wait for the
   * slots the stream holds. Built on the local executor directly, as the context environment a
   * client sets up refuses {@code createLocalEnvironment}.
   */
  private static StreamExecutionEnvironment localBatchEnvironment(Configuration cluster) {
    Configuration config = new Configuration(cluster);
    config.set(DeploymentOptions.TARGET, "local");
    config.set(DeploymentOptions.ATTACHED, true);
    config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    config.set(PipelineOptions.GENERIC_TYPES, false);
    config.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
    return new StreamExecutionEnvironment(config);
  }
}
