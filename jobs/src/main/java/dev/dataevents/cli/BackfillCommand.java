package dev.dataevents.cli;

import dev.dataevents.io.InputFiles;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.PipelineSettings;
import dev.dataevents.model.SourceKind;
import dev.dataevents.validation.FieldRules;
import dev.dataevents.validation.ValidationSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backfill}: historical exports in, validated and deduplicated outputs out (BATCH). */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Reads JSON Lines files of events (gzip or not) in Flink BATCH mode and writes to --output:",
      "  events/     accepted events, canonical and re-readable as input",
      "  summaries/  one event.summary per contact (count, first, last per event name)",
      "  listings/   event.list pages of each contact's events of the 90 days before --as-of",
      "  rejected/   one rejection per bad record, with its reason, source, line and raw text",
      "  duplicates/ with --duplicates only",
      "  report.json the run's counts (input_records = accepted + duplicates + rejected)",
      "Output is staged and moved into place only when the job succeeds.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the job failed (the output folder is left as it was)",
      "2:wrong options, missing input or an existing output"
    })
public final class BackfillCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = {
        "Event files or folders (read recursively for *.jsonl, *.json, *.ndjson, also .gz;",
        "names starting with . or _ are skipped). Repeatable."
      })
  List<Path> inputs = new ArrayList<>();

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Output folder; refused when it exists and is not empty, unless --overwrite.")
  Path output;

  @Option(
      names = "--summaries",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Imported summaries, merged into the computed ones (count added, min first, max last).")
  List<Path> summaries = new ArrayList<>();

  @Option(
      names = "--as-of",
      paramLabel = "TIME",
      converter = Converters.UnixTime.class,
      description = {
        "Reference time: Unix seconds or ISO-8601 (2026-11-01T00:00:00Z). Ends the 90-day listing",
        "window and bounds --max-future. Default: when the run starts (give it for repeatable output)."
      })
  Long asOf;

  @Option(
      names = "--workspace",
      paramLabel = "ID",
      defaultValue = ValidationSettings.DEFAULT_WORKSPACE,
      description = "Workspace of events that name none (default: ${DEFAULT-VALUE}).")
  String workspace;

  @Option(
      names = "--per-page",
      paramLabel = "N",
      defaultValue = "" + PipelineSettings.DEFAULT_PER_PAGE,
      description = "Events per listing page (default: ${DEFAULT-VALUE}).")
  int perPage;

  @Option(
      names = "--max-metadata-keys",
      paramLabel = "N",
      defaultValue = "" + ValidationSettings.DEFAULT_MAX_METADATA_KEYS,
      description =
          "Metadata keys kept per event, first in sent order (default: ${DEFAULT-VALUE}).")
  int maxMetadataKeys;

  @Option(
      names = "--max-future",
      paramLabel = "DURATION",
      defaultValue = "" + ValidationSettings.DEFAULT_MAX_FUTURE_SECONDS,
      converter = Converters.Seconds.class,
      description = {
        "How far after the reference time created_at may be: seconds, or 30min, 24h, 2d",
        "(default: ${DEFAULT-VALUE} s)."
      })
  long maxFuture;

  @Option(
      names = "--max-line-bytes",
      paramLabel = "N",
      defaultValue = "" + PipelineSettings.DEFAULT_MAX_LINE_BYTES,
      description =
          "Longest line in bytes; longer ones are rejected line_too_long (default: ${DEFAULT-VALUE}).")
  int maxLineBytes;

  @Option(
      names = "--duplicates",
      description = "Also write each duplicate, with where its kept copy was read, to duplicates/.")
  boolean duplicates;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description =
          "Flink parallelism (default: the number of cores). Outputs are byte-identical for the same input, options and parallelism.")
  Integer parallelism;

  @Option(
      names = "--overwrite",
      description = "Replace an existing output folder, atomically on success.")
  boolean overwrite;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show Flink's logs on stderr instead of writing them to a log file.")
  boolean verbose;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      description =
          "Where Flink's logs go on a local run (default: a new file under the temporary folder).")
  Path logFile;

  @Override
  public Integer call() throws Exception {
    checkOptions();
    ConsoleLogging.configure(verbose, logFile, "backfill");
    long referenceTime = asOf != null ? asOf : System.currentTimeMillis() / 1000;
    int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();

    InputFiles files = new InputFiles();
    inputs.forEach(path -> files.add(path, SourceKind.EVENTS, "--input"));
    summaries.forEach(path -> files.add(path, SourceKind.SUMMARIES, "--summaries"));

    PipelineSettings settings =
        new PipelineSettings(
            new ValidationSettings(workspace, referenceTime, maxFuture, maxMetadataKeys),
            perPage,
            p,
            duplicates,
            maxLineBytes,
            null);
    BoundedRun.Request request =
        new BoundedRun.Request(
            "data-events backfill", files.catalog(), output, overwrite, true, settings);
    return RunConsole.run(request, "backfill");
  }

  private void checkOptions() {
    CommandLine cmd = spec.commandLine();
    if (!FieldRules.isValidWorkspaceId(workspace)) {
      throw new CommandLine.ParameterException(
          cmd,
          "--workspace must be 1-64 characters of A-Z, a-z, 0-9, _ and -: '" + workspace + "'");
    }
    positive(perPage, "--per-page");
    positive(maxLineBytes, "--max-line-bytes");
    if (maxMetadataKeys < 0) {
      throw new CommandLine.ParameterException(cmd, "--max-metadata-keys must be 0 or more");
    }
    if (parallelism != null) {
      positive(parallelism, "--parallelism");
    }
  }

  private void positive(int value, String option) {
    if (value < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be 1 or more");
    }
  }
}
