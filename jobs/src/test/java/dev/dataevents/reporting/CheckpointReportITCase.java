package dev.dataevents.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.MiniCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Counts kept by counting functions in a checkpoint, read back from Flink's checkpointed state with
 * the State Processor API: summed over operators and subtasks, operators the job did not have
 * ignored, at the parallelism the checkpoint was taken.
 */
class CheckpointReportITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir static Path tmp;

  /** The newest checkpoint of a stream that counted 1..1000 twice, then was cancelled. */
  private static Path checkpoint;

  /**
   * Runs 1..1000 through two counting operators, in a stream that goes on (a watched empty folder)
   * until every number is counted and two more checkpoints completed; then cancels it. Flink
   * retains its checkpoints.
   */
  @BeforeAll
  static void countedCheckpoint() throws Exception {
    Configuration config = new Configuration();
    config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
    config.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, tmp.toUri().toString());
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    DataStream<Long> never =
        env.fromSource(
                FileSource.forRecordStreamFormat(
                        new TextLineInputFormat(), new org.apache.flink.core.fs.Path(empty.toUri()))
                    .monitorContinuously(Duration.ofSeconds(1))
                    .build(),
                WatermarkStrategy.noWatermarks(),
                "nothing")
            .uid("nothing")
            .map(Long::parseLong, Types.LONG);
    env.fromSequence(1, 1000)
        .uid("numbers")
        .setParallelism(1)
        .union(never)
        .map(new CountingMap())
        .uid("count-a")
        .setParallelism(2)
        .map(new CountingMap())
        .uid("count-b")
        .setParallelism(1)
        .sinkTo(new DiscardingSink<>())
        .uid("discard");
    JobClient job = env.executeAsync("counting");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Path jobDir = tmp.resolve(job.getJobID().toHexString());
      while (!Long.valueOf(2000).equals(job.getAccumulators().get().get(Counters.INPUT_RECORDS))) {
        assertThat(System.nanoTime()).as("every number counted").isLessThan(deadline);
        Thread.sleep(50);
      }
      long counted = newest(jobDir).map(CheckpointReportITCase::number).orElse(0L);
      while (newest(jobDir).map(CheckpointReportITCase::number).orElse(0L) < counted + 2) {
        assertThat(System.nanoTime()).as("two more checkpoints").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      job.cancel().get();
    }
    try {
      job.getJobExecutionResult().get();
    } catch (Exception e) {
      // Cancelled: its checkpoints are retained.
    }
    checkpoint = newest(tmp.resolve(job.getJobID().toHexString())).orElseThrow();
  }

  private static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  private static Optional<Path> newest(Path jobDir) throws IOException {
    if (!Files.isDirectory(jobDir)) {
      return Optional.empty();
    }
    try (Stream<Path> checkpoints = Files.list(jobDir)) {
      return checkpoints
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(Comparator.comparingLong(CheckpointReportITCase::number));
    }
  }

  /** Both readers, which must agree. */
  static List<CheckpointReport.Reader> readers() {
    return List.of(
        CheckpointReport.Reader.batchJob(new Configuration()), CheckpointReport.Reader.IN_PROCESS);
  }

  @ParameterizedTest
  @MethodSource("readers")
  void theCountsOfEveryCountingOperatorAndSubtaskAreSummed(CheckpointReport.Reader reader)
      throws Exception {
    CheckpointReport.Counts counts =
        CheckpointReport.counts(
            checkpoint.toUri().toString(),
            List.of("count-a", "count-b", "not-in-this-job"),
            reader);

    assertThat(counts.counts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Counters.INPUT_RECORDS, 2000L, Counters.REJECTED_PREFIX + "odd", 1000L));
    assertThat(counts.parallelism()).isEqualTo(2);
    assertThat(counts.completedAtMillis())
        .isEqualTo(Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis());
  }

  @ParameterizedTest
  @MethodSource("readers")
  void anOperatorThatKeptNoCountsInThisCheckpointCountsNothing(CheckpointReport.Reader reader)
      throws Exception {
    // A checkpoint of an earlier version, whose operator (the directory join) did not count yet.
    CheckpointReport.Counts counts =
        CheckpointReport.counts(
            checkpoint.toUri().toString(), List.of("count-a", "count-b", "discard"), reader);

    assertThat(counts.counts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Counters.INPUT_RECORDS, 2000L, Counters.REJECTED_PREFIX + "odd", 1000L));
  }

  @ParameterizedTest
  @MethodSource("readers")
  void aCheckpointWithoutCountingOperatorsCountsNothing(CheckpointReport.Reader reader)
      throws Exception {
    CheckpointReport.Counts counts =
        CheckpointReport.counts(checkpoint.toUri().toString(), List.of("not-in-this-job"), reader);
    assertThat(counts.counts()).isEmpty();
    assertThat(counts.parallelism()).isZero();
  }

  @Test
  void theReportTakesItsTimesFromTheCheckpoint() throws Exception {
    long completed = Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
    RunReport report =
        CheckpointReport.read(
            checkpoint.toUri().toString(),
            List.of("count-a"),
            completed - 1500,
            CheckpointReport.Reader.IN_PROCESS);
    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(1000);
    assertThat(report.rejectedByReason()).containsExactly(Map.entry("odd", 500L));
    assertThat(report.elapsedMillis()).isEqualTo(1500);
    assertThat(report.toJson())
        .contains("\"reference_time\" : " + completed / 1000, "\"parallelism\" : 2");

    // Unknown start: the checkpoint's own time.
    RunReport unknown =
        CheckpointReport.read(
            checkpoint.toUri().toString(),
            List.of("count-a"),
            null,
            CheckpointReport.Reader.IN_PROCESS);
    assertThat(unknown.elapsedMillis()).isZero();
  }
}
