package dev.dataevents.testing;

import dev.dataevents.job.DatabaseOutput;
import dev.dataevents.job.StreamRun;
import dev.dataevents.model.RawLine;
import dev.dataevents.validation.TokenAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream requests for tests, as the command line builds them: its defaults, but checkpoints and
 * snapshots every 200 ms so that outputs show quickly, and a dedup horizon of ten years so that
 * generated events of any age are accepted. Checkpoints go to the output's {@code _checkpoints}
 * unless told otherwise.
 */
public final class Streams {
  private final String socket;
  private final Path watch;
  private Path output;
  private Path checkpointDir;
  private Duration checkpointInterval = Duration.ofMillis(200);
  private Duration emitInterval = Duration.ofMillis(200);
  private Duration dedupHorizon = Duration.ofDays(3650);
  private Path contacts;
  private final Settings settings = Settings.streaming();

  private Streams(String socket, Path watch) {
    this.socket = socket;
    this.watch = watch;
  }

  /** {@code stream --watch folder}. */
  public static Streams watching(Path folder) {
    return new Streams(null, folder);
  }

  /** {@code stream --socket hostAndPort}. */
  public static Streams socket(String hostAndPort) {
    return new Streams(hostAndPort, null);
  }

  public Streams output(Path output) {
    this.output = output;
    return this;
  }

  public Streams checkpointDir(Path checkpointDir) {
    this.checkpointDir = checkpointDir;
    return this;
  }

  /** Both the checkpoint and the emit interval. */
  public Streams intervals(Duration interval) {
    this.checkpointInterval = interval;
    this.emitInterval = interval;
    return this;
  }

  public Streams dedupHorizon(Duration dedupHorizon) {
    this.dedupHorizon = dedupHorizon;
    return this;
  }

  /** {@code --contacts}: a watched contacts directory. */
  public Streams contacts(Path contacts) {
    this.contacts = contacts;
    settings.directory(contacts != null);
    return this;
  }

  public Streams auth(TokenAuthenticator auth) {
    settings.auth(auth);
    return this;
  }

  public Streams maxFuture(Duration maxFuture) {
    settings.maxFuture(maxFuture);
    return this;
  }

  public Streams perPage(int perPage) {
    settings.perPage(perPage);
    return this;
  }

  public Streams parallelism(int parallelism) {
    settings.parallelism(parallelism);
    return this;
  }

  public StreamRun.Request request() {
    return new StreamRun.Request(
        socket,
        watch,
        output,
        checkpointDir != null ? checkpointDir : output.resolve(StreamRun.CHECKPOINTS),
        checkpointInterval,
        null,
        emitInterval,
        dedupHorizon,
        contacts,
        settings.build());
  }

  private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

  /**
   * Starts a stream as the command does ({@link StreamRun#run}, from its {@link
   * StreamRun#startingPoint}, whose warnings are logged); it runs until cancelled.
   */
  public static JobClient start(StreamRun.Request request, Configuration base) throws Exception {
    return start(request, base, UnaryOperator.identity());
  }

  /** As {@link #start(StreamRun.Request, Configuration)}, with {@code tap} on the input lines. */
  public static JobClient start(
      StreamRun.Request request, Configuration base, UnaryOperator<DataStream<RawLine>> tap)
      throws Exception {
    return run(request, base, tap, null).client();
  }

  /** As {@link #start(StreamRun.Request, Configuration, UnaryOperator)}, with its failures. */
  public static StreamRun.Started run(
      StreamRun.Request request,
      Configuration base,
      UnaryOperator<DataStream<RawLine>> tap,
      DatabaseOutput database)
      throws Exception {
    return StreamRun.run(
        request,
        base,
        tap,
        database,
        StreamRun.startingPoint(request, database != null, warning -> LOG.warn("{}", warning)));
  }

  /** Where a stream without a database would start from. */
  public static Optional<Path> startingPoint(StreamRun.Request request, Consumer<String> warnings) {
    return StreamRun.startingPoint(request, false, warnings);
  }
}
