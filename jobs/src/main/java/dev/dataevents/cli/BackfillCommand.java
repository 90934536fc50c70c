package dev.dataevents.cli;

import dev.dataevents.io.InputFiles;
import dev.dataevents.io.kafka.KafkaPartitions;
import dev.dataevents.io.kafka.KafkaSnapshot;
import dev.dataevents.model.SourceKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code backfill}: historical exports in, validated and deduplicated outputs out (BATCH). */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Validates, deduplicates and summarizes files of events (BATCH).",
      "",
      "Reads JSON Lines files of events (gzip or not) in Flink BATCH mode and writes to --output:",
      "  events/      accepted events, canonical and re-readable as input",
      "  summaries/   one event.summary per contact (count, first, last per event name)",
      "  listings/    event.list pages of each contact's last 90 days (up to --as-of)",
      "  rejected/    each bad record with its reason, source, line and raw text",
      "  duplicates/  each duplicate and where its kept copy was read (--duplicates)",
      "  report.json  the counts: input_records = accepted + duplicates + rejected",
      "",
      "Output is staged and moved into place only when the job succeeds. It must lie outside every"
          + " input; --overwrite replaces only an earlier output of data-events, never another"
          + " folder.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:the job failed (the output folder is left as it was)",
      "2:wrong options, missing input, an output that overlaps an input, or an existing output",
      "130:stopped with Ctrl-C (143 when stopped with kill); the output folder is left as it was"
    })
public final class BackfillCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      arity = "1..*",
      paramLabel = "PATH",
      description =
          "Event files, or folders read recursively for files named *.jsonl, *.json or *.ndjson"
              + " (also .gz), skipping names that start with . or _. Repeatable. Required"
              + " unless --kafka is given.")
  List<Path> inputs = new ArrayList<>();

  @ArgGroup(
      exclusive = false,
      heading =
          "%nKafka (the records the topics hold when the run starts; with or instead of --input):%n")
  KafkaOptions kafka;

  @CommandLine.Mixin BoundedOptions bounded = new BoundedOptions();

  @CommandLine.Mixin RecordOptions records = new RecordOptions();

  @CommandLine.Mixin RunTargetOptions where = new RunTargetOptions();

  @CommandLine.Mixin LoggingOptions logging = new LoggingOptions();

  @Override
  public Integer call() throws Exception {
    records.check(spec.commandLine());
    RunTarget target = where.target();
    if (inputs.isEmpty() && kafka == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--input=PATH' (or --kafka and --topic)");
    }
    bounded.refuseOverlaps("--input", inputs, logging);
    logging.configure("backfill");
    long referenceTime = bounded.referenceTime(); // the run's start, before Kafka's offsets

    InputFiles files = new InputFiles();
    BoundedOptions.addFiles(files, "--input", inputs, SourceKind.EVENTS);
    KafkaSnapshot snapshot = null;
    if (kafka != null) {
      snapshot = kafka.snapshot();
      snapshot
          .partitions()
          .forEach(p -> files.add(KafkaPartitions.inputFile(p.topic(), p.partition())));
    }
    return bounded.run(target, "backfill", files, records, referenceTime, true, snapshot);
  }
}
