package dev.dataevents.cli;

import dev.dataevents.io.InputFiles;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recompute}: summaries and listings rebuilt from earlier {@code events/} outputs (BATCH),
 * for a scheduler: atomic replacement, exit codes, repeatable output.
 */
@Command(
    name = "recompute",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Rebuilds summaries and listings from earlier runs' events (BATCH).",
      "",
      "Reads the events/ outputs of earlier runs (backfills and streams) in Flink BATCH mode."
          + " Archives may overlap: an event in several counts once (the copy read first, by"
          + " path then line, is kept). Writes summaries/, listings/, rejected/ and report.json"
          + " (no events/) to --output, and duplicates/ (an event in several archives) with"
          + " --duplicates. With a backfill's own --as-of it rebuilds the summaries and listings"
          + " of that backfill's events.",
      "",
      "Output is staged and moved into place only when the job succeeds (with --overwrite,"
          + " replacing the old output atomically), so readers never see a mix. Same inputs and"
          + " --as-of: same bytes. The output must lie outside every archive; --overwrite replaces"
          + " only an earlier output.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the job failed (the output folder is left as it was)",
      "2:wrong options, missing input, an output that overlaps an input, or an existing output",
      "130:stopped with Ctrl-C (143 when stopped with kill); the output folder is left as it was"
    })
public final class RecomputeCommand implements Callable<Integer> {
  private static final String EVENTS = BoundedRun.EVENTS;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--archive",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "A file, or a folder whose files inside events/ folders are read: an earlier run's"
              + " output, a folder of many runs, or an events/ folder; repeatable; overlaps count once.")
  List<Path> archives = new ArrayList<>();

  @CommandLine.Mixin BoundedOptions bounded = new BoundedOptions();

  @CommandLine.Mixin RecordOptions records = new RecordOptions();

  @CommandLine.Mixin RunTargetOptions where = new RunTargetOptions();

  @CommandLine.Mixin LoggingOptions logging = new LoggingOptions();

  @Override
  public Integer call() throws Exception {
    records.check(spec.commandLine());
    RunTarget target = where.target();
    bounded.refuseOverlaps("--archive", archives, logging);
    logging.configure("recompute");
    long referenceTime = bounded.referenceTime();

    InputFiles files = new InputFiles();
    // Only files inside an events/ folder are archives: a run's output folder, or a folder of
    // many runs, also holds summaries/, listings/ and rejected/, which are no events.
    archives.forEach(
        root ->
            BoundedOptions.addFiles(
                files,
                "--archive",
                root,
                SourceKind.EVENTS,
                relative -> inEventsFolder(root, relative),
                "inside an events/ folder"));
    return bounded.run(target, "recompute", files, records, referenceTime, false, null);
  }

  /**
   * Whether a file found under an archive root is an archived event, judged on its path relative to
   * the root (where the archive is kept, say under a folder that happens to be called events,
   * decides nothing): a folder named {@code events} on the way down to it, or the root itself is an
   * {@code events/} folder holding it directly (an earlier output's events/ given as root).
   */
  static boolean inEventsFolder(Path root, Path relative) {
    Path folders = relative.getParent();
    if (folders == null) {
      return EVENTS.equals(rootName(root));
    }
    for (Path part : folders) {
      if (EVENTS.equals(part.toString())) {
        return true;
      }
    }
    return false;
  }

  private static String rootName(Path root) {
    Path real;
    try {
      real = root.toRealPath();
    } catch (IOException e) {
      real = root.toAbsolutePath().normalize();
    }
    return real.getFileName() == null ? "" : real.getFileName().toString();
  }
}
