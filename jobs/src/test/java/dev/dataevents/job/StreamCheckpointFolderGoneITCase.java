package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.OutputFolder;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.CheckpointFolders;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream whose checkpoint folder is deleted while it runs (the output folder with the default
 * layout, a cleanup script) goes on committing its outputs: its report.json and a later restart
 * must follow it, not stop at the last checkpoint before the folder went.
 */
class StreamCheckpointFolderGoneITCase {
  @TempDir Path tmp;

  @Test
  void theReportFollowsTheStreamAfterItsCheckpointFolderWasDeleted() throws Exception {
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path output = tmp.resolve("out");
    Path checkpoints = output.resolve(StreamRun.CHECKPOINTS);
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick(
                "stream", "--watch", watch.toString(), "--output", output.toString()))) {
      awaitCheckpoint(stream, checkpoints);
      moveIn(staging, watch, "a.jsonl", 0);
      awaitReport(stream, output, n -> n == 10);

      deleteWhileWritten(output);
      moveIn(staging, watch, "b.jsonl", 10);
      awaitReport(stream, output, n -> n == 20);
      assertThat(checkpoints.resolve(CheckpointFolder.COMMAND_FILE)).exists();
      assertThat(stream.stderr()).doesNotContain("error");
      stream.stop(Duration.ofSeconds(30));
    }
  }

  /** rm -rf of a folder the stream writes into meanwhile: a file may go before it is deleted. */
  private static void deleteWhileWritten(Path folder) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        OutputFolder.deleteRecursively(folder);
        return;
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static void moveIn(Path staging, Path watch, String name, int from) throws Exception {
    StringBuilder lines = new StringBuilder();
    long now = System.currentTimeMillis() / 1000;
    for (int i = from; i < from + 10; i++) {
      lines.append(
          "{\"workspace_id\":\"ws_1\",\"event_name\":\"e\",\"created_at\":"
              + (now - 3600 - i)
              + ",\"user_id\":\"u"
              + i
              + "\"}\n");
    }
    Files.move(Files.writeString(staging.resolve(name), lines), watch.resolve(name));
  }

  private static void awaitCheckpoint(LauncherProcess stream, Path checkpoints) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!CheckpointFolders.hasCompleted(checkpoints)) {
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      assertThat(System.nanoTime()).as(stream.output()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits for report.json's accepted count to satisfy {@code wanted}. */
  private static void awaitReport(LauncherProcess stream, Path output, LongPredicate wanted)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long accepted = -1;
    while (System.nanoTime() < deadline) {
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      RunReport report = ReportFiles.read(output).orElse(null);
      if (report != null) {
        accepted = report.count(Counters.ACCEPTED);
        if (wanted.test(accepted)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    assertThat(accepted).as("accepted in report.json; " + stream.output()).matches(wanted::test);
  }
}
