package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.CheckpointFolders;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.StreamArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flink's log of a local run holds the cluster's and the job's own lines: it is where the console's
 * "Flink's log: FILE" sends a user whose job failed. Logging is configured once per process, by the
 * first logger asked for: a check that logged before the command chose the file left the stream's
 * log with a few lines of the RPC system and nothing of the job.
 */
class LogFileITCase {
  @TempDir Path tmp;

  @Test
  void aStreamAndItsReportLogTheClusterAndTheJobToTheirLogFiles() throws Exception {
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path log = tmp.resolve("stream.log");
    // Checkpoints elsewhere than the output: a check of that folder once initialised logging
    // before the log file was configured, and the job's log stopped after a few lines.
    Path checkpoints = tmp.resolve("checkpoints");
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick(
                "stream",
                "--watch",
                watch.toString(),
                "--output",
                tmp.resolve("out").toString(),
                "--checkpoint-dir",
                checkpoints.toString(),
                "--log-file",
                log.toString()))) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      // The checkpoint's folder is complete a moment before the JobManager logs it as completed:
      // stopped in between, the stream would never write that line.
      while (stream.isAlive()
          && !(CheckpointFolders.hasCompleted(checkpoints)
              && Files.exists(log)
              && Files.readString(log).contains("Completed checkpoint"))) {
        assertThat(System.nanoTime()).as(stream.output()).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      assertThat(stream.stderr()).contains("Flink's log: " + log);
      stream.stop(Duration.ofSeconds(30));
    }
    assertThat(Files.readString(log))
        .contains("Starting Flink Mini Cluster")
        .contains("Starting execution of job 'data-events stream'")
        .contains("Completed checkpoint");

    Path reportLog = tmp.resolve("report.log");
    LauncherProcess.Result report =
        LauncherProcess.run(
            tmp,
            "report",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--output",
            tmp.resolve("report").toString(),
            "--log-file",
            reportLog.toString());
    assertThat(report.exitCode()).as(report.stderr()).isZero();
    assertThat(Files.readString(reportLog))
        .contains("Starting Flink Mini Cluster")
        .contains("switched from RUNNING to FINISHED");
  }

  @Test
  void aBackfillLogsTheClusterAndTheJobToItsLogFile() throws Exception {
    Path in = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
    Path log = tmp.resolve("backfill.log");
    LauncherProcess.Result run =
        LauncherProcess.run(
            tmp,
            "backfill",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--log-file",
            log.toString());
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(Files.readString(log))
        .contains("Starting Flink Mini Cluster")
        .contains("Starting execution of job 'data-events backfill'")
        .contains("switched from RUNNING to FINISHED");
  }

  /**
   * A log rolls over into NAME.1 to NAME.3, deleting the oldest: a file of the user's under the
   * name, or under one of those, is refused before anything is written. A second run takes its own
   * earlier log again.
   */
  @Test
  void aFileOfTheUsersIsNeverTakenAsTheLogButAnEarlierLogIs() throws Exception {
    Path in = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
    Path notes = Files.writeString(tmp.resolve("notes.txt"), "my notes\n");
    Path rolled = Files.writeString(tmp.resolve("notes.txt.1"), "older notes\n");
    LauncherProcess.Result refused =
        LauncherProcess.run(
            tmp,
            "backfill",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--log-file",
            notes.toString());
    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
    assertThat(refused.stderr()).contains("--log-file: " + notes + " exists and is not a log");
    assertThat(Files.readString(notes)).isEqualTo("my notes\n");
    assertThat(Files.readString(rolled)).isEqualTo("older notes\n");
    assertThat(tmp.resolve("out")).doesNotExist();

    Path log = tmp.resolve("backfill.log");
    for (String output : new String[] {"first", "second"}) {
      LauncherProcess.Result run =
          LauncherProcess.run(
              tmp,
              "backfill",
              "--input",
              in.toString(),
              "--output",
              tmp.resolve(output).toString(),
              "--log-file",
              log.toString());
      assertThat(run.exitCode()).as(run.stderr()).isZero();
    }
    assertThat(Files.readString(log).split("Starting Flink Mini Cluster", -1)).hasSize(3);
  }

  /**
   * A run refused before it logs anything (an existing output without --overwrite) creates no log
   * file: a refusal leaves nothing behind, and an empty log named by --log-file was new.
   */
  @Test
  void aRefusedRunCreatesNoLogFile() throws Exception {
    Path in = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("mine.txt"), "mine\n");
    Path log = tmp.resolve("refused.log");
    LauncherProcess.Result refused =
        LauncherProcess.run(
            tmp,
            "backfill",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--log-file",
            log.toString());
    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
    // (The launcher may say first that it prepares its class-data archive for a new build.)
    assertThat(refused.stderr().lines().filter(l -> !l.startsWith("data-events: preparing")))
        .singleElement()
        .asString()
        .startsWith("error: --output:");
    assertThat(log).doesNotExist();
  }
}
