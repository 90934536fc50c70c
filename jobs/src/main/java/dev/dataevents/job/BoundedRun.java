package dev.dataevents.job;

import dev.dataevents.contact.ContactFunction;
import dev.dataevents.io.JsonLinesFormat;
import dev.dataevents.io.LineSplittingEnumerator;
import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.PartFileSink;
import dev.dataevents.io.kafka.KafkaPartitions;
import dev.dataevents.io.kafka.KafkaSnapshot;
import dev.dataevents.io.kafka.KafkaSources;
import dev.dataevents.io.postgres.BoundedTables;
import dev.dataevents.model.InputFile;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A bounded run (backfill, recompute): files in, BATCH mode, outputs staged and moved into place on
 * success, report.json written from the job's counters.
 */
public final class BoundedRun {
  public static final String UID_SOURCE = "file-source";

  /** The Kafka source's uid in a backfill and in a stream alike. */
  public static final String UID_KAFKA_SOURCE = "kafka-source";

  public static final String EVENTS = "events";
  public static final String SUMMARIES = "summaries";
  public static final String LISTINGS = "listings";
  public static final String REJECTED = "rejected";
  public static final String DUPLICATES = "duplicates";
  public static final String REPORT = "report.json";

  /**
   * What an output of this project holds (bounded runs and streams alike), by which an earlier one
   * is recognised before it is replaced: the report, whose balanced counts every report has, and
   * the subfolders of part files.
   */
  public static final OutputFolder.Layout LAYOUT =
      new OutputFolder.Layout(
          Set.of(EVENTS, SUMMARIES, LISTINGS, REJECTED, DUPLICATES),
          REPORT,
          Set.of(
              Counters.INPUT_RECORDS, Counters.ACCEPTED, Counters.DUPLICATES, Counters.REJECTED));

  /**
   * What to run.
   *
   * @param jobName the Flink job name
   * @param catalog the input files
   * @param output the output folder
   * @param overwrite replace an existing output
   * @param writeEvents write {@code events/} (recompute does not)
   * @param settings the pipeline settings
   * @param kafka the Kafka partitions to read (each also in {@code catalog}), or null
   */
  public record Request(
      String jobName,
      SourceCatalog catalog,
      Path output,
      boolean overwrite,
      boolean writeEvents,
      PipelineSettings settings,
      KafkaSnapshot kafka) {

    /** A request that reads files only. */
    public Request(
        String jobName,
        SourceCatalog catalog,
        Path output,
        boolean overwrite,
        boolean writeEvents,
        PipelineSettings settings) {
      this(jobName, catalog, output, overwrite, writeEvents, settings, null);
    }
  }

  /** How long closing an unfinished run waits for its job to be cancelled. */
  private static final long STOP_SECONDS = 30;

  private BoundedRun() {}

  /**
   * Prepares the output's staging folder and submits the job: the caller watches it through {@link
   * Running#client()} (the command line shows progress) and calls {@link Running#finish()}.
   *
   * @param request what to run
   * @param config Flink configuration to start from (the launcher's, or a test's)
   * @param database also writes summaries and listings to a database (swapped in with the output
   *     folder), when not null
   */
  public static Running start(Request request, Configuration config, DatabaseOutput database)
      throws Exception {
    PipelineSettings settings = request.settings();
    String[] folders =
        settings.writeDuplicates()
            ? new String[] {EVENTS, SUMMARIES, LISTINGS, REJECTED, DUPLICATES}
            : new String[] {EVENTS, SUMMARIES, LISTINGS, REJECTED};
    if (!request.writeEvents()) {
      folders = Arrays.stream(folders).filter(f -> !f.equals(EVENTS)).toArray(String[]::new);
    }
    OutputFolder output =
        OutputFolder.prepare(request.output(), request.overwrite(), LAYOUT, folders);
    Running running = new Running(request, output, Environments.isRemote(config));
    try {
      if (database != null) {
        running.tables = database.prepareBounded();
      }
      StreamExecutionEnvironment env = environment(config, settings.parallelism());
      define(env, request, output.staging(), running.tables);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName(request.jobName());
      running.client = env.executeAsync(SortMemory.shareBetweenStages(graph));
      return running;
    } catch (Exception | Error e) {
      running.close();
      throw e;
    }
  }

  /**
   * A submitted bounded run. Closing it before {@link #finish()} succeeded removes the staging
   * folder, leaving the output as it was; so does a JVM shutdown meanwhile.
   */
  public static final class Running implements AutoCloseable {
    private final Request request;
    private final OutputFolder output;
    private final Thread cleanup;
    private final long startedAt = System.currentTimeMillis();
    private volatile JobClient client;
    private BoundedTables tables;
    private boolean finished;

    private Running(Request request, OutputFolder output, boolean remote) {
      this.request = request;
      this.output = output;
      // A job on a cluster outlives this JVM: cancel it first, or it would go on writing into
      // the staging folder removed here. (A local job ends with the JVM's mini-cluster.)
      this.cleanup =
          new Thread(
              () -> {
                if (remote) {
                  stop();
                }
                output.abort();
              },
              "data-events-abort");
      Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** The running job, for progress. */
    public JobClient client() {
      return client;
    }

    /**
     * Waits for the job, writes report.json from its counters and moves the output into place.
     *
     * @return the run's report
     */
    public RunReport finish() throws Exception {
      PipelineSettings settings = request.settings();
      JobExecutionResult result = client.getJobExecutionResult().get();
      RunReport report =
          new RunReport(
              result.getAllAccumulatorResults(),
              settings.validation().referenceTime(),
              settings.parallelism(),
              startedAt,
              System.currentTimeMillis());
      if (!report.balanced()) {
        throw new IllegalStateException("the run's counts do not add up: " + report.toJson());
      }
      Files.writeString(
          output.staging().resolve(REPORT), report.toJson() + "\n", StandardCharsets.UTF_8);
      if (tables != null) {
        // Just before the files: a swap that fails leaves both as they were.
        tables.swap();
      }
      output.commit();
      finished = true;
      return report;
    }

    @Override
    public void close() {
      if (!finished) {
        stop();
        output.abort();
      }
      if (tables != null) {
        tables.close(); // drops the copies unless they were swapped in
      }
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs.
      }
    }

