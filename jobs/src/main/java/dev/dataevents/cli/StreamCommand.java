package dev.dataevents.cli;

import dev.dataevents.io.HostPort;
import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.PathOverlap;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.io.StreamMarker;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.job.DatabaseOutput;
import dev.dataevents.job.PipelineSettings;
import dev.dataevents.job.StreamReport;
import dev.dataevents.job.StreamRun;
import dev.dataevents.validation.TokenAuthenticator;
import dev.dataevents.validation.TokensFileException;
import dev.dataevents.validation.ValidationSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stream}: a socket, a watched folder or Kafka topics, unbounded, exactly-once (STREAMING).
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Reads events as they arrive: socket, folder or Kafka (STREAMING).",
      "",
      "Reads events continuously in Flink STREAMING mode, with exactly-once checkpoints, and"
          + " writes to --output:",
      "  events/      each accepted event once, when its checkpoint completes",
      "  summaries/   a changed contact's event.summary with updated_at",
      "  listings/    a changed contact's event.list pages (90 days) with updated_at",
      "  rejected/    one rejection per bad record",
      "  report.json  the counts as of the newest checkpoint, across restarts",
      "",
      "Stop it any time (Ctrl-C, or kill); the same command resumes from the newest checkpoint."
          + " 'data-events latest DIR/summaries' prints the current view.",
      "",
      "A failure of the job (a full disk, an output folder that went) restarts it from the newest"
          + " checkpoint as often as it comes, waiting longer each time up to a minute; the console"
          + " shows each one. Only 30 restarts without 10 minutes of running between them end the"
          + " command (exit 1).",
      "",
      "The output and checkpoint folders must lie outside every input (--watch, --contacts,"
          + " --auth), and the output must be new, empty, or this stream's earlier output (never"
          + " a backfill's or recompute's, nor one another running stream writes).",
      "",
      "With --kafka, each record's value is one line, its offsets are in the checkpoints (exactly"
          + " once), and the group's committed offsets follow the completed checkpoints.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "1:the job failed: at its start, or through 30 restarts in a row",
      "2:wrong options or inputs",
      "130:stopped with Ctrl-C (143 when stopped with kill); the same command resumes"
    })
public final class StreamCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class Input {
    @Option(
        names = "--socket",
        paramLabel = "HOST:PORT",
        description = "Read lines from a TCP socket (e.g. one served by 'nc -lk 9999').")
    String socket;

    @Option(
        names = "--watch",
        paramLabel = "DIR",
        description =
            "Read each new *.jsonl/*.json/*.ndjson (also .gz) file that appears in DIR, once."
                + " Move complete files in (write elsewhere, then mv): a file is read when first seen.")
    Path watch;

