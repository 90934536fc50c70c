package dev.dataevents.cli;

import dev.dataevents.job.PipelineSettings;
import dev.dataevents.validation.FieldRules;
import dev.dataevents.validation.ValidationSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every job shares: how records are validated and how many subtasks run. */
final class RecordOptions {
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
      converter = Converters.PerPage.class,
      description = "Events per listing page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
  int perPage;

  @Option(
      names = "--max-metadata-keys",
      paramLabel = "N",
      defaultValue = "" + ValidationSettings.DEFAULT_MAX_METADATA_KEYS,
      converter = Converters.MetadataKeys.class,
      description =
          "Metadata keys kept per event, first in sent order, 0 to 1000 (default: ${DEFAULT-VALUE}).")
  int maxMetadataKeys;

  @Option(
      names = "--max-future",
      paramLabel = "DURATION",
      defaultValue = "" + ValidationSettings.DEFAULT_MAX_FUTURE_SECONDS,
      converter = Converters.MaxFuture.class,
      description =
          "How far after the reference time created_at may be: seconds, or 30min, 24h, 2d; at"
              + " most 36500d (default: ${DEFAULT-VALUE} s).")
  long maxFuture;

  @Option(
      names = "--max-line-bytes",
      paramLabel = "N",
      defaultValue = "" + PipelineSettings.DEFAULT_MAX_LINE_BYTES,
      converter = Converters.LineBytes.class,
      description =
          "Longest line in bytes, 1024 (1 KiB) to 67108864 (64 MiB); longer ones are rejected"
              + " line_too_long (default: ${DEFAULT-VALUE}).")
  int maxLineBytes;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      converter = Converters.Parallelism.class,
      description =
          "Flink parallelism, 1 to 16 on the embedded mini-cluster, to 1024 on a cluster"
              + " (default: the number of cores, at most 16 on the embedded mini-cluster; one less"
              + " for a backfill or recompute on the embedded mini-cluster over less than 512 MiB"
              + " of uncompressed files and no Kafka input, where compiling and sorting keep a"
              + " core busy). Bounded outputs are byte-identical for the same input, options and"
              + " parallelism (report.json records it).")
  Integer parallelism;

  /**
   * Refuses values no run could use, as picocli parameter errors (one line, exit 2). The numeric
   * options are bounded by their converters.
   */
  void check(CommandLine cmd) {
    if (!FieldRules.isValidWorkspaceId(workspace)) {
      throw new CommandLine.ParameterException(
          cmd,
          "--workspace must be 1-64 characters of A-Z, a-z, 0-9, _ and -: '" + workspace + "'");
    }
  }

  ValidationSettings validation(long referenceTime) {
    return new ValidationSettings(workspace, referenceTime, maxFuture, maxMetadataKeys);
  }

  /**
   * The parallelism asked for (a usage error above what {@code target} runs), or the machine's
   * cores (a stream's default).
   */
  int parallelismOrCores(RunTarget target) {
    return parallelism != null
        ? target.checkParallelism(parallelism)
        : DefaultParallelism.cores(Runtime.getRuntime().availableProcessors());
  }
}
