package dev.dataevents.output;

import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import dev.dataevents.text.Text;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Counts rejections by reason and renders them. Runs after a {@code keyBy} on the input position,
 * which in BATCH mode sorts each subtask's rejections by (source, line): the output no longer
 * depends on which subtask happened to read which file.
 *
 * <p>A rejection that cannot be rendered must not fail the job (a restart would meet it again): it
 * is written as a well-formed {@code internal_error} rejection built only from its position and
 * source, and counted under that reason, so the report still adds up.
 */
public class RejectionCounter extends RichMapFunction<Rejection, byte[]>
    implements CountingFunction {
  private static final long serialVersionUID = 1L;

  private final CheckpointedCounts counts = new CheckpointedCounts();

  @Override
  public CheckpointedCounts reportCounts() {
    return counts;
  }

  private final SerializableFunction<Rejection, byte[]> render;

  private transient RunCounter rejected;
  private transient Map<String, RunCounter> byReason;

  public RejectionCounter() {
    this(RecordJson::rejection);
  }

  /** With another renderer: tests make it fail. */
  RejectionCounter(SerializableFunction<Rejection, byte[]> render) {
    this.render = render;
  }

  @Override
  public void open(OpenContext openContext) {
    rejected = counts.counter(Counters.REJECTED);
    byReason = new HashMap<>();
  }

  @Override
  public byte[] map(Rejection rejection) {
    byte[] line;
    String reason;
    try {
      line = render.apply(rejection);
      reason = rejection.reason();
    } catch (RuntimeException e) {
      line = internalError(rejection, e);
      reason = RejectionReason.INTERNAL_ERROR.code();
    }
    rejected.add(1);
    byReason.computeIfAbsent(reason, r -> counts.counter(Counters.REJECTED_PREFIX + r)).add(1);
    return line;
  }

  /**
   * The line written instead of a rejection that could not be rendered. Its raw line and message
   * may be what broke, so neither is kept; the exception's class says what happened.
   */
  static byte[] internalError(Rejection original, RuntimeException e) {
    long line = Math.max(1, original.line());
    String source =
        original.source() == null || original.source().isEmpty()
            ? "unknown"
            : Text.wellFormed(original.source());
    String message =
        "the rejection of this record could not be written (" + e.getClass().getSimpleName() + ")";
    try {
      return RecordJson.rejection(
          new Rejection(
              original.position(),
              RejectionReason.INTERNAL_ERROR.status(),
              RejectionReason.INTERNAL_ERROR.code(),
              null,
              message,
              source,
              line,
              ""));
    } catch (RuntimeException again) {
      // Nothing of the record is written but its line number: always well-formed.
      return ("{\"type\":\"rejection\",\"status\":500,\"reason\":\"internal_error\",\"field\":null,"
              + "\"message\":\"the rejection of this record could not be written\","
              + "\"source\":\"unknown\",\"line\":"
              + line
              + ",\"raw\":\"\"}")
          .getBytes(StandardCharsets.US_ASCII);
    }
  }
}
