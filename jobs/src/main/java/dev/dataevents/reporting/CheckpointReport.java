package dev.dataevents.reporting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The report of a stream as of one of its completed checkpoints, read from Flink's own checkpointed
 * state: the {@link CheckpointedCounts} of every counting operator, read with the State Processor
 * API as a small BATCH job on a local environment, summed over subtasks. Files are reached through
 * Flink's {@link FileSystem}, so a checkpoint on any file system Flink can read (S3, HDFS) will do;
 * small operator state is kept inside the checkpoint's {@code _metadata}, so the counts usually
 * need no other file.
 *
 * <p>A checkpoint is only read: nothing of it is ever disposed or changed.
 */
public final class CheckpointReport {
  private CheckpointReport() {}

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
   */
  public static RunReport read(
      String checkpoint, Collection<String> countingUids, Long startedAtMillis) throws Exception {
    Counts counts = counts(checkpoint, countingUids);
    long finished = counts.completedAtMillis();
    long started = startedAtMillis == null ? finished : Math.min(startedAtMillis, finished);
    return new RunReport(
        new HashMap<>(counts.counts()), finished / 1000, counts.parallelism(), started, finished);
  }

  /**
   * The counts kept in a completed checkpoint by the operators {@code countingUids}.
   *
   * <p>Every file is read first: the metadata's time, then the metadata itself, which holds the
   * counts (operator state this small is kept inside it). The batch job that follows reads them
   * from memory, so a checkpoint that Flink subsumes and deletes meanwhile is still read whole.
   */
  public static Counts counts(String checkpoint, Collection<String> countingUids) throws Exception {
    Path metadataFile = new Path(new Path(checkpoint), "_metadata");
    long completedAt =
        FileSystem.get(metadataFile.toUri()).getFileStatus(metadataFile).getModificationTime();
    // Tells which counting operators the job had (a directory's only with --contacts) and their
    // parallelism; the reader below loads the metadata again.
    CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(checkpoint);
    Map<OperatorID, OperatorState> operators =
        metadata.getOperatorStates().stream()
            .collect(Collectors.toMap(OperatorState::getOperatorID, s -> s, (a, b) -> a));
    List<OperatorIdentifier> present = new ArrayList<>();
    int parallelism = 0;
    for (String uid : Set.copyOf(countingUids)) {
      OperatorIdentifier id = OperatorIdentifier.forUid(uid);
      OperatorState state = operators.get(id.getOperatorId());
      if (state != null) {
        present.add(id);
        parallelism = Math.max(parallelism, state.getParallelism());
      }
    }
    Map<String, Long> totals = new TreeMap<>();
    if (!present.isEmpty()) {
      StreamExecutionEnvironment env = localBatchEnvironment();
      SavepointReader reader = SavepointReader.read(env, checkpoint, new HashMapStateBackend());
      DataStream<String> entries = null;
      for (OperatorIdentifier id : present) {
        DataStream<String> operator =
            reader.readListState(id, CheckpointedCounts.STATE, Types.STRING);
        entries = entries == null ? operator : entries.union(operator);
      }
      try (CloseableIterator<String> it = entries.executeAndCollect("data-events report")) {
        it.forEachRemaining(entry -> CheckpointedCounts.add(totals, entry));
      }
    }
    return new Counts(totals, parallelism, completedAt);
  }

  /**
   * A local environment of its own (an embedded mini-cluster for one small job), also where the
   * stream runs on a cluster or under {@code flink run}: reading a checkpoint must not wait for the
   * slots the stream holds. Built on the local executor directly, as the context environment a
   * client sets up refuses {@code createLocalEnvironment}.
   */
  private static StreamExecutionEnvironment localBatchEnvironment() {
    Configuration config = new Configuration();
    config.set(DeploymentOptions.TARGET, "local");
    config.set(DeploymentOptions.ATTACHED, true);
    config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    config.set(PipelineOptions.GENERIC_TYPES, false);
    config.set(CoreOptions.DEFAULT_PARALLELISM, 1);
    config.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
    return new StreamExecutionEnvironment(config);
  }
}
