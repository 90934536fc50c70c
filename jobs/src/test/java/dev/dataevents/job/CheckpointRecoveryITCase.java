package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.cli.DataEventsCommand;
import dev.dataevents.json.Json;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.Streams;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A stream's checkpoint folder belongs to its command: stopped and run again, the stream resumes
 * from the newest checkpoint that can be restored (skipping one whose metadata was damaged) and
 * writes every event once; another command on the same folder is refused with exit code 2.
 */
class CheckpointRecoveryITCase {
  /**
   * The number of checkpoints Flink retains is the cluster's setting (the job's is not read):
   * three, as the command line's embedded cluster gets from {@link StreamRun}.
   */
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(
                  Configuration.fromMap(
                      Map.of(
                          "pipeline.generic-types", "false",
                          "execution.checkpointing.num-retained", "3")))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(MiniCluster.SLOTS)
              .build());

  @TempDir Path tmp;

  private final List<JobClient> jobs = new ArrayList<>();

  /** Each run's report.json writer, as the stream command runs one beside its job. */
  private final List<StreamReport> reports = new ArrayList<>();

  @AfterEach
  void cancelJobs() throws InterruptedException {
    stopReports();
    for (JobClient job : jobs) {
      try {
        job.cancel().get();
      } catch (Exception e) {
        // Already cancelled or finished.
      }
    }
  }

  private JobClient start(StreamRun.Request request) throws Exception {
    JobClient job = Streams.start(request, new Configuration());
    jobs.add(job);
    return job;
  }

  private void stopReports() throws InterruptedException {
    for (StreamReport report : reports) {
      report.close();
    }
    reports.clear();
  }

  /** Starts a stream and, beside it, what keeps its report.json (as the stream command does). */
  private JobClient startWithReport(StreamRun.Request request) throws Exception {
    JobClient job = start(request);
    reports.add(StreamReport.follow(request.checkpointDir(), request.output()));
    return job;
  }

  private static void stop(JobClient job) throws Exception {
    job.cancel().get();
    try {
      job.getJobExecutionResult().get();
    } catch (Exception e) {
      // Cancelled: its checkpoints are retained.
    }
  }

  /** Part files are renamed while the job runs: a listing may name one that just moved. */
  private static <T> T retrying(Callable<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.call();
      } catch (Exception e) {
        if (attempt == 5) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The report.json the stream's report writer keeps, if any yet. */
  private static Optional<RunReport> report(Path out) {
    return retrying(() -> ReportFiles.read(out));
  }

  private static long newestCheckpointNumber(CheckpointFolder folder) {
    return folder.newestCompleted().map(Checkpoints::number).orElse(-1L);
  }

  private static void moveIn(Path file, Path folder) throws IOException {
    Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** (workspace, user, name, created_at) of accepted event lines. */
  private static List<String> identities(List<String> events) {
    List<String> identities = new ArrayList<>();
    for (String line : events) {
      try {
        var n = Json.mapper().readTree(line);
        identities.add(
            n.get("workspace_id").asText()
                + "|"
                + n.get("user_id").asText()
                + "|"
                + n.get("event_name").asText()
                + "|"
                + n.get("created_at").asLong());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return identities;
  }

  @Test
  void aDamagedNewestCheckpointIsSkippedAndTheResumedStreamWritesEveryEventOnce() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator first = EventGenerator.write(a, 1500, 21);
    EventGenerator second = EventGenerator.write(b, 1500, 22);
    // The second file resends the start of the first: dedup must hold across the restore.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, 200),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    long total = first.lines + second.lines + 200;
    Path all = Files.createDirectories(tmp.resolve("all"));
    Files.copy(a, all.resolve("a.jsonl"));
    Files.copy(b, all.resolve("b.jsonl"));
    RunReport backfill = Backfills.of(all).run(tmp.resolve("backfill"));
    Set<String> expected = new HashSet<>(identities(lines(tmp.resolve("backfill"), "events")));

    // The generator's events reach 400 days back from Records.AS_OF: all accepted whatever this
    // machine's clock, as in a backfill.
    StreamRun.Request request =
        Streams.watching(in).output(out).maxFuture(Duration.ofDays(3650)).request();
    CheckpointFolder folder = new CheckpointFolder(out.resolve(StreamRun.CHECKPOINTS));

    // 1. The first file, all of it committed, then two more checkpoints; stopped.
    JobClient run1 = startWithReport(request);
    String firstJob = run1.getJobID().toHexString();
    assertThat(folder.owner().orElseThrow().jobs()).containsExactly(firstJob);
    moveIn(a, in);
    await(
        "the first file committed",
        () -> report(out).map(r -> r.count(Counters.INPUT_RECORDS) == first.lines).orElse(false));
    long covering = newestCheckpointNumber(folder);
    await("two more checkpoints", () -> newestCheckpointNumber(folder) >= covering + 2);
    stop(run1);
    stopReports();

    // 2. Its newest checkpoint is damaged (half its metadata gone).
    Path newest = folder.newestCompleted().orElseThrow();
    byte[] metadata = Files.readAllBytes(newest.resolve("_metadata"));
    Files.write(newest.resolve("_metadata"), Arrays.copyOf(metadata, metadata.length / 2));

    List<String> warnings = new ArrayList<>();
    Path resumeFrom = Streams.startingPoint(request, warnings::add).orElseThrow();
    assertThat(resumeFrom.getParent()).isEqualTo(newest.getParent());
    assertThat(Checkpoints.number(resumeFrom)).isLessThan(Checkpoints.number(newest));
    assertThat(warnings).singleElement().asString().contains("skipped checkpoint " + newest);

    // 3. Resumed from the one before; the second file arrives.
    JobClient run2 = startWithReport(request);
    moveIn(b, in);
    await(
        "the second file committed",
        () -> report(out).map(r -> r.count(Counters.INPUT_RECORDS) == total).orElse(false));
    // Once the new run has a checkpoint, the first run's folder is no longer needed.
    await(
        "the first run's checkpoints removed", () -> !Files.exists(folder.dir().resolve(firstJob)));
    Thread.sleep(1000); // a few more checkpoints: anything doubled would show now
    // The report as of the newest completed checkpoint.
    RunReport report =
        retrying(() -> StreamReport.write(folder.dir(), out, ReportFiles.checkpointReader()))
            .orElseThrow();
    stop(run2);

    List<String> events = retrying(() -> identities(lines(out, "events")));
    assertThat(events).doesNotHaveDuplicates();
    assertThat(new HashSet<>(events)).isEqualTo(expected);
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Counters.INPUT_RECORDS))
        .isEqualTo(backfill.count(Counters.INPUT_RECORDS));
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(backfill.count(Counters.ACCEPTED));
    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(backfill.count(Counters.DUPLICATES));
    assertThat(report.count(Counters.REJECTED)).isEqualTo(backfill.count(Counters.REJECTED));
    assertThat(retrying(() -> lines(out, "rejected")))
        .hasSize((int) backfill.count(Counters.REJECTED));
    assertThat(folder.owner().orElseThrow().jobs()).containsExactly(run2.getJobID().toHexString());
  }

  @Test
  void anotherCommandOnTheSameCheckpointFolderIsRefusedWithExitCode2() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path otherIn = Files.createDirectories(tmp.resolve("other-in"));
    Path out = tmp.resolve("out");
    Path checkpoints = out.resolve(StreamRun.CHECKPOINTS);
    // The command line's defaults, watching `in`.
    JobClient run =
        start(Streams.watching(in).output(out).dedupHorizon(Duration.ofDays(90)).request());
    CheckpointFolder folder = new CheckpointFolder(checkpoints);
    await("a completed checkpoint", () -> folder.newestCompleted().isPresent());
    stop(run);
    String recorded = Files.readString(checkpoints.resolve(CheckpointFolder.COMMAND_FILE));

    StringWriter err = new StringWriter();
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    int code =
        commandLine.execute(
            "stream",
            "--watch",
            otherIn.toString(),
            "--output",
            out.toString(),
            "--checkpoint-dir",
            checkpoints.toString(),
            "--parallelism",
            "1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: checkpoint folder " + checkpoints)
        .contains("another stream command")
        .contains("watch: was " + in.toRealPath() + ", now " + otherIn.toRealPath())
        // Only what differs is named: parallelism and intervals are not part of a command's
        // identity.
        .doesNotContain("per_page")
        .doesNotContain("parallelism");
    assertThat(Files.readString(checkpoints.resolve(CheckpointFolder.COMMAND_FILE)))
        .isEqualTo(recorded);
  }
}
