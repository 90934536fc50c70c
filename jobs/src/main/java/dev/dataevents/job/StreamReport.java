package dev.dataevents.job;

import dev.dataevents.io.AtomicFiles;
import dev.dataevents.io.FlinkPaths;
import dev.dataevents.io.StreamMarker;
import dev.dataevents.reporting.CheckpointReport;
import dev.dataevents.reporting.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's report.json: the counts as of a completed checkpoint of the stream command that owns a
 * checkpoint folder ({@link CheckpointFolder}), read from the checkpointed state of the counting
 * operators ({@link Topology#COUNTING_UIDS}, {@link CheckpointReport}). An aligned checkpoint is a
 * consistent cut of the stream, so these counts match the outputs committed with it and {@code
 * input_records == accepted + duplicates + rejected} holds; they go on across restarts, as the
 * state does.
 *
 * <p>{@code started_at} is when the job that took the checkpoint started (recorded in the folder),
 * so the same checkpoint always gives the same report, whoever reads it.
 */
public final class StreamReport implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamReport.class);

  /** How often a followed folder is looked at for a new completed checkpoint (a listing). */
  static final Duration POLL = Duration.ofSeconds(1);

  private final CheckpointFolder folder;
  private final Path output;

  /** The checkpoint folder's record when following began: this run's, written again if gone. */
  private CheckpointFolder.Owner record;

  private final ScheduledExecutorService executor;
  private Path reported;
  private int failuresInARow;
  private volatile RunReport latest;

  private StreamReport(CheckpointFolder folder, Path output) {
    this.folder = folder;
    this.output = output;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "data-events-report");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Writes {@code report.json} into {@code output} (atomically) as of the newest completed
   * checkpoint; returns the report, or empty (and writes nothing) when there is no checkpoint yet.
   */
  public static Optional<RunReport> write(
      Path checkpointDir, Path output, CheckpointReport.Reader reader) throws Exception {
    CheckpointFolder folder = new CheckpointFolder(checkpointDir);
    Optional<Path> newest = folder.newestCompleted();
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(write(folder, newest.get(), output, reader));
  }

  /**
   * Writes {@code report.json} into {@code output} (atomically) as of {@code checkpoint}, a
   * completed checkpoint of a job recorded in {@code folder}; returns the report.
   */
  public static RunReport write(
      CheckpointFolder folder, Path checkpoint, Path output, CheckpointReport.Reader reader)
      throws Exception {
    String job = checkpoint.getParent().getFileName().toString();
    Long startedAt = folder.owner().map(o -> o.startedAt().get(job)).orElse(null);
    RunReport report =
        CheckpointReport.read(
            FlinkPaths.text(checkpoint), Topology.COUNTING_UIDS, startedAt, reader);
    writeReport(report, output);
    return report;
  }

  /**
   * Keeps {@code report.json} in {@code output} following the newest completed checkpoint until
   * closed: every second the folder is looked at, and a checkpoint newer than the one reported is
   * read in this process (a few milliseconds: {@link CheckpointReport.Reader#IN_PROCESS}). Each
   * round also removes the job folders of earlier runs once the newest has a restorable checkpoint
   * ({@link CheckpointFolder#removeEarlierJobs}).
   */
  public static StreamReport follow(Path checkpointDir, Path output) {
    StreamReport report = new StreamReport(new CheckpointFolder(checkpointDir), output);
    report.executor.scheduleWithFixedDelay(
        report::round, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return report;
  }

  private void round() {
    try {
      restoreWhatWasDeleted();
      folder.removeEarlierJobs(warning -> LOG.warn("{}", warning));
      Optional<Path> newest = folder.newestCompleted();
      if (newest.isEmpty() || Objects.equals(newest.get(), reported)) {
        return;
      }
      latest = write(folder, newest.get(), output, CheckpointReport.Reader.IN_PROCESS);
      reported = newest.get();
      failuresInARow = 0;
    } catch (Exception | LinkageError e) {
      // Flink may have subsumed (deleted) the checkpoint before it was read: the next round reads
      // a newer one. A report is never half-written (atomic rename). Only a lasting failure is
      // worth a warning.
      if (++failuresInARow == 3) {
        LOG.warn("report.json could not be updated three times in a row; still trying", e);
      } else {
        LOG.debug("report.json not updated this round", e);
      }
    }
  }

  /**
   * Puts back what this stream keeps beside its outputs when someone deleted it while the stream
   * ran (its checkpoint folder, the output folder with the default layout): the checkpoint folder's
   * record, else the job's next checkpoints are neither reported nor resumed, and the output's
   * stream marker. Flink itself writes the next checkpoint into the folder again.
   */
  private void restoreWhatWasDeleted() throws IOException {
    Optional<CheckpointFolder.Owner> current = Optional.empty();
    try {
      current = folder.owner();
    } catch (RuntimeException e) {
      // A damaged record: left as it is (the restart says what is wrong with it).
    }
    if (current.isPresent()) {
      // The running job is the last recorded: only it is written back (the folders of earlier
      // runs went with the folder).
      record = current.get().latestJobOnly().orElse(null);
    } else if (record != null && folder.recordAgainIfGone(record)) {
      LOG.warn(
          "{} was gone (its folder deleted while the stream ran?): written again, so that"
              + " report.json and a restart follow this run's next checkpoints",
          CheckpointFolder.COMMAND_FILE);
    }
    if (Files.isDirectory(output) && !Files.exists(output.resolve(StreamMarker.NAME))) {
      StreamMarker.mark(output);
    }
  }

  /** The report last written: the counts of the newest completed checkpoint; empty before one. */
  public Optional<RunReport> latest() {
    return Optional.ofNullable(latest);
  }

  /** Stops following; a report being written is finished first. */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(1, TimeUnit.MINUTES);
  }

  /**
   * Replaces {@code output}'s report.json in one rename ({@link AtomicFiles}): it may be read as
   * the other outputs are.
   */
  static void writeReport(RunReport report, Path output) throws IOException {
    Files.createDirectories(output);
    AtomicFiles.replace(output.resolve(BoundedRun.REPORT), report.toJson() + "\n");
  }
}