    /**
     * Cancels the job if it still runs and waits a while for it to end, so that nothing writes into
     * the staging folder once it is removed.
     */
    private void stop() {
      if (client == null) {
        return;
      }
      try {
        client.cancel().get(STOP_SECONDS, TimeUnit.SECONDS);
        client.getJobExecutionResult().get(STOP_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // Ended already (or failed, or was cancelled now): nothing more to stop.
      }
    }
  }

  /**
   * Settings for a bounded run on an embedded mini-cluster that this process starts (never on a
   * cluster, whose scheduler and shuffle are its operators' choice): every stage runs at once and
   * records go from parsing to the contacts' sort through memory, instead of being written to local
   * files by the first stage and read back by the second. The keyed stages sort all their input
   * before they emit anything, so nothing waits on anything downstream; the sort spills what does
   * not fit in managed memory, as before. Measured on 1M events: the same outputs, about a quarter
   * less peak memory (no shuffle files and their read buffers), as fast or a little faster.
   *
   * <p>Pipelined exchanges need the pipelined-region scheduler: the adaptive batch scheduler, the
   * BATCH default, schedules stage by stage and would never start the consumers.
   */
  public static void pipelineOnEmbeddedCluster(Configuration config) {
    config.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_PIPELINED);
    config.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Default);
  }

  /** The environment of a bounded run: BATCH, fixed parallelism, no Kryo fallback. */
  static StreamExecutionEnvironment environment(Configuration base, int parallelism) {
    Configuration config = new Configuration(base);
    config.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
    config.set(PipelineOptions.GENERIC_TYPES, false);
    // Byte-identical outputs need the same parallelism on every run: the adaptive batch
    // scheduler must not choose its own.
    config.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
    // Every record type is an immutable Java record: chained operators may hand them on without
    // the defensive copy Flink makes otherwise.
    config.set(PipelineOptions.OBJECT_REUSE, true);
    // A blocking shuffle in this process (the mini-cluster of the tests, which keeps Flink's batch
    // exchanges; the launcher pipelines them, see pipelineOnEmbeddedCluster) stays on this
    // machine's disk: compressing it cost more CPU than the bytes it saved. A cluster's
    // TaskManagers keep their own setting.
    config.set(
        NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
        NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
    StreamExecutionEnvironment env = Environments.create(config);
    env.setParallelism(parallelism);
    return env;
  }

  private static void define(
      StreamExecutionEnvironment env, Request request, Path staging, BoundedTables tables) {
    SourceCatalog catalog = request.catalog();
    org.apache.flink.core.fs.Path[] paths =
        catalog.files().stream()
            .filter(file -> !KafkaPartitions.isPartition(file))
            .map(InputFile::uri)
            // From the URI, never its string: Flink's Path(String) would read "%20" literally.
            .map(uri -> new org.apache.flink.core.fs.Path(java.net.URI.create(uri)))
            .toArray(org.apache.flink.core.fs.Path[]::new);
    DataStream<RawLine> lines = null;
    if (paths.length > 0) {
      FileSource<RawLine> source =
          FileSource.forBulkFileFormat(
                  new JsonLinesFormat(catalog, request.settings().maxLineBytes()), paths)
              .setFileEnumerator(() -> new LineSplittingEnumerator(catalog))
              .build();
      lines =
          env.fromSource(source, WatermarkStrategy.noWatermarks(), "file-input")
              .uid(UID_SOURCE)
              .setParallelism(request.settings().parallelism());
    }
    if (request.kafka() != null) {
      DataStream<RawLine> records =
          KafkaSources.bounded(
              env,
              request.kafka(),
              catalog,
              request.settings().maxLineBytes(),
              UID_KAFKA_SOURCE,
              request.settings().parallelism());
      lines = lines == null ? records : lines.union(records);
    }
    OutputSinks sinks =
        new OutputSinks(
            request.writeEvents() ? fileSink(staging, EVENTS) : new DiscardingSink<byte[]>(),
            fileSink(staging, SUMMARIES),
            fileSink(staging, LISTINGS),
            fileSink(staging, REJECTED),
            request.settings().writeDuplicates() ? fileSink(staging, DUPLICATES) : null);
    PipelineSettings settings = request.settings();
    ContactFunction contacts =
        new ContactFunction(
            catalog,
            settings.validation().referenceTime(),
            settings.perPage(),
            settings.writeDuplicates());
    if (tables != null) {
      contacts.withContactStates();
    }
    Topology.Stages stages = Topology.bounded(lines, settings, contacts, sinks);
    if (tables != null) {
      DatabaseOutput.attachBounded(
          stages.contacts(), tables.tables(), tables.target(), settings.parallelism());
    }
  }

  private static PartFileSink fileSink(Path staging, String folder) {
    return new PartFileSink(staging.resolve(folder).toAbsolutePath().toUri());
  }
}
