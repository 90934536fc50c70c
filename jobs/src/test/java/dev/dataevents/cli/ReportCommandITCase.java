package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.FolderSnapshot;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.Schemas;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code report} as users run it: on the checkpoint folder of a stream that was stopped, it writes
 * the report.json the stream itself wrote, from the checkpointed state alone.
 */
class ReportCommandITCase {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void theReportOfAStoppedStreamsCheckpointsHasTheCountsOfTheStreamsOwnReport() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = work.resolve("out");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Path staged = tmp.resolve("events.jsonl");
    EventGenerator generated = EventGenerator.write(staged, 1500, 31);
    Files.writeString(
        staged,
        "not json\n\n{\"event_name\":\"x\"}\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    long inputRecords = generated.lines + 2;

    Process stream =
        CommandProcess.start(
            work,
            scratch,
            scratch.resolve("stream.out"),
            scratch.resolve("stream.err"),
            "stream",
            "--watch",
            in.toString(),
            "--output",
            out.toString(),
            "--checkpoint-interval",
            "300ms",
            "--emit-interval",
            "300ms",
            "--parallelism",
            "2",
            "--dedup-horizon",
            "3650d",
            "--max-future",
            "3650d");
    RunReport streamReport;
    try {
      Files.move(staged, in.resolve("events.jsonl"), StandardCopyOption.ATOMIC_MOVE);
      streamReport = awaitReport(out, inputRecords, stream, scratch);
    } finally {
      CommandProcess.kill(stream);
    }
    String streamJson = Files.readString(out.resolve("report.json"), StandardCharsets.UTF_8);
    assertThat(streamReport.balanced()).isTrue();
    assertThat(streamReport.count(Counters.ACCEPTED)).isEqualTo(generated.identities.size());
    assertThat(streamReport.count(Counters.DUPLICATES)).isEqualTo(generated.duplicates);
    assertThat(streamReport.count(Counters.REJECTED)).isEqualTo(generated.bad + 2);

    // Into a new folder: the same counts as the stream's report.json.
    Path again = work.resolve("again");
    CommandProcess.Result result =
        CommandProcess.run(
            work,
            scratch,
            "report",
            "--checkpoint-dir",
            out.resolve("_checkpoints").toString(),
            "--output",
            again.toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("report: ", String.format("%,d records", inputRecords));
    String reportJson = Files.readString(again.resolve("report.json"), StandardCharsets.UTF_8);
    Schemas.assertValid("report.schema.json", reportJson);
    assertThat(withoutCheckpointTimes(reportJson)).isEqualTo(withoutCheckpointTimes(streamJson));
    try (var files = Files.list(again)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.json");
    }

    // Into the stream's own output, which holds the checkpoint folder: allowed, nothing else
    // changes.
    var before = FolderSnapshot.of(out.resolve("events"));
    CommandProcess.Result own =
        CommandProcess.run(
            work,
            scratch,
            "report",
            "--checkpoint-dir",
            out.resolve("_checkpoints").toString(),
            "--output",
            out.toString());
    assertThat(own.exitCode()).as(own.stderr()).isZero();
    assertThat(ReportFiles.read(out).orElseThrow().count(Counters.INPUT_RECORDS))
        .isEqualTo(inputRecords);
    assertThat(FolderSnapshot.of(out.resolve("events"))).isEqualTo(before);

    // Checkpoints that are there but cannot be read: the job's failure (exit 1), not a usage
    // error, and said so.
    try (var metadata = Files.walk(out.resolve("_checkpoints"))) {
      for (Path file : metadata.filter(p -> p.endsWith("_metadata")).toList()) {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, Math.min(50, bytes.length)));
      }
    }
    CommandProcess.Result damaged =
        CommandProcess.run(
            work,
            scratch,
            "report",
            "--checkpoint-dir",
            out.resolve("_checkpoints").toString(),
            "--output",
            work.resolve("from-damaged").toString());
    assertThat(damaged.exitCode()).as(damaged.stderr()).isEqualTo(1);
    assertThat(damaged.stderr())
        .contains("warning: skipped checkpoint")
        .contains("error: no completed checkpoint in --checkpoint-dir")
        .contains("can be read");
    assertThat(work.resolve("from-damaged")).doesNotExist();
  }

  @Test
  void aFolderThatIsNoStreamsCheckpointFolderIsRefusedWithExitCode2() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path notCheckpoints = Files.createDirectories(work.resolve("not-checkpoints"));
    Files.writeString(notCheckpoints.resolve("notes.txt"), "mine");
    var before = FolderSnapshot.of(work);

    CommandProcess.Result result =
        CommandProcess.run(
            work,
            tmp.resolve("scratch"),
            "report",
            "--checkpoint-dir",
            notCheckpoints.toString(),
            "--output",
            work.resolve("out").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines())
        .singleElement()
        .asString()
        .startsWith("error: --checkpoint-dir")
        .contains("_stream-command.json");
    assertThat(FolderSnapshot.of(work)).isEqualTo(before);
  }

  @Test
  void helpNamesEveryOptionAndTheCommandListSaysWhatReportDoesInOneLine() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    assertThat(commandLine.execute("report", "--help")).isZero();
    assertThat(out.toString())
        .contains("--checkpoint-dir", "--output", "--verbose", "--log-file", "Exit codes");

    out.getBuffer().setLength(0);
    assertThat(commandLine.execute("--help")).isZero();
    assertThat(out.toString().lines().filter(l -> l.trim().startsWith("report ")))
        .singleElement()
        .asString()
        .contains("Writes a stream's report.json from its newest completed checkpoint");
  }

  /** The stream's report.json once it counts {@code inputRecords}. */
  private static RunReport awaitReport(Path out, long inputRecords, Process stream, Path scratch)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<RunReport> report = ReportFiles.read(out);
      if (report.isPresent() && report.get().count(Counters.INPUT_RECORDS) == inputRecords) {
        return awaitSettled(out, report.get(), deadline);
      }
      assertThat(stream.isAlive())
          .as("the stream runs: %s", Files.readString(scratch.resolve("stream.err")))
          .isTrue();
      Thread.sleep(200);
    }
    throw new AssertionError(
        "the stream's report.json did not count "
            + inputRecords
            + " records within "
            + DEADLINE
            + ": "
            + ReportFiles.read(out));
  }

  /**
   * The report once snapshots stop changing it: after the last record is counted, emit timers still
   * write summaries and listings for a while, and the stream's report follows the checkpoints a
   * poll behind. Only a report that several checkpoints (300 ms apart) left unchanged is the one
   * the newest checkpoint at the kill also holds.
   */
  private static RunReport awaitSettled(Path out, RunReport first, long deadline) throws Exception {
    String last = withoutCheckpointTimes(first.toJson());
    long stableSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(200);
      Optional<RunReport> now = ReportFiles.read(out);
      if (now.isEmpty()) {
        continue;
      }
      String json = withoutCheckpointTimes(now.get().toJson());
      if (!json.equals(last)) {
        last = json;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
        return now.get();
      }
    }
    throw new AssertionError("the stream's report.json did not settle: " + last);
  }

  /**
   * A report without what tells its checkpoint apart: later checkpoints of a stream that has read
   * everything hold the same counts, with a later time.
   */
  private static String withoutCheckpointTimes(String json) throws Exception {
    ObjectNode node = (ObjectNode) Json.mapper().readTree(json);
    node.remove(List.of("reference_time", "finished_at", "elapsed_ms"));
    return node.toString();
  }
}
