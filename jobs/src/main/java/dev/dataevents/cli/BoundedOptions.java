package dev.dataevents.cli;

import dev.dataevents.io.InputFiles;
import dev.dataevents.io.PathOverlap;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.io.kafka.KafkaSnapshot;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.PipelineSettings;
import dev.dataevents.model.SourceKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of bounded runs (backfill, recompute): output, extra inputs, reference time,
 * duplicates, overwrite.
 */
final class BoundedOptions {
  @Option(
      names = "--as-of",
      paramLabel = "TIME",
      converter = Converters.UnixTime.class,
      description =
          "Reference time: Unix seconds, ISO-8601 (2026-11-01T00:00:00Z) or a date (2026-11-01,"
              + " midnight UTC). Ends the 90-day listing window and bounds --max-future. Default:"
              + " when the run starts (give it for repeatable output).")
  Long asOf;

  @Option(
      names = "--duplicates",
      description = "Also write each duplicate, with where its kept copy was read, to duplicates/.")
  boolean duplicates;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description =
          "Output folder, outside every input. An existing non-empty one is refused unless"
              + " --overwrite, and even then unless it is an earlier output of data-events.")
  Path output;

  @Option(
      names = "--summaries",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Imported summaries, merged into the computed ones (count added, min first, max last).")
  List<Path> summaries = new ArrayList<>();

  @Option(
      names = "--contacts",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Contacts directory: JSON lines with workspace_id, id, user_id, email and role (user or"
              + " lead). Events resolve to its contacts (key id:<directory id>); unknown ->"
              + " contact_not_found.")
  List<Path> contacts = new ArrayList<>();

  @Option(
      names = "--overwrite",
      description =
          "Replace an existing output folder, atomically on success; only an earlier output of"
              + " data-events (report.json and its subfolders of part files, nothing else).")
  boolean overwrite;

  @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

  /** The run's reference time: {@code --as-of}, else now (Unix seconds). */
  long referenceTime() {
    return asOf != null ? asOf : System.currentTimeMillis() / 1000;
  }

  /**
   * Refuses an output (or log file) that overlaps any input, before anything is read, created or
   * deleted.
   */
  void refuseOverlaps(String inputOption, List<Path> inputs, LoggingOptions logging) {
    new OverlapCheck()
        .reads(inputOption, inputs)
        .reads("--summaries", summaries)
        .reads("--contacts", contacts)
        .writes("--output", output)
        .writesFile("--log-file", logging.logFile)
        .check();
  }

  /** Adds the imported summaries and the directory to a run's files. */
  void addExtraInputs(InputFiles files) {
    addFiles(files, "--summaries", summaries, SourceKind.SUMMARIES);
    addFiles(files, "--contacts", contacts, SourceKind.CONTACTS);
  }

  /** Adds the files of an option's paths; a path refused is a usage error naming the option. */
  static void addFiles(InputFiles files, String option, List<Path> paths, SourceKind kind) {
    paths.forEach(path -> naming(option, () -> files.add(path, kind)));
  }

  /**
   * Adds the files under an option's path that {@code accept} takes (see {@link
   * InputFiles#add(Path, SourceKind, Predicate, String)}); a path refused is a usage error naming
   * the option.
   */
  static void addFiles(
      InputFiles files,
      String option,
      Path path,
      SourceKind kind,
      Predicate<Path> accept,
      String taken) {
    naming(option, () -> files.add(path, kind, accept, taken));
  }

  private static void naming(String option, Runnable add) {
    try {
      add.run();
    } catch (RefusedPathException e) {
      // picocli gives a list of paths every following word up to an option it knows, so an
      // option the command lacks arrives here as a path.
      String hint =
          e.getMessage().startsWith("no such file or folder: -")
              ? " (nor an option of this command: see its --help)"
              : "";
      throw new UsageException(option + ": " + e.getMessage() + hint);
    }
  }

  /**
   * Refuses a run that would read its own output through a link inside an input folder (links there
   * are followed): {@link #refuseOverlaps} judged only the paths given.
   */
  private void refuseReadingTheOutput(InputFiles files) {
    Path realOutput;
    try {
      realOutput = PathOverlap.realPath(output);
    } catch (java.io.IOException e) {
      throw new UsageException("--output: cannot resolve " + output + ": " + e.getMessage());
    }
    files
        .firstInside(realOutput)
        .ifPresent(
            read -> {
              throw new UsageException(
                  "--output "
                      + output
                      + " is read through a link: "
                      + read
                      + " lies inside it: outputs, checkpoints and logs must lie outside every"
                      + " input");
            });
  }

  /**
   * Runs the job on the console (on the embedded mini-cluster or the {@code target} cluster): one
   * line of errors, progress, a closing summary. Reads Kafka too (whose partitions {@code files}
   * holds) when {@code kafka} is not null.
   *
   * @param referenceTime {@link #referenceTime()}, taken when the command started
   */
  int run(
      RunTarget target,
      String command,
      InputFiles files,
      RecordOptions records,
      long referenceTime,
      boolean writeEvents,
      KafkaSnapshot kafka)
      throws Exception {
    addExtraInputs(files);
    refuseReadingTheOutput(files);
    int parallelism =
        records.parallelism != null
            ? target.checkParallelism(records.parallelism)
            : DefaultParallelism.bounded(
                Runtime.getRuntime().availableProcessors(), target, files.catalog(), kafka != null);
    PipelineSettings settings =
        new PipelineSettings(
            records.validation(referenceTime),
            records.perPage,
            parallelism,
            duplicates,
            records.maxLineBytes,
            null,
            !contacts.isEmpty());
    BoundedRun.Request request =
        new BoundedRun.Request(
            "data-events " + command,
            files.catalog(),
            output,
            overwrite,
            writeEvents,
            settings,
            kafka);
    return RunConsole.run(request, command, target, database.output());
  }
}
