package dev.dataevents.bench.jmh;

import dev.dataevents.contact.ContactFunction;
import dev.dataevents.contact.ContactOutputs;
import dev.dataevents.contact.ContactResults;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.InputFile;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import dev.dataevents.model.binary.ContactRecordPacker;
import dev.dataevents.output.ContactJson;
import dev.dataevents.output.RecordJson;
import dev.dataevents.text.Sha256;
import dev.dataevents.validation.RecordRejectedException;
import dev.dataevents.validation.RecordValidator;
import dev.dataevents.validation.TokenAuthenticator;
import dev.dataevents.validation.ValidationSettings;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.SortedMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.sorted.state.BatchExecutionStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Every call the JMH benchmarks make into the jobs module, in one place: when the job's hot paths
 * change their API, adapt this class and the benchmarks stay as they are. {@code HotPathsTest}
 * checks that each entry point still does the work its benchmark claims to measure.
 */
public final class HotPaths {
  /** The reference time of the benchmark records (2026-11-01T00:00:00Z), as {@code --as-of}. */
  public static final long AS_OF = 1_793_491_200L;

  private static final String SOURCE = "events.jsonl";
  private static final SourceCatalog CATALOG =
      new SourceCatalog(
          List.of(new InputFile(SOURCE, "file:///bench/events.jsonl", SourceKind.EVENTS, 0)));
  private static final RecordValidator VALIDATOR =
      new RecordValidator(
          new ValidationSettings(
              ValidationSettings.DEFAULT_WORKSPACE,
              AS_OF,
              ValidationSettings.DEFAULT_MAX_FUTURE_SECONDS,
              ValidationSettings.DEFAULT_MAX_METADATA_KEYS));
  private static final int PER_PAGE = 50;

  private HotPaths() {}

  /**
   * Parses and validates one event line as the job's parse stage does ({@code RecordParser}): the
   * accepted {@link ContactRecord}, or the {@link Rejection} it becomes. A bounded run without
   * {@code --duplicates} keeps neither source nor raw line on accepted records.
   */
  public static Object parse(String line, long lineNumber) {
    long position = InputPosition.of(0, lineNumber);
    try {
      return VALIDATOR.event(line, position, null, null);
    } catch (RecordRejectedException e) {
      return Rejection.of(e.reason(), e.field(), e.getMessage(), SOURCE, position, line);
    }
  }

  /** The access token of {@link #authLine} lines; {@link #AUTH} knows only its SHA-256. */
  public static final String TOKEN = "tok_bench_7f3a9c2e41d8b6a05e";

  /** A tokens file granting {@link #TOKEN} {@code write_events} in workspace {@code ws_1}. */
  private static final TokenAuthenticator AUTH =
      TokenAuthenticator.of(
          "{\"tokens\":[{\"sha256\":\""
              + sha256(TOKEN)
              + "\",\"workspace_id\":\"ws_1\",\"scopes\":[\"write_events\"]}]}");

  /** An event line as a stream under {@code --auth} reads it: with {@link #TOKEN}. */
  public static String authLine(String eventLine) {
    return "{\"access_token\":\"" + TOKEN + "\",\"event\":" + eventLine + "}";
  }

