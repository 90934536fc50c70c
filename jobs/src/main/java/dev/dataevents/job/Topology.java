package dev.dataevents.job;

import dev.dataevents.contact.ContactOutputs;
import dev.dataevents.contact.DirectoryDedup;
import dev.dataevents.contact.DirectoryJoin;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.Rejection;
import dev.dataevents.output.OutputLine;
import dev.dataevents.output.RejectionCounter;
import dev.dataevents.validation.RecordParser;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * The one pipeline every job runs: lines -> parse and validate (chained to the source) -> {@code
 * keyBy(workspace, contact)} -> the contact function -> sinks; rejections are keyed by input
 * position on their way out so their order is fixed. Jobs differ only in source, sinks and runtime
 * mode. A bounded run orders each contact's records by input position and crosses the {@code keyBy}
 * with them packed ({@link PackedContactRecord}); a stream keys the records themselves.
 *
 * <p>The uids are part of the savepoint format: never change them.
 */
public final class Topology {
  public static final String UID_PARSE = "parse-validate";
  public static final String UID_CONTACTS = "contact-state";
  public static final String UID_DIRECTORY_DEDUP = "directory-dedup";
  public static final String UID_DIRECTORY_JOIN = "directory-join";
  public static final String UID_REJECTIONS = "rejection-order";
  public static final String UID_INPUT_ORDER = "input-order";
  public static final String UID_PACK = "pack-records";
  public static final String UID_EVENTS_SINK = "events-sink";
  public static final String UID_SUMMARIES_SINK = "summaries-sink";
  public static final String UID_LISTINGS_SINK = "listings-sink";
  public static final String UID_REJECTED_SINK = "rejected-sink";
  public static final String UID_DUPLICATES_SINK = "duplicates-sink";

  /** Whether the input ends; each job says which it runs. */
  public enum Mode {
    /** Files read to their end (backfill, recompute): BATCH, results at end of input. */
    BOUNDED,
    /** A socket or a watched folder, never ending: STREAMING, results as records arrive. */
    STREAMING
  }

  /**
   * The operators whose functions keep report counts in their checkpointed state ({@link
   * dev.dataevents.reporting.CountingFunction}): a stream's report is read from there.
   */
  public static final List<String> COUNTING_UIDS =
      List.of(UID_PARSE, UID_DIRECTORY_DEDUP, UID_DIRECTORY_JOIN, UID_CONTACTS, UID_REJECTIONS);

  private Topology() {}

  /**
   * Whether records keep their source and line past parsing: for the duplicates output, and where a
   * later stage may reject records (the directory join, a stream's dedup horizon).
   */
  static boolean keepsRaw(PipelineSettings settings, Mode mode) {
    return settings.writeDuplicates() || settings.directory() || mode == Mode.STREAMING;
  }

  /**
   * What a job may send to more sinks than the files.
   *
   * @param contacts the contact stage, whose side outputs carry each contact's state when asked for
   *     (a database)
   * @param rejected the rejections as written to {@code sinks.rejected()} (a dead-letter topic)
   */
  public record Stages(SingleOutputStreamOperator<byte[]> contacts, DataStream<byte[]> rejected) {}

  /**
   * Wires the pipeline of a bounded run (backfill, recompute) onto {@code lines}.
   *
   * @param lines the input lines (from a source with uid and name set by the job)
   * @param settings the run's settings
   * @param contactFunction the keyed contact logic ({@link dev.dataevents.contact.ContactFunction})
   * @param sinks where the outputs go
   * @return the stages that more sinks may take from (a database, a dead-letter topic)
   */
  public static Stages bounded(
      DataStream<RawLine> lines,
      PipelineSettings settings,
      KeyedProcessFunction<Long, PackedContactRecord, byte[]> contactFunction,
      OutputSinks sinks) {
    int parallelism = settings.parallelism();
    return define(
        lines,
        Mode.BOUNDED,
        settings,
        records ->
            records
                // BATCH sorts a keyed input by key and then by timestamp: with its input position
                // as timestamp, each contact's records reach the contact function in input order,
                // which is what lets it keep the first copy of a duplicate and write events as
                // they come (ContactFunction).
                .assignTimestampsAndWatermarks(
                    WatermarkStrategy.<ContactRecord>noWatermarks()
                        .withTimestampAssigner((record, previous) -> record.position()))
                .name("input-order")
                .uid(UID_INPUT_ORDER)
                .setParallelism(parallelism)
                .map(new PackRecords(), TypeInformation.of(PackedContactRecord.class))
                .name("pack-records")
                .uid(UID_PACK)
                .setParallelism(parallelism)
                .keyBy(PackedContactRecord::contactHash, Types.LONG)
                .process(contactFunction, OutputLine.TYPE),
        sinks);
  }

