package dev.dataevents.model;

/**
 * One physical line of an input file, as the reader hands it to parsing.
 *
 * @param sourceIndex index of the file for input positions ({@link SourceNaming#indexOf})
 * @param source the file as users name it
 * @param kind what the file's lines are
 * @param line physical line number, from 1, blank lines included
 * @param text the line decoded as UTF-8 (invalid bytes read as U+FFFD), without its line end, a
 *     trailing {@code \r} or a leading byte-order mark; for a line over the size limit only its
 *     first 1024 characters
 * @param tooLong whether the line was longer than the size limit
 * @param bytesRead bytes of the (possibly compressed) file consumed since the previous line; adds
 *     up to the file size, so progress can be shown against the total on disk
 * @param unreadable whether this is not a line but the point where the file could not be read on (a
 *     corrupt or truncated {@code .gz}, no permission): {@code line} is where reading stopped and
 *     {@code text} the error, one line
 */
public record RawLine(
    int sourceIndex,
    String source,
    SourceKind kind,
    long line,
    String text,
    boolean tooLong,
    long bytesRead,
    boolean unreadable) {

  /** A line as read. */
  public RawLine(
      int sourceIndex,
      String source,
      SourceKind kind,
      long line,
      String text,
      boolean tooLong,
      long bytesRead) {
    this(sourceIndex, source, kind, line, text, tooLong, bytesRead, false);
  }

  /**
   * The point where a file could not be read on: after the lines read before it, line {@code line}
   * and the rest of the file are not read, for the reason {@code error}.
   */
  public static RawLine unreadable(
      int sourceIndex, String source, SourceKind kind, long line, String error, long bytesRead) {
    return new RawLine(sourceIndex, source, kind, line, error, false, bytesRead, true);
  }

  /** Whether the line holds nothing but JSON white space: skipped and counted, not a record. */
  public boolean isBlank() {
    if (tooLong || unreadable) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
