package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.StreamMarker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code latest} says of a path that is no folder of snapshots: one line, exit 2. */
class LatestCommandTest {
  @TempDir Path tmp;

  private String run(Path path, int expectedExit) {
    CommandLine commandLine = DataEventsCommand.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    assertThat(commandLine.execute("latest", path.toString())).isEqualTo(expectedExit);
    return err.toString();
  }

  @Test
  void aMissingFolderAndAFileAreUsageErrorsSayingWhich() throws Exception {
    assertThat(run(tmp.resolve("gone"), 2))
        .isEqualTo("error: no such folder: " + tmp.resolve("gone") + "\n");
    Path file = Files.writeString(tmp.resolve("a.jsonl"), "{}\n");
    assertThat(run(file, 2))
        .isEqualTo(
            "error: "
                + file
                + " is not a folder (give a summaries/ or listings/ folder of a stream)\n");
  }

  @Test
  void aStreamsOutputFolderIsRefusedNamingTheFoldersToGive() throws Exception {
    Path output = tmp.resolve("live");
    Files.createDirectories(output.resolve("summaries"));
    Files.createDirectories(output.resolve("listings"));
    Files.createDirectories(output.resolve("events"));
    Files.writeString(output.resolve("events").resolve("part-1-0.jsonl"), "{\"a\":1}\n");
    StreamMarker.mark(output);
    assertThat(run(output, 2))
        .isEqualTo(
            "error: "
                + output
                + " is a stream's output folder: give its summaries/ or listings/ folder ("
                + output.resolve("summaries")
                + ")\n");
  }

  @Test
  void aBackfillsOutputFolderIsSaidToBeNoStreams() throws Exception {
    Path output = tmp.resolve("backfill");
    Files.createDirectories(output.resolve("summaries"));
    Files.writeString(output.resolve("report.json"), "{}\n");
    assertThat(run(output, 2))
        .isEqualTo(
            "error: "
                + output
                + " is not a stream's output: latest reads a stream's snapshots (a backfill's or"
                + " recompute's summaries/ and listings/ hold one final record per contact"
                + " already)\n");
  }
}