  /**
   * Wires the pipeline of a stream onto {@code lines}.
   *
   * @param lines the input lines (from a source with uid and name set by the job)
   * @param settings the run's settings
   * @param contactFunction the keyed contact logic ({@link
   *     dev.dataevents.contact.StreamingContactFunction})
   * @param sinks where the outputs go
   * @return the stages that more sinks may take from (a database, a dead-letter topic)
   */
  public static Stages streaming(
      DataStream<RawLine> lines,
      PipelineSettings settings,
      KeyedProcessFunction<Long, ContactRecord, byte[]> contactFunction,
      OutputSinks sinks) {
    return define(
        lines,
        Mode.STREAMING,
        settings,
        records ->
            records
                .keyBy(ContactRecord::contactHash, Types.LONG)
                .process(contactFunction, OutputLine.TYPE),
        sinks);
  }

  /**
   * The pipeline of either mode.
   *
   * @param contactStage the keyed contact stage over the valid records, its name and uid still to
   *     be set
   */
  private static Stages define(
      DataStream<RawLine> lines,
      Mode mode,
      PipelineSettings settings,
      Function<DataStream<ContactRecord>, SingleOutputStreamOperator<byte[]>> contactStage,
      OutputSinks sinks) {
    int parallelism = settings.parallelism();
    boolean bounded = mode == Mode.BOUNDED;
    SingleOutputStreamOperator<ContactRecord> records =
        lines
            .process(
                new RecordParser(settings.validation(), keepsRaw(settings, mode), settings.auth()),
                TypeInformation.of(ContactRecord.class))
            .name("parse-and-validate")
            .uid(UID_PARSE)
            .setParallelism(parallelism);

    DataStream<ContactRecord> contactRecords = records;
    DataStream<Rejection> directoryRejections = null;
    DataStream<byte[]> directoryDuplicates = null;
    if (settings.directory()) {
      // A keyed join, not a broadcast: each directory entry goes to the keys of its identifiers.
      SingleOutputStreamOperator<DirectoryEntry> indexed =
          records
              .getSideOutput(RecordParser.DIRECTORY)
              .keyBy(DirectoryEntry::idHash, Types.LONG)
              .process(
                  new DirectoryDedup(bounded, settings.writeDuplicates()),
                  TypeInformation.of(DirectoryEntry.class))
              .name("directory-dedup")
              .uid(UID_DIRECTORY_DEDUP)
              .setParallelism(parallelism);
      directoryDuplicates = indexed.getSideOutput(ContactOutputs.DUPLICATES);
      SingleOutputStreamOperator<ContactRecord> resolved =
          records
              .keyBy(ContactRecord::contactHash, Types.LONG)
              .connect(indexed.keyBy(DirectoryEntry::indexHash, Types.LONG))
              .process(new DirectoryJoin(bounded), TypeInformation.of(ContactRecord.class))
              .name("directory-join")
              .uid(UID_DIRECTORY_JOIN)
              .setParallelism(parallelism);
      contactRecords = resolved;
      directoryRejections =
          indexed
              .getSideOutput(ContactOutputs.REJECTED)
              .union(resolved.getSideOutput(ContactOutputs.REJECTED));
    }

    SingleOutputStreamOperator<byte[]> events =
        contactStage
            .apply(contactRecords)
            .name("contact-dedup-summary-listing")
            .uid(UID_CONTACTS)
            .setParallelism(parallelism);

    DataStream<Rejection> rejections =
        records
            .getSideOutput(RecordParser.REJECTED)
            .union(events.getSideOutput(ContactOutputs.REJECTED));
    if (directoryRejections != null) {
      rejections = rejections.union(directoryRejections);
    }
    DataStream<byte[]> rejected =
        rejections
            .keyBy(Rejection::position, Types.LONG)
            .map(new RejectionCounter(), OutputLine.TYPE)
            .name("count-rejections")
            .uid(UID_REJECTIONS)
            .setParallelism(parallelism);

    sink(events, sinks.events(), "events-sink", UID_EVENTS_SINK, parallelism);
    sink(
        events.getSideOutput(ContactOutputs.SUMMARIES),
        sinks.summaries(),
        "summaries-sink",
        UID_SUMMARIES_SINK,
        parallelism);
    sink(
        events.getSideOutput(ContactOutputs.LISTINGS),
        sinks.listings(),
        "listings-sink",
        UID_LISTINGS_SINK,
        parallelism);
    sink(rejected, sinks.rejected(), "rejected-sink", UID_REJECTED_SINK, parallelism);
    if (sinks.duplicates() != null) {
      DataStream<byte[]> duplicates = events.getSideOutput(ContactOutputs.DUPLICATES);
      if (directoryDuplicates != null) {
        duplicates = duplicates.union(directoryDuplicates);
      }
      sink(duplicates, sinks.duplicates(), "duplicates-sink", UID_DUPLICATES_SINK, parallelism);
    }
    return new Stages(events, rejected);
  }

  private static void sink(
      DataStream<byte[]> stream, Sink<byte[]> sink, String name, String uid, int parallelism) {
    stream.sinkTo(sink).name(name).uid(uid).setParallelism(parallelism);
  }
}
