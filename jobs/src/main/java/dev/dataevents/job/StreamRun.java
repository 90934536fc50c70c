package dev.dataevents.job;

import dev.dataevents.contact.StreamingContactFunction;
import dev.dataevents.io.FlinkPaths;
import dev.dataevents.io.InputFiles;
import dev.dataevents.io.JsonLinesFormat;
import dev.dataevents.io.LineEncoder;
import dev.dataevents.io.PathOverlap;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.io.StreamMarker;
import dev.dataevents.io.WatchedFolder;
import dev.dataevents.io.WatchedFolderEnumerator;
import dev.dataevents.io.kafka.KafkaSinks;
import dev.dataevents.io.kafka.KafkaSources;
import dev.dataevents.io.kafka.KafkaSubscription;
import dev.dataevents.io.socket.SocketLines;
import dev.dataevents.io.socket.SocketSource;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The stream job: a socket, a watched folder or Kafka topics in, STREAMING mode with exactly-once
 * checkpoints, outputs through Flink's two-phase-commit {@link FileSink} (part files become visible
 * when the checkpoint that covers them completes). Run again, it resumes from the newest restorable
 * checkpoint that the same command wrote in its checkpoint folder ({@link CheckpointFolder}).
 */
public final class StreamRun {
  public static final String UID_WATCH_SOURCE = "watch-source";
  public static final String UID_CONTACTS_SOURCE = "contacts-source";
  public static final String UID_SOCKET_SOURCE = "socket-source";
  public static final String UID_SOCKET_LINES = "socket-lines";
  public static final String UID_DEAD_LETTERS_SINK = "dead-letters-sink";
  public static final String CHECKPOINTS = "_checkpoints";

  /** How many restarts in a row a stream takes before it fails (see {@link #configuration}). */
  public static final int RESTARTS_IN_A_ROW = 30;

  /** How long a stream runs after a restart without a failure before they count from 0 again. */
  public static final Duration RESTARTS_RESET_AFTER = Duration.ofMinutes(10);

  private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
  private static final Duration LONGEST_RESTART_DELAY = Duration.ofMinutes(1);
  private static final double RESTART_DELAY_GROWTH = 1.5;

  /**
   * The wait before the {@code n}th restart in a row (from 1), without Flink's jitter of up to 10%
   * either way: 1 s, 1.5 s, 2.25 s, ..., at most a minute.
   */
  public static Duration restartDelay(int n) {
    double millis = FIRST_RESTART_DELAY.toMillis() * Math.pow(RESTART_DELAY_GROWTH, n - 1);
    return Duration.ofMillis((long) Math.min(millis, LONGEST_RESTART_DELAY.toMillis()));
  }

  /**
   * What to run.
   *
   * @param socket {@code host:port}, or null
   * @param watch a folder to watch, or null
   * @param output the output folder (kept across runs)
   * @param checkpointDir where checkpoints go and are resumed from
   * @param checkpointInterval time between checkpoints
   * @param restore a savepoint or checkpoint to start from instead of the newest, or null
   * @param emitInterval at most one snapshot of a contact per this interval
   * @param dedupHorizon how old (by {@code created_at}) an event may be to be deduplicated
   * @param contacts a contacts directory file or folder, watched for new files, or null
   * @param settings the pipeline settings (validation against processing time: {@link
   *     dev.dataevents.validation.ValidationSettings#PROCESSING_TIME})
   * @param kafka the Kafka topics to read, or null
   * @param tokensFile the file the tokens were read from, or null: never read as a line
   */
  public record Request(
      String socket,
      Path watch,
      Path output,
      Path checkpointDir,
      Duration checkpointInterval,
      Path restore,
      Duration emitInterval,
      Duration dedupHorizon,
      Path contacts,
      PipelineSettings settings,
      KafkaSubscription kafka,
      Path tokensFile) {

    /** A request that reads no Kafka topic and has no tokens file. */
    public Request(
        String socket,
        Path watch,
        Path output,
        Path checkpointDir,
        Duration checkpointInterval,
        Path restore,
        Duration emitInterval,
        Duration dedupHorizon,
        Path contacts,
        PipelineSettings settings) {
      this(
          socket,
          watch,
          output,
          checkpointDir,
          checkpointInterval,
          restore,
          emitInterval,
          dedupHorizon,
          contacts,
          settings,
          null,
          null);
    }
  }