    @ArgGroup(exclusive = false, heading = "%nKafka (instead of --socket or --watch):%n")
    KafkaStreamOptions kafka;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Output folder: new, empty, or this stream's (kept across runs).")
  Path output;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description =
          "Checkpoints, and where a rerun resumes from (default: DIR/_checkpoints of --output).")
  Path checkpointDir;

  @Option(
      names = "--checkpoint-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Converters.CheckpointInterval.class,
      description =
          "Time between checkpoints, 10ms to 1d; output becomes visible at each (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Option(
      names = "--restore",
      paramLabel = "PATH",
      description =
          "Start from this savepoint or checkpoint instead of the newest in --checkpoint-dir.")
  Path restore;

  @Option(
      names = "--emit-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Converters.EmitInterval.class,
      description =
          "At most one snapshot of a contact per interval (0 to 1d), only when it changed"
              + " (default: ${DEFAULT-VALUE}). A snapshot holds all of a contact's listing pages:"
              + " with 0, every event writes them all, so a busy contact's output grows with the"
              + " square of its events.")
  Duration emitInterval;

  @Option(
      names = "--dedup-horizon",
      paramLabel = "DURATION",
      defaultValue = "90d",
      converter = Converters.DedupHorizon.class,
      description =
          "Dedup is exact for events whose created_at is at most this old; older ones are rejected"
              + " outside_dedup_horizon (load them with a backfill), and state older than it is dropped"
              + " (1s to 36500d, default: ${DEFAULT-VALUE}).")
  Duration dedupHorizon;

  @Option(
      names = "--auth",
      paramLabel = "TOKENS",
      description =
          "Lines are {\"access_token\": ..., \"event\": {...}}; TOKENS is a JSON file of the"
              + " accepted tokens: {\"tokens\": [{\"sha256\": \"<hex>\", \"workspace_id\":"
              + " \"ws_1\", \"scopes\": [\"write_events\"]}]}.")
  Path auth;

  @Option(
      names = "--contacts",
      paramLabel = "PATH",
      description =
          "Contacts directory file or folder, watched: new files in a folder apply to later events."
              + " Events resolve to its contacts (key id:<directory id>); unknown -> contact_not_found.")
  Path contacts;

  @CommandLine.Mixin RecordOptions records = new RecordOptions();

  @CommandLine.Mixin RunTargetOptions where = new RunTargetOptions();

  @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

  @CommandLine.Mixin LoggingOptions logging = new LoggingOptions();

  /** The stream request these options describe (checked). */
  StreamRun.Request request() {
    CommandLine cmd = spec.commandLine();
    records.check(cmd);
    if (input.socket != null
        && HostPort.parse(input.socket).filter(HostPort::portInRange).isEmpty()) {
      throw new CommandLine.ParameterException(
          cmd, "--socket takes HOST:PORT, not '" + input.socket + "'");
    }
    if (input.watch != null && !Files.isDirectory(input.watch)) {
      throw new UsageException(
          (Files.exists(input.watch) ? "--watch: not a folder: " : "--watch: no such folder: ")
              + input.watch);
    }
    if (restore != null && !Files.exists(restore)) {
      throw new UsageException("--restore: no such savepoint or checkpoint: " + restore);
    }
    if (contacts != null && !Files.exists(contacts)) {
      throw new UsageException("--contacts: no such file or folder: " + contacts);
    }
    if (auth != null && !Files.isRegularFile(auth)) {
      throw new UsageException("--auth: no such file: " + auth);
    }
    Path checkpoints =
        checkpointDir != null ? checkpointDir : output.resolve(StreamRun.CHECKPOINTS);
    OverlapCheck overlaps =
        new OverlapCheck()
            .reads("--watch", input.watch)
            .reads("--contacts", contacts)
            .reads("--auth", auth)
            .restores("--restore", restore)
            .writes("--output", output)
            .writes("--checkpoint-dir", checkpoints)
            .writesFile("--log-file", logging.logFile)
            .check();
    refuseCheckpointsAmongOutputs(
        checkpoints, overlaps.realPath("--checkpoint-dir"), overlaps.realPath("--output"));

    refuseOneFileInTwoRoles(overlaps);
    PipelineSettings settings =
        new PipelineSettings(
            records.validation(ValidationSettings.PROCESSING_TIME),
            records.perPage,
            where.target().withinLimit(records.parallelismOrCores(where.target())),
            false,
            records.maxLineBytes,
            auth == null ? null : tokens(auth),
            contacts != null);
    return new StreamRun.Request(
        input.socket,
        input.watch,
        output,
        checkpoints,
        checkpointInterval,
        restore,
        emitInterval,
        dedupHorizon,
        contacts,
        settings,
        input.kafka == null ? null : input.kafka.subscription(output),
        auth);
  }

  /**
   * A file is read in one role. A contacts file inside the watched folder is read as the directory
   * only (the watch leaves it out); a contacts folder and the watched folder may not hold one
   * another; the tokens file is never inside either, where it would be read as a line.
   */
  private void refuseOneFileInTwoRoles(OverlapCheck overlaps) {
    if (input.watch == null) {
      return;
    }
    Path watched = overlaps.realPath("--watch");
    if (contacts != null && !Files.isRegularFile(contacts)) {
      refuseOverlap(
          "--contacts", contacts, overlaps.realPath("--contacts"), "--watch", input.watch, watched);
    }
    if (auth != null) {
      Path realAuth = overlaps.realPath("--auth");
      refuseOverlap("--auth", auth, realAuth, "--watch", input.watch, watched);
      if (contacts != null) {
        refuseOverlap(
            "--auth", auth, realAuth, "--contacts", contacts, overlaps.realPath("--contacts"));
      }
    }
  }

  private static void refuseOverlap(
      String option, Path path, Path realPath, String otherOption, Path other, Path otherReal) {
    String overlap =
        switch (PathOverlap.between(realPath, otherReal)) {
          case NONE -> null;
          case SAME -> option + " " + path + " is " + otherOption + " " + other;
          case INSIDE -> option + " " + path + " lies inside " + otherOption + " " + other;
          case CONTAINS -> otherOption + " " + other + " lies inside " + option + " " + path;
        };
    if (overlap != null) {
      throw new UsageException(overlap + ": a file is read in one role");
    }
  }

  /**
   * An output folder that holds anything but an earlier stream's output is refused, and so is a
   * bounded run's output as the checkpoint folder. (After logging is configured: OutputFolder logs,
   * and log4j takes its configuration from the first logger asked for.)
   */
  void refuseForeignOutput() {
    try {
      OutputFolder.checkReusable(output, BoundedRun.LAYOUT);
      StreamMarker.refuseForeign(output);
    } catch (RefusedPathException e) {
      throw new UsageException("--output: " + e.getMessage());
    }
    if (checkpointDir != null) {
      try {
        StreamMarker.refuseForeign(checkpointDir);
      } catch (RefusedPathException e) {
        throw new UsageException("--checkpoint-dir: " + e.getMessage());
      }
    }
    if (checkpointDir != null && OutputFolder.isBoundedOutput(checkpointDir, BoundedRun.LAYOUT)) {
      throw new UsageException(
          "--checkpoint-dir: "
              + checkpointDir
              + " is the output of a backfill or recompute; give an empty or new folder, or one"
              + " of your own");
    }
  }

  /** The tokens of {@code --auth}; a file that cannot be used is a usage error. */
  private static TokenAuthenticator tokens(Path file) {
    try {
      return TokenAuthenticator.load(file);
    } catch (TokensFileException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /**
   * Checkpoints may live inside the output folder only under a name readers and the output check
   * skip (as the default {@code _checkpoints} does): anywhere else there, a rerun would find the
   * output holding something that is not output.
   */
  private void refuseCheckpointsAmongOutputs(
      Path checkpoints, Path realCheckpoints, Path realOutput) {
    if (!realCheckpoints.startsWith(realOutput)) {
      return;
    }
    String first =
        realCheckpoints.equals(realOutput)
            ? ""
            : realOutput.relativize(realCheckpoints).getName(0).toString();
    if (!first.startsWith("_") && !first.startsWith(".")) {
      throw new UsageException(
          "--checkpoint-dir "
              + checkpoints
              + " is, or lies in a visible folder of, --output "
              + output
              + ": put it elsewhere, or under a name starting with _ (as the default "
              + StreamRun.CHECKPOINTS
              + ")");
    }
  }

  @Override
  public Integer call() throws Exception {
    StreamRun.Request request = request();
    // Before anything that logs (OutputFolder, the database and Kafka clients): log4j takes its
    // configuration once, from the first logger asked for. After request(), whose checks keep the
    // log file off every input and output.
    logging.configure("stream");
    refuseForeignOutput();
    RunTarget target = where.target();
    DatabaseOutput db = database.output();
    if (request.kafka() != null) {
      KafkaStreamOptions.checkReachable(request.kafka());
    }
    PrintStream err = System.err;
    // Before the first line: a stream running in the output or checkpoint folder, or a command
    // that differs from the one that wrote the checkpoints, is refused with one line.
    Optional<Path> from =
        StreamRun.startingPoint(request, db != null, warning -> err.println("warning: " + warning));
    String startingPoint = from.map(p -> ", resuming from " + p).orElse(", starting fresh");
    if (ConsoleLogging.logFile() != null) {
      err.println("Flink's log: " + ConsoleLogging.logFile());
    }
    err.println(
        "stream: "
            + (request.kafka() != null
                ? KafkaStreamOptions.describe(request.kafka())
                : request.socket() != null
                    ? "socket " + request.socket()
                    : "watching " + request.watch())
            + " -> "
            + request.output()
            + ", checkpoints every "
            + request.checkpointInterval().toMillis()
            + " ms in "
            + request.checkpointDir()
            + startingPoint);
    target.checkReachable();
    if (target.describe() != null) {
      err.println("stream: " + target.describe());
    }
    Configuration config = new Configuration();
    config.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    target.configure(config, request.settings().parallelism());
    if (db != null) {
      err.println("database: " + db.target().url() + " (schema data_events)");
    }
    StreamRun.Started started = StreamRun.run(request, config, UnaryOperator.identity(), db, from);
    JobClient client = started.client();
    err.println("stream: running (job " + client.getJobID() + "); stop with Ctrl-C");
    if (target.remote()) {
      // The job runs on the cluster, not in this JVM: Ctrl-C (or a kill) of this command stops it
      // there too, as it stops a local stream, so that the same command can resume it.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> cancel(client), "data-events-cancel"));
    }
    // report.json follows the newest completed checkpoint (resumed counts included).
    try (StreamReport report = StreamReport.follow(request.checkpointDir(), request.output());
        StopLine stopped = stopSummary(err, report, request.output());
        ProgressReporter progress =
            new ProgressReporter(
                client,
                err,
                report::latest,
                input.watch == null ? () -> null : watchedFolderNote(input.watch),
                started.failures(),
                System.console() != null)) {
      client.getJobExecutionResult().get();
    }
    return 0;
  }

  /**
   * What the progress line says while the watched folder is not there: Flink's listing of a folder
   * that is gone finds no files and no error, so the stream would just stand still. (On a cluster
   * the folder is read where the job runs; the command, like its start-up check, looks at its own
   * machine's path.)
   */
  static Supplier<String> watchedFolderNote(Path folder) {
    return () ->
        Files.isDirectory(folder)
            ? null
            : "watched folder "
                + folder
                + " is not there (moved or removed?); read again once it is back";
  }

  /**
   * A stream ends when it is stopped (Ctrl-C or a kill, through the JVM's shutdown hooks): then, as
   * a bounded run ends with its summary, it says what its newest checkpoint committed, which is
   * what its outputs and report.json hold and where the same command resumes.
   */
  private static StopLine stopSummary(PrintStream err, StreamReport report, Path output) {
    String folder = output.toAbsolutePath().normalize().toString();
    return new StopLine(
        err,
        System.console() != null,
        () ->
            report
                .latest()
                .map(
                    r ->
                        "stream: stopped; committed as of its newest checkpoint: "
                            + RunConsole.counts(r, folder)
                            + "; the same command resumes")
                .orElse(
                    "stream: stopped before its first checkpoint; nothing committed in "
                        + folder
                        + "; the same command starts again"));
  }

  /** Cancels a job on a cluster, waiting a while; one that ended already is left as it is. */
  private static void cancel(JobClient client) {
    try {
      client.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Ended already, or the cluster is gone: nothing left to stop.
    }
  }
}
