package dev.dataevents.cli;

import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.CheckpointFolder;
import dev.dataevents.job.EmbeddedClusterNetwork;
import dev.dataevents.job.StreamReport;
import dev.dataevents.reporting.CheckpointReport;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report}: a stream's report.json from its checkpoints, wherever the stream ran (its own
 * report writer needs the stream's client to be running).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Writes a stream's report.json from its newest completed checkpoint.",
      "",
      "The counts are read from the state the stream's operators keep in that checkpoint (the"
          + " checkpoint the stream command would resume from), so they match the outputs"
          + " committed with it. The checkpoint is only read.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the checkpoint could not be read", "2:wrong options or inputs"})
public final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--checkpoint-dir",
      required = true,
      paramLabel = "DIR",
      description =
          "The stream's checkpoint folder (its --checkpoint-dir; by default _checkpoints in its"
              + " --output).")
  Path checkpointDir;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Where report.json goes: a new or empty folder, or a stream's output, such as this"
              + " stream's own (never a backfill's or recompute's: its report.json is its own).")
  Path output;

  @CommandLine.Mixin LoggingOptions logging = new LoggingOptions();

  @Override
  public Integer call() throws Exception {
    CheckpointFolder folder = new CheckpointFolder(checkpointDir);
    if (!Files.isDirectory(checkpointDir)) {
      throw new UsageException(
          (Files.exists(checkpointDir)
                  ? "--checkpoint-dir: not a folder: "
                  : "--checkpoint-dir: no such folder: ")
              + checkpointDir);
    }
    if (folder.owner().isEmpty()) {
      throw new UsageException(
          "--checkpoint-dir "
              + checkpointDir
              + " is not a stream's checkpoint folder (it has no "
              + CheckpointFolder.COMMAND_FILE
              + ")");
    }
    // The output may hold the checkpoint folder (a stream's default), never lie inside it; nor
    // inside what the stream reads, which would read report.json as input on its next listing.
    Map<String, Object> stream = folder.owner().get().command().values();
    new OverlapCheck()
        .restores("--checkpoint-dir", checkpointDir)
        .reads("the stream's --watch", recordedPath(stream.get("watch")))
        .reads("the stream's --contacts", recordedPath(stream.get("contacts")))
        .writes("--output", output)
        .writesFile("--log-file", logging.logFile)
        .check();
    // Before OutputFolder, which logs: log4j takes its configuration from the first logger.
    logging.configure("report");
    try {
      OutputFolder.checkReusable(output, BoundedRun.LAYOUT);
    } catch (RefusedPathException e) {
      throw new UsageException("--output: " + e.getMessage());
    }
    PrintStream err = System.err;
    List<String> skipped = new ArrayList<>();
    Optional<Path> newest =
        folder.newestRestorable(
            warning -> {
              skipped.add(warning);
              err.println("warning: " + warning);
            });
    if (newest.isEmpty() && !skipped.isEmpty()) {
      // Checkpoints are there but none can be read (damaged, or of another Flink version): the
      // checkpoint cannot be read, exit 1, not an option to fix.
      err.println(
          "error: no completed checkpoint in --checkpoint-dir "
              + checkpointDir
              + " can be read ("
              + skipped.size()
              + " skipped, above)");
      return DataEventsCommand.EXIT_FAILED;
    }
    Path checkpoint =
        newest.orElseThrow(
            () ->
                new UsageException(
                    "--checkpoint-dir " + checkpointDir + " holds no completed checkpoint"));
    // The report's job runs on an embedded mini-cluster of its own, wherever the stream runs.
    Configuration cluster = EmbeddedClusterNetwork.loopbackOnly(new Configuration());
    EmbeddedClusterFolder.use(cluster);
    RunReport report =
        StreamReport.write(folder, checkpoint, output, CheckpointReport.Reader.batchJob(cluster));
    err.printf(
        Locale.ROOT,
        "report: %s as of %s: %,d records: %,d accepted, %,d duplicates, %,d rejected%n",
        output.resolve(BoundedRun.REPORT),
        checkpoint,
        report.count(Counters.INPUT_RECORDS),
        report.count(Counters.ACCEPTED),
        report.count(Counters.DUPLICATES),
        report.count(Counters.REJECTED));
    return 0;
  }

  /** A path the stream's command recorded (a real path), or null. */
  private static Path recordedPath(Object recorded) {
    return recorded instanceof String path ? Path.of(path) : null;
  }
}
