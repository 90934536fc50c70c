package dev.dataevents.validation;

import dev.dataevents.job.Counters;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.model.SourceKind;
import org.apache.flink.api.common.accumulators.LongCounter;
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
public class RecordParser extends ProcessFunction<RawLine, ContactRecord> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<Rejection> REJECTED =
      new OutputTag<>("rejected", TypeInformation.of(Rejection.class));

  private final RecordValidator validator;
  private final boolean keepRaw;

  private transient LongCounter inputRecords;
  private transient LongCounter blankLines;
  private transient LongCounter bytesRead;

  /**
   * @param keepRaw keep each record's source and line for a later stage (duplicates output, a
   *     stream's keyed rejections)
   */
  public RecordParser(ValidationSettings settings, boolean keepRaw) {
    this.validator = new RecordValidator(settings);
    this.keepRaw = keepRaw;
  }

  @Override
  public void open(OpenContext openContext) {
    inputRecords = getRuntimeContext().getLongCounter(Counters.INPUT_RECORDS);
    blankLines = getRuntimeContext().getLongCounter(Counters.BLANK_LINES);
    bytesRead = getRuntimeContext().getLongCounter(Counters.BYTES_READ);
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
    try {
      if (line.tooLong()) {
        throw new RecordRejectedException(
            RejectionReason.LINE_TOO_LONG,
            null,
            "the line is longer than the --max-line-bytes limit");
      }
      String raw = keepRaw ? line.text() : null;
      String source = keepRaw ? line.source() : null;
      out.collect(
          line.kind() == SourceKind.SUMMARIES
              ? validator.summaryImport(line.text(), position, source, raw)
              : validator.event(line.text(), position, source, raw));
    } catch (RecordRejectedException e) {
      ctx.output(
          REJECTED,
          Rejection.of(
              e.reason(), e.field(), e.getMessage(), line.source(), position, line.text()));
    } catch (RuntimeException e) {
      ctx.output(
          REJECTED,
          Rejection.of(
              RejectionReason.INTERNAL_ERROR,
              null,
              "the record could not be processed: " + Text.wellFormed(String.valueOf(e)),
              line.source(),
              position,
              line.text()));
    }
  }
}
