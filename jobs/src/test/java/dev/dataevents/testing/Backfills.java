package dev.dataevents.testing;

import dev.dataevents.io.InputFiles;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.PipelineSettings;
import dev.dataevents.model.SourceKind;
import dev.dataevents.reporting.RunReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/** Runs backfills from tests, with the command line's defaults unless told otherwise. */
public final class Backfills {
  private final List<Path> inputs = new ArrayList<>();
  private final List<Path> summaries = new ArrayList<>();
  private final List<Path> contacts = new ArrayList<>();
  private long asOf = Records.AS_OF;
  private int parallelism = 2;
  private int perPage = PipelineSettings.DEFAULT_PER_PAGE;
  private boolean duplicates;
  private boolean overwrite;

  public static Backfills of(Path... inputs) {
    Backfills b = new Backfills();
    b.inputs.addAll(List.of(inputs));
    return b;
  }

  public Backfills summaries(Path path) {
    summaries.add(path);
    return this;
  }

  public Backfills contacts(Path path) {
    contacts.add(path);
    return this;
  }

  public Backfills parallelism(int parallelism) {
    this.parallelism = parallelism;
    return this;
  }

  public Backfills perPage(int perPage) {
    this.perPage = perPage;
    return this;
  }

  public Backfills duplicates() {
    this.duplicates = true;
    return this;
  }

  public Backfills asOf(long asOf) {
    this.asOf = asOf;
    return this;
  }

  public Backfills overwrite() {
    this.overwrite = true;
    return this;
  }

  public RunReport run(Path output) throws Exception {
    return run(request(output), new Configuration());
  }

  /** Runs a backfill and, when it succeeded, moves its output into place; nothing is shown. */
  public static RunReport run(BoundedRun.Request request, Configuration config) throws Exception {
    try (BoundedRun.Running running = BoundedRun.start(request, config, null)) {
      return running.finish();
    }
  }

  /** What {@link #run} runs. */
  public BoundedRun.Request request(Path output) {
    InputFiles files = new InputFiles();
    inputs.forEach(p -> files.add(p, SourceKind.EVENTS));
    summaries.forEach(p -> files.add(p, SourceKind.SUMMARIES));
    contacts.forEach(p -> files.add(p, SourceKind.CONTACTS));
    PipelineSettings settings =
        Settings.bounded(asOf)
            .perPage(perPage)
            .parallelism(parallelism)
            .duplicates(duplicates)
            .directory(!contacts.isEmpty())
            .build();
    return new BoundedRun.Request(
        "test backfill", files.catalog(), output, overwrite, true, settings);
  }
}