  private StreamRun() {}

  /**
   * Where the job will start from: the checkpoint or savepoint to restore when one is named, else
   * the newest restorable checkpoint this command wrote in its checkpoint folder, else nowhere.
   *
   * @param database whether the stream also writes to a database (part of the command)
   * @param warnings told what was skipped (a checkpoint that cannot be restored)
   * @throws RefusedPathException when the checkpoint folder belongs to another command (see {@link
   *     CheckpointFolder#startingPoint}), or another stream runs in its folders
   */
  public static Optional<Path> startingPoint(
      Request request, boolean database, Consumer<String> warnings) {
    refuseIfAStreamRuns(request.output(), "output");
    refuseIfAStreamRuns(request.checkpointDir(), "checkpoint folder");
    return new CheckpointFolder(request.checkpointDir())
        .startingPoint(CommandFingerprint.of(request, database), request.restore(), warnings);
  }

  /**
   * Refuses a folder that another stream, still running, writes: a second stream in its output
   * would mix its part files and report into the first's, and in its checkpoint folder would take
   * the running stream's checkpoints for an earlier run's and remove them. Each stream marks both
   * folders with its process ({@link StreamMarker}).
   */
  private static void refuseIfAStreamRuns(Path folder, String what) {
    if (StreamMarker.namesAnotherLiveProcess(folder)) {
      throw new RefusedPathException(
          folder
              + " is the "
              + what
              + " of a stream that is running ("
              + StreamMarker.NAME
              + " names its process): two streams never share one");
    }
  }

  /**
   * A started stream.
   *
   * @param client the running job
   * @param failures what restarted it, when this process can see that (its own mini-cluster)
   */
  public record Started(JobClient client, JobFailures failures) {}

