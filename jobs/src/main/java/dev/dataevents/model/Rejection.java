package dev.dataevents.model;

import dev.dataevents.model.binary.RejectionSerializer;
import dev.dataevents.text.Text;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A rejected input record, as written to {@code rejected/}.
 *
 * @param position the record's {@link InputPosition}, to order rejections deterministically
 * @param status HTTP status the API would answer
 * @param reason a {@link RejectionReason#code()}
 * @param field the field the rule is about, {@code metadata.<key>} for metadata, or null
 * @param message a human-readable explanation
 * @param source the input file as the user named it
 * @param line physical line number from 1
 * @param raw the line as read (its first 1024 characters for {@code line_too_long})
 */
@TypeInfo(RejectionSerializer.Factory.class)
public record Rejection(
    long position,
    int status,
    String reason,
    String field,
    String message,
    String source,
    long line,
    String raw) {

  public static Rejection of(
      RejectionReason reason,
      String field,
      String message,
      String source,
      long position,
      String raw) {
    return new Rejection(
        position,
        reason.status(),
        reason.code(),
        field,
        message,
        source,
        InputPosition.line(position),
        raw);
  }

  /**
   * The rejection of a record that made the code throw: {@code internal_error}, never a failed job
   * (a restart would meet the record again).
   *
   * @param what what was thrown, as it may be shown (under {@code --auth} its type only)
   * @param raw the line, or null when the run kept none past parsing (then shown empty)
   */
  public static Rejection internalError(String what, String source, long position, String raw) {
    return of(
        RejectionReason.INTERNAL_ERROR,
        null,
        "the record could not be processed: " + Text.wellFormed(what),
        source,
        position,
        Objects.requireNonNullElse(raw, ""));
  }
}
