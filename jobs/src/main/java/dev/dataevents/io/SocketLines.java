package dev.dataevents.io;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns the lines of a socket into {@link RawLine}s: numbered from 1 since the job (re)started (a
 * socket cannot be replayed, so there is no earlier position to continue from), a trailing {@code
 * \r} dropped, over-long lines flagged as the file reader does.
 */
public final class SocketLines implements MapFunction<String, RawLine> {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int maxLineBytes;
  private long line;

  public SocketLines(String source, int maxLineBytes) {
    this.source = source;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public RawLine map(String text) {
    line++;
    String t = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    if (line == 1 && t.startsWith("\uFEFF")) {
      t = t.substring(1);
    }
    int bytes = t.getBytes(StandardCharsets.UTF_8).length;
    boolean tooLong = bytes > maxLineBytes;
    if (tooLong && t.codePointCount(0, t.length()) > LineReader.TOO_LONG_PREFIX_CHARS) {
      t = t.substring(0, t.offsetByCodePoints(0, LineReader.TOO_LONG_PREFIX_CHARS));
    }
    return new RawLine(0, source, SourceKind.EVENTS, line, t, tooLong, bytes + 1L);
  }
}
