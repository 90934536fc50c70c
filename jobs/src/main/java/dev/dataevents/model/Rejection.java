package dev.dataevents.model;

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
}