  /**
   * Creates the output folders and submits the job, which runs until cancelled, from {@code from}:
   * what {@link #startingPoint} said, which the command has told its user (asked again, it would
   * load every checkpoint's metadata and warn of each it skips a second time).
   *
   * @param tap applied to the input lines before parsing (tests inject failures there)
   * @param database also writes each contact's snapshots to a database as checkpoints complete,
   *     when not null
   */
  public static Started run(
      Request request,
      Configuration base,
      UnaryOperator<DataStream<RawLine>> tap,
      DatabaseOutput database,
      Optional<Path> from)
      throws Exception {
    // Again, right before this stream marks the folders as its own: one started meanwhile (the
    // command checked before its other checks) is refused, not joined.
    refuseIfAStreamRuns(request.output(), "output");
    refuseIfAStreamRuns(request.checkpointDir(), "checkpoint folder");
    for (String folder :
        new String[] {
          BoundedRun.EVENTS, BoundedRun.SUMMARIES, BoundedRun.LISTINGS, BoundedRun.REJECTED
        }) {
      createDirectories(request.output().resolve(folder));
    }
    // Before the job writes anything: a bounded --overwrite refuses the folder from now on.
    try {
      StreamMarker.mark(request.output());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    createDirectories(request.checkpointDir());
    try {
      StreamMarker.mark(request.checkpointDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (database != null) {
      database.migrate();
    }
    // The job id is fixed and recorded before the job starts, so every checkpoint it writes is
    // known to be this command's (and the folders of earlier runs can be cleaned up safely).
    CheckpointFolder checkpoints = new CheckpointFolder(request.checkpointDir());
    CommandFingerprint command = CommandFingerprint.of(request, database != null);
    JobID job = JobID.generate();
    checkpoints.claim(command, job);
    AtomicReference<MiniCluster> miniCluster = new AtomicReference<>();
    StreamExecutionEnvironment env = environment(request, base, from, job, miniCluster::set);
    define(env, request, tap, database);
    JobClient client = env.executeAsync("data-events stream");
    if (!client.getJobID().equals(job)) {
      // An executor that ignores the fixed id: record the one it chose. The job runs already: a
      // folder that cannot be recorded in now is a failure of the run (exit 1), not of the options,
      // and the job is cancelled rather than left running unrecorded on a cluster.
      try {
        checkpoints.claim(command, client.getJobID());
      } catch (RuntimeException e) {
        client.cancel();
        throw new IllegalStateException(
            "the job could not be recorded in " + request.checkpointDir() + ": " + e.getMessage());
      }
    }
    JobFailures failures =
        Environments.isRemote(base)
            ? JobFailures.onCluster(
                base.get(RestOptions.ADDRESS), base.get(RestOptions.PORT), client.getJobID())
            : JobFailures.onMiniCluster(client.getJobID(), miniCluster);
    return new Started(client, failures);
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Flink configuration of a stream: STREAMING, exactly-once checkpoints, restarts. */
  static Configuration configuration(
      Request request, Configuration base, Optional<Path> from, JobID job) {
    Configuration config = new Configuration(base);
    config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
    config.set(PipelineOptions.GENERIC_TYPES, false);
    config.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, job.toHexString());
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, request.checkpointInterval());
    config.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    config.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, FlinkPaths.text(request.checkpointDir()));
    // Kept when the job is cancelled or its process killed: the next run resumes from them.
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    // A few, so that one that cannot be read has an earlier one to fall back to; the folders of
    // earlier runs go once this run has a checkpoint (CheckpointFolder.removeEarlierJobs).
    config.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    // A stream runs until it is stopped: a failure (a full disk, a broker gone for a while)
    // restarts it from its last checkpoint however often failures come over its life, waiting
    // longer while they come in a row (1 s, 1.5 s, 2.25 s, ... up to a minute; Flink's own
    // defaults). Only a fault that lasts, 30 restarts with never 10 minutes of running between them
    // (about 23 minutes), fails the job, to end on its error rather than retry it for ever. Bad
    // records never fail it (they are rejected), so it cannot loop on one record.
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY,
        RestartStrategyOptions.RestartStrategyType.EXPONENTIAL_DELAY.getMainValue());
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        FIRST_RESTART_DELAY);
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        LONGEST_RESTART_DELAY);
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
        RESTART_DELAY_GROWTH);
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        RESTARTS_RESET_AFTER);
    config.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, RESTARTS_IN_A_ROW);
    from.ifPresent(p -> config.set(StateRecoveryOptions.SAVEPOINT_PATH, FlinkPaths.text(p)));
    return config;
  }

  static StreamExecutionEnvironment environment(
      Request request,
      Configuration base,
      Optional<Path> from,
      JobID job,
      Consumer<MiniCluster> started) {
    Configuration config = configuration(request, base, from, job);
    StreamExecutionEnvironment env = Environments.create(config, started);
    env.setParallelism(request.settings().parallelism());
    return env;
  }

  private static void define(
      StreamExecutionEnvironment env,
      Request request,
      UnaryOperator<DataStream<RawLine>> tap,
      DatabaseOutput database) {
    PipelineSettings settings = request.settings();
    DataStream<RawLine> lines;
    if (request.kafka() != null) {
      lines =
          KafkaSources.stream(
              env,
              request.kafka(),
              settings.maxLineBytes(),
              BoundedRun.UID_KAFKA_SOURCE,
              settings.parallelism());
    } else if (request.watch() != null) {
      lines =
          watch(
              env,
              request.watch(),
              SourceKind.EVENTS,
              UID_WATCH_SOURCE,
              settings,
              notReadAsEvents(request));
    } else {
      lines = socket(env, request.socket(), settings);
    }
    if (request.contacts() != null) {
      lines =
          lines.union(
              watch(
                  env,
                  request.contacts(),
                  SourceKind.CONTACTS,
                  UID_CONTACTS_SOURCE,
                  settings,
                  notReadAsContacts(request)));
    }
    OutputSinks sinks =
        new OutputSinks(
            fileSink(request.output(), BoundedRun.EVENTS),
            fileSink(request.output(), BoundedRun.SUMMARIES),
            fileSink(request.output(), BoundedRun.LISTINGS),
            fileSink(request.output(), BoundedRun.REJECTED),
            null);
    StreamingContactFunction contacts =
        new StreamingContactFunction(
            request.emitInterval().toMillis(),
            request.dedupHorizon().toSeconds(),
            settings.perPage());
    if (database != null) {
      contacts.withContactStates();
    }
    Topology.Stages stages = Topology.streaming(tap.apply(lines), settings, contacts, sinks);
    if (database != null) {
      database.attachStream(stages.contacts(), settings.parallelism());
    }
    if (request.kafka() != null && request.kafka().deadLetters() != null) {
      stages
          .rejected()
          .sinkTo(
              KafkaSinks.deadLetters(request.kafka().deadLetters(), request.kafka().bootstrap()))
          .name("dead-letters-sink")
          .uid(UID_DEAD_LETTERS_SINK)
          .setParallelism(settings.parallelism());
    }
  }

  /**
   * A socket read until the job is stopped (reconnecting as needed), at parallelism 1: one
   * connection, lines numbered in order.
   */
  private static DataStream<RawLine> socket(
      StreamExecutionEnvironment env, String hostAndPort, PipelineSettings settings) {
    SocketSource source = SocketSource.of(hostAndPort, settings.maxLineBytes());
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), UID_SOCKET_SOURCE)
        .uid(UID_SOCKET_SOURCE)
        .setParallelism(1)
        .flatMap(new SocketLines(source.name()), TypeInformation.of(RawLine.class))
        .name("socket-lines")
        .uid(UID_SOCKET_LINES)
        .setParallelism(1);
  }

  /**
   * The real paths a watched events folder never reads, whatever link inside it leads there: the
   * folders the stream writes, the contacts directory (a contacts file inside it is read as the
   * directory only: a file has one role) and the tokens file.
   */
  public static List<String> notReadAsEvents(Request request) {
    return excluding(request, request.contacts(), request.tokensFile());
  }

  /**
   * The real paths a watched contacts folder never reads: the folders the stream writes, the
   * watched events folder and the tokens file.
   */
  public static List<String> notReadAsContacts(Request request) {
    return excluding(request, request.watch(), request.tokensFile());
  }

  /**
   * The real paths of the folders the stream writes (its output and checkpoints), which no watched
   * folder reads, whatever link inside it leads there, and of the other inputs given.
   */
  private static List<String> excluding(Request request, Path... otherInputs) {
    List<Path> paths = new java.util.ArrayList<>();
    paths.add(request.output());
    paths.add(request.checkpointDir());
    paths.addAll(java.util.Arrays.asList(otherInputs));
    List<String> excluded = new java.util.ArrayList<>();
    for (Path path : paths) {
      if (path != null) {
        try {
          excluded.add(PathOverlap.realPath(path).toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return excluded;
  }

  /**
   * A file or folder read continuously: each new input file once. A file that cannot be read to its
   * end is a rejection, not a failure (the job would fail on it again after every restart).
   */
  private static DataStream<RawLine> watch(
      StreamExecutionEnvironment env,
      Path path,
      SourceKind kind,
      String uid,
      PipelineSettings settings,
      List<String> excluded) {
    FileSource<RawLine> source =
        FileSource.forBulkFileFormat(
                new JsonLinesFormat(new WatchedFolder(path, kind), settings.maxLineBytes(), true),
                FlinkPaths.of(path))
            .setFileEnumerator(
                () ->
                    new WatchedFolderEnumerator(
                        p -> InputFiles.isInputName(java.nio.file.Path.of(p.getName())), excluded))
            .monitorContinuously(Duration.ofSeconds(1))
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), uid)
        .uid(uid)
        .setParallelism(settings.parallelism());
  }

  private static FileSink<byte[]> fileSink(Path output, String folder) {
    return FileSink.forRowFormat(FlinkPaths.of(output.resolve(folder)), new LineEncoder())
        // No time buckets: every part file directly in the folder.
        .withBucketAssigner(new BasePathBucketAssigner<>())
        .withRollingPolicy(OnCheckpointRollingPolicy.build())
        .withOutputFileConfig(
            OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".jsonl").build())
        .build();
  }
}
