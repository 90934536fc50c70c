package dev.dataevents.validation;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.model.SourceKind;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and validates each line where it was read (chained to the source, no shuffle). Valid
 * records go on to their contact; every other line becomes a {@link Rejection} on a side output, so
 * nothing is dropped silently. A line that makes the code throw is rejected {@code internal_error}
 * instead of failing the job.
 */
public class RecordParser extends ProcessFunction<RawLine, ContactRecord>
    implements CountingFunction {
  private static final long serialVersionUID = 1L;

  private final CheckpointedCounts counts = new CheckpointedCounts();

  @Override
  public CheckpointedCounts reportCounts() {
    return counts;
  }

  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(Rejection.class));

  /** Valid lines of the contacts directory. */
  public static final OutputTag<DirectoryEntry> DIRECTORY =
      new OutputTag<>("directory", TypeInformation.of(DirectoryEntry.class));

  private final RecordValidator validator;
  private final boolean keepRaw;
  private final TokenAuthenticator auth;
  private final String defaultWorkspace;

  private transient RunCounter inputRecords;
  private transient RunCounter blankLines;
  private transient RunCounter bytesRead;

  /**
   * @param keepRaw keep each record's source and line for a later stage (duplicates output, the
   *     directory join, a stream's keyed rejections)
   * @param auth when not null, lines are {@code {"access_token":...,"event":{...}}}: the token is
   *     checked first and never written anywhere (a rejection's {@code raw} has it redacted)
   */
  public RecordParser(ValidationSettings settings, boolean keepRaw, TokenAuthenticator auth) {
    this.auth = auth;
    this.defaultWorkspace = settings.defaultWorkspace();
    this.validator = new RecordValidator(settings);
    this.keepRaw = keepRaw;
  }

  @Override
  public void open(OpenContext openContext) {
    inputRecords = counts.counter(Counters.INPUT_RECORDS);
    blankLines = counts.counter(Counters.BLANK_LINES);
    bytesRead = counts.counter(Counters.BYTES_READ);
  }

  @Override
  public void processElement(RawLine line, Context ctx, Collector<ContactRecord> out) {
    bytesRead.add(line.bytesRead());
    if (line.isBlank()) {
      blankLines.add(1);
      return;
    }
    inputRecords.add(1);
    long position = InputPosition.of(line.sourceIndex(), line.line());
    // With --auth the line holds a secret: only its redacted form may leave this function, in a
    // rejection or with a record (a stream keeps it in state). Nothing is shown before it is known.
    String shown = auth == null ? line.text() : TokenAuthenticator.NOT_SHOWN;
    TokenAuthenticator.Checked checked = null;
    try {
      if (line.unreadable()) {
        // The text is the reader's error, not a line of the file; still redacted under --auth.
        shown = auth == null ? line.text() : auth.redactLine(line.text());
        throw new RecordRejectedException(
            RejectionReason.UNREADABLE_FILE,
            null,
            "the file could not be read on from this line; the rest of it is not read");
      }
      if (auth != null) {
        if (line.tooLong()) {
          shown = auth.redactCutLine(line.text());
        } else if (line.kind() == SourceKind.CONTACTS) {
          shown = auth.redactLine(line.text());
        } else {
          checked = auth.check(line.text(), defaultWorkspace);
          shown = checked.shown();
        }
      }
      if (line.tooLong()) {
        // Every bad directory line is an invalid contact, a line too long as much as bad JSON.
        throw new RecordRejectedException(
            line.kind() == SourceKind.CONTACTS
                ? RejectionReason.INVALID_CONTACT
                : RejectionReason.LINE_TOO_LONG,
            null,
            "the line is longer than the --max-line-bytes limit");
      }
      String raw = keepRaw ? shown : null;
      String source = keepRaw ? line.source() : null;
      // Tokens guard events; the directory is the operator's own file.
      switch (line.kind()) {
        case CONTACTS ->
            ctx.output(
                DIRECTORY, validator.directoryEntry(line.text(), position, line.source(), raw));
        case SUMMARIES ->
            out.collect(
                checked == null
                    ? validator.summaryImport(line.text(), position, source, raw)
                    : checkedRecord(
                        checked, validator.summaryImport(checked.event(), position, source, raw)));
        default ->
            out.collect(
                checked == null
                    ? validator.event(line.text(), position, source, raw)
                    : checkedRecord(
                        checked, validator.event(checked.event(), position, source, raw)));
      }
    } catch (RecordRejectedException e) {
      String message = checked == null ? e.getMessage() : checked.scrub(e.getMessage());
      ctx.output(
          REJECTED, Rejection.of(e.reason(), e.field(), message, line.source(), position, shown));
    } catch (RuntimeException e) {
      RecordFaults.rethrowIfNotTheRecords(e);
      // An exception's message may quote the line: with --auth only its type is told.
      String what = auth == null ? String.valueOf(e) : e.getClass().getName();
      ctx.output(REJECTED, Rejection.internalError(what, line.source(), position, shown));
    }
  }

  /** The record of an {@code --auth} line, refused when what is written of it holds a token. */
  private static ContactRecord checkedRecord(
      TokenAuthenticator.Checked checked, ContactRecord record) throws RecordRejectedException {
    checked.refuseIfCarried(record);
    return record;
  }
}
