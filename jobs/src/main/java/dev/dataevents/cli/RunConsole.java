package dev.dataevents.cli;

import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.OutputNotEmptyException;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.io.kafka.KafkaPartitions;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.DatabaseOutput;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/** Runs a bounded job for the command line: the log's path, progress, and a closing summary. */
final class RunConsole {
  private static final int MANAGED_MEMORY_MIB =
      Integer.getInteger("data-events.managed-memory-mib", 144);

  /**
   * Managed memory per slot, at least: each slot's keyed sorts (contacts, rejections, and with a
   * directory its dedup and join) share the slot's part, and a sort needs 12 pages of 32 KiB. 144
   * MiB served 12 slots with a directory; 16 slots got too little.
   */
  static final int MANAGED_MEMORY_MIB_PER_SLOT = 12;

  private RunConsole() {}

  static int run(BoundedRun.Request request, String command, RunTarget target) throws Exception {
    return run(request, command, target, null);
  }

  /**
   * As {@link #run(BoundedRun.Request, String, RunTarget)}, also writing to a database if one is
   * given.
   */
  static int run(
      BoundedRun.Request request, String command, RunTarget target, DatabaseOutput database)
      throws Exception {
    PrintStream err = System.err;
    // Users' mistakes first, so that they get one line and nothing else.
    try {
      OutputFolder.checkTarget(request.output(), request.overwrite(), BoundedRun.LAYOUT);
    } catch (OutputNotEmptyException e) {
      throw new UsageException("--output: " + e.getMessage() + " (add --overwrite to replace it)");
    } catch (RefusedPathException e) {
      throw new UsageException("--output: " + e.getMessage());
    }
    if (ConsoleLogging.logFile() != null) {
      err.println("Flink's log: " + ConsoleLogging.logFile());
    }
    err.printf(
        Locale.ROOT,
        "%s: %d file(s), %s%s, parallelism %d%n",
        command,
        request.catalog().files().stream().filter(f -> !KafkaPartitions.isPartition(f)).count(),
        ProgressReporter.bytes(request.catalog().totalBytes()),
        request.kafka() == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", %d Kafka partition(s) at %s holding up to %,d records",
                request.kafka().partitions().size(),
                request.kafka().bootstrap(),
                request.kafka().records()),
        request.settings().parallelism());
    // Before the line naming the target: an unreachable JobManager or a web UI port in use is a
    // usage error, and the line would point at something that is not this run's.
    target.checkReachable();
    if (target.describe() != null) {
      err.println(command + ": " + target.describe());
    }
    if (database != null) {
      err.println("database: " + database.target().url() + " (schema data_events)");
    }
    // Kafka records have no size before they are read: no total to show progress against.
    long totalBytes = request.kafka() == null ? request.catalog().totalBytes() : -1;
    Configuration config = new Configuration();
    // TaskManagers report accumulators with their heartbeat; a short one keeps progress live.
    config.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    // BATCH sorts the keyed input in managed memory and spills the rest to disk. The contact
    // stage's share (128 of the default 144 MiB, job/SortMemory) is full by about a million events
    // already, so a larger input needs no more memory (measured: twice as much gained no speed and
    // cost 155 MiB of peak memory at 1M events).
    config.set(
        TaskManagerOptions.MANAGED_MEMORY_SIZE,
        MemorySize.ofMebiBytes(managedMebibytes(request.settings().parallelism())));
    // A cluster's resource manager waits 50 ms before it matches slot requests with free slots
    // (and before it asks for more), to batch the requests of many jobs and TaskManagers. The
    // embedded mini-cluster has one job and one TaskManager, and a BATCH job asks for slots once
    // per stage: each stage would wait for nothing.
    config.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ZERO);
    config.set(ResourceManagerOptions.DECLARE_NEEDED_RESOURCE_DELAY, Duration.ZERO);
    // On a cluster the options above do nothing (its own configuration rules its processes).
    target.configure(config, request.settings().parallelism());
    if (!target.remote() && ConsoleLogging.isLocal()) {
      BoundedRun.pipelineOnEmbeddedCluster(config);
    }
    String output = request.output().toAbsolutePath().normalize().toString();
    // Ctrl-C or a kill ends the JVM through its shutdown hooks (the staging folder and the
    // cluster's files are removed by theirs): one line says what became of the output, where
    // there would otherwise be none after the progress lines.
    boolean inPlace = System.console() != null;
    RunReport report;
    try (StopLine stopped =
            new StopLine(
                err,
                inPlace,
                () -> command + ": stopped before the end; " + output + " is left as it was");
        BoundedRun.Running running = BoundedRun.start(request, config, database);
        ProgressReporter progress =
            new ProgressReporter(running.client(), err, totalBytes, inPlace)) {
      report = running.finish();
      progress.finished(report);
    }
    err.println(summary(report, output));
    warnings(request.catalog(), report).forEach(warning -> err.println("warning: " + warning));
    return 0;
  }

  /** The embedded mini-cluster's managed memory for a bounded run at {@code parallelism}. */
  static int managedMebibytes(int parallelism) {
    return Math.max(MANAGED_MEMORY_MIB, MANAGED_MEMORY_MIB_PER_SLOT * parallelism);
  }

  /**
   * What a run's counts say of its side inputs that a person may have missed: a --summaries or
   * --contacts file of which nothing was taken (the wrong file, or one not in JSON Lines) makes a
   * run that succeeds all the same.
   */
  static List<String> warnings(SourceCatalog catalog, RunReport report) {
    List<String> warnings = new ArrayList<>();
    if (has(catalog, SourceKind.SUMMARIES)
        && report.count(Counters.SUMMARY_RECORDS_IMPORTED) == 0) {
      warnings.add("no line of --summaries was imported (rejected/ says why)");
    }
    if (has(catalog, SourceKind.CONTACTS) && report.count(Counters.DIRECTORY_ENTRIES) == 0) {
      warnings.add(
          "no entry of --contacts was accepted, so no event could find its contact (rejected/"
              + " says why)");
    }
    return warnings;
  }

  private static boolean has(SourceCatalog catalog, SourceKind kind) {
    return catalog.files().stream().anyMatch(file -> file.kind() == kind);
  }

  /** The closing summary of a report, a few lines for a person. */
  static String summary(RunReport report, String output) {
    return String.format(Locale.ROOT, "done in %.1f s: ", report.elapsedMillis() / 1000.0)
        + counts(report, output);
  }

  /** A report's counts, a few lines for a person, from its first line's "N records: ..." on. */
  static String counts(RunReport report, String output) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%,d records: %,d accepted, %,d duplicates, %,d rejected%n",
            report.count(Counters.INPUT_RECORDS),
            report.count(Counters.ACCEPTED),
            report.count(Counters.DUPLICATES),
            report.count(Counters.REJECTED)));
    if (!report.rejectedByReason().isEmpty()) {
      StringJoiner reasons = new StringJoiner(", ", "  rejected: ", System.lineSeparator());
      for (Map.Entry<String, Long> e : report.rejectedByReason().entrySet()) {
        reasons.add(e.getKey() + " " + e.getValue());
      }
      out.append(reasons);
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  %,d contacts, %,d summaries, %,d listing pages; %,d summary records imported, "
                + "%,d blank lines, %,d metadata keys dropped, %,d values truncated%n",
            report.count(Counters.CONTACTS),
            report.count(Counters.SUMMARIES),
            report.count(Counters.LISTING_PAGES),
            report.count(Counters.SUMMARY_RECORDS_IMPORTED),
            report.count(Counters.BLANK_LINES),
            report.count(Counters.METADATA_KEYS_DROPPED),
            report.count(Counters.METADATA_VALUES_TRUNCATED)));
    if (output != null) {
      out.append("  output: ").append(output).append(" (report.json has every count)");
    }
    return out.toString().stripTrailing();
  }
}
