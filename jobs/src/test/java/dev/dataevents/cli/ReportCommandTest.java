package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.job.CheckpointFolder;
import dev.dataevents.job.CommandFingerprint;
import dev.dataevents.testing.FolderSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code report}'s refusals, which come before any checkpoint is read. */
class ReportCommandTest {
  @TempDir Path tmp;

  @Test
  void aReportIsNeverWrittenIntoTheStreamsWatchedFolder() throws Exception {
    // The stream would read report.json as input on its next listing.
    Path watched = Files.createDirectories(tmp.resolve("in"));
    Files.createDirectories(watched.resolve("sub"));
    Path checkpoints = Files.createDirectories(tmp.resolve("out/_checkpoints"));
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("watch", watched.toRealPath().toString());
    new CheckpointFolder(checkpoints).claim(new CommandFingerprint(command), new JobID());
    Map<String, String> before = FolderSnapshot.of(watched);

    StringWriter err = new StringWriter();
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    int code =
        commandLine.execute(
            "report",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--output",
            watched.resolve("sub").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "error: --output "
                + watched.resolve("sub")
                + " lies inside the stream's --watch "
                + watched.toRealPath());
    assertThat(FolderSnapshot.of(watched)).isEqualTo(before);
  }
}