  /**
   * Parses and validates one {@code --auth} line as the parse stage of a stream under {@code
   * --auth} does ({@code RecordParser}): the token checked, the event validated, the record refused
   * when it carries a token; the accepted {@link ContactRecord}, or the {@link Rejection}.
   */
  public static Object parseAuthenticated(String line, long lineNumber) {
    long position = InputPosition.of(0, lineNumber);
    TokenAuthenticator.Checked checked = AUTH.check(line, ValidationSettings.DEFAULT_WORKSPACE);
    try {
      ContactRecord record = VALIDATOR.event(checked.event(), position, SOURCE, checked.shown());
      checked.refuseIfCarried(record);
      return record;
    } catch (RecordRejectedException e) {
      return Rejection.of(
          e.reason(), e.field(), checked.scrub(e.getMessage()), SOURCE, position, checked.shown());
    }
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(Sha256.digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The accepted record of a line that must be valid (benchmark fixtures). */
  public static ContactRecord accepted(String line, long lineNumber) {
    Object parsed = parse(line, lineNumber);
    if (parsed instanceof ContactRecord record) {
      return record;
    }
    throw new IllegalArgumentException("rejected: " + ((Rejection) parsed).reason() + ": " + line);
  }

  /** The rejection reason of a parsed line, or null when it was accepted. */
  public static String rejectionReason(Object parsed) {
    return parsed instanceof Rejection rejection ? rejection.reason() : null;
  }

  /**
   * What the job made of an accepted line, for checks of generated data.
   *
   * @param metadata the kept metadata as a JSON object, or null when none was kept
   */
  public record Accepted(
      String workspaceId,
      String contactKey,
      String eventName,
      long createdAt,
      String metadata,
      int metadataKeysDropped,
      int metadataValuesTruncated) {}

  /** What the job made of a line that {@link #parse} accepted. */
  public static Accepted accepted(Object parsed) {
    ContactRecord r = (ContactRecord) parsed;
    return new Accepted(
        r.workspaceId(),
        r.contactKey(),
        r.eventName(),
        r.createdAt(),
        r.metadataJson(),
        r.metadataKeysDropped(),
        r.metadataValuesTruncated());
  }

  /** An accepted event as written to {@code events/}. */
  public static byte[] renderAcceptedEvent(ContactRecord record) {
    return RecordJson.acceptedEvent(record);
  }

  /** A rejection as written to {@code rejected/}; {@code rejected} comes from {@link #parse}. */
  public static byte[] renderRejection(Object rejected) {
    return RecordJson.rejection((Rejection) rejected);
  }

  /**
   * What a contact's summary and listing pages are rendered from, computed once so that a rendering
   * benchmark measures the rendering only.
   */
  public record ContactView(
      ContactId contact,
      dev.dataevents.model.Identifiers identifiers,
      SortedMap<String, long[]> summaryCounts,
      List<ListedEvent> listed) {}

  /** The view of one contact's accepted records (all of one contact, duplicates removed). */
  public static ContactView contactView(List<ContactRecord> records) {
    ContactRecord first = records.get(0);
    ContactId contact = new ContactId(first.workspaceId(), first.contactKey());
    ContactResults results = ContactResults.of(contact, records, AS_OF);
    return new ContactView(
        contact, results.identifiers(), results.summaryCounts(), results.listed());
  }

  /** A contact's {@code event.summary} line. */
  public static byte[] renderSummary(ContactView view) {
    return ContactJson.summary(view.contact(), view.identifiers(), view.summaryCounts(), null);
  }

  /** A contact's {@code event.list} pages, {@value #PER_PAGE} events to a page. */
  public static List<byte[]> renderListingPages(ContactView view) {
    return ContactJson.listingPages(
        view.contact(), view.identifiers(), view.listed(), PER_PAGE, null);
  }

  private static final class NoOpFunction
      extends KeyedProcessFunction<Long, PackedContactRecord, byte[]> {
    @Override
    public void processElement(PackedContactRecord record, Context ctx, Collector<byte[]> out) {
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }
  }

  /**
   * The bounded run's keyed contact function on Flink's operator harness, opened once and fed one
   * contact after another. Each {@link #run} is one key's whole life in a BATCH run: its records,
   * then the end of its input (a watermark at the end of time fires the key's timer), which emits
   * the contact's events, summary and listing pages and clears its state.
   */
  public static final class ContactStage implements AutoCloseable {
    private static final List<OutputTag<?>> SIDE_OUTPUTS =
        List.of(
            ContactOutputs.SUMMARIES,
            ContactOutputs.LISTINGS,
            ContactOutputs.DUPLICATES,
            ContactOutputs.REJECTED);

    private final KeyedOneInputStreamOperatorTestHarness<Long, PackedContactRecord, byte[]> harness;

    private ContactStage(KeyedProcessFunction<Long, PackedContactRecord, byte[]> function)
        throws Exception {
      harness =
          new KeyedOneInputStreamOperatorTestHarness<>(
              new KeyedProcessOperator<>(function), PackedContactRecord::contactHash, Types.LONG);
      // The keyed state a BATCH run has: one key's state at a time, plain maps, no copies.
      harness.setStateBackend(new BatchExecutionStateBackend());
      harness.open();
    }

    /** The bounded run's contact function, as a backfill without {@code --duplicates} runs it. */
    public static ContactStage contactFunction() throws Exception {
      return new ContactStage(new ContactFunction(CATALOG, AS_OF, PER_PAGE, false));
    }

    /**
     * A keyed function that only registers the key's end-of-input timer: what the harness costs
     * without the work.
     */
    public static ContactStage noOp() throws Exception {
      return new ContactStage(new NoOpFunction());
    }

    /** Records as the bounded topology hands them to the contact function: packed. */
    public static List<PackedContactRecord> packed(List<ContactRecord> records) {
      ContactRecordPacker packer = new ContactRecordPacker();
      return records.stream().map(packer::pack).toList();
    }

    /**
     * One contact's records, then the end of its input; returns how many lines it emitted (events,
     * summary, listing pages and rejections), which are then discarded.
     */
    public int run(List<PackedContactRecord> records) throws Exception {
      for (PackedContactRecord record : records) {
        harness.processElement(new StreamRecord<>(record));
      }
      harness.processWatermark(new Watermark(Long.MAX_VALUE));
      Queue<Object> output = harness.getOutput();
      int emitted = 0;
      for (Object element : output) {
        // The queue also holds the watermark.
        if (element instanceof StreamRecord) {
          emitted++;
        }
      }
      output.clear();
      for (OutputTag<?> tag : SIDE_OUTPUTS) {
        Queue<?> side = harness.getSideOutput(tag);
        if (side != null) {
          emitted += side.size();
          side.clear();
        }
      }
      return emitted;
    }

    @Override
    public void close() throws Exception {
      harness.close();
    }
  }
}
