package dev.dataevents.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into physical lines on {@code \n}. Drops a UTF-8 byte-order mark at the
 * start and a {@code \r} before the line end; decodes UTF-8 with invalid bytes read as U+FFFD. A
 * line over the byte limit is held only up to the limit: its first 1024 characters are all that a
 * {@code line_too_long} rejection shows, so the rest is skipped: memory stays bounded by the limit
 * whatever the stream sends. Decoding never depends on the platform's default charset.
 */
public final class LineReader {
  /** Characters of an over-long line kept for its rejection. */
  public static final int TOO_LONG_PREFIX_CHARS = 1024;

  private static final int PREFIX_BYTES = TOO_LONG_PREFIX_CHARS * 4;

  /** A decoded line: its text (the prefix only when too long) and whether it was too long. */
  public record Line(String text, boolean tooLong) {}

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private int bufferPos;
  private int bufferEnd;
  private final long keepLimit;
  private boolean atStart;
  private boolean eof;
  private long consumed;
  private long reads;

  // The line being read: its bytes up to the keep limit, its whole size, its last byte, and
  // whether any of it was seen (an empty line too).
  private byte[] line = new byte[256];
  private int length;
  private long total;
  private byte last;
  private boolean pending;

  /** Whether the last line returned ended with the stream, not with a {@code \n}. */
  private boolean unterminated;

  /** A reader at the start of a file (where a byte-order mark is dropped). */
  public LineReader(InputStream in, int maxLineBytes) {
    this(in, maxLineBytes, true);
  }

  /**
   * @param startOfFile whether the stream starts at the start of the file, where a byte-order mark
   *     is dropped
   */
  public LineReader(InputStream in, int maxLineBytes, boolean startOfFile) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
    this.atStart = startOfFile;
    // Keep up to the limit plus room for a byte-order mark and a \r (and at least the prefix a
    // rejection shows); past that the line is too long for sure and the rest is skipped.
    this.keepLimit = Math.max((long) maxLineBytes + 4, PREFIX_BYTES + 3);
  }

  /** Bytes of the stream that the lines returned so far took, line ends included. */
  public long consumed() {
    return consumed;
  }

  /**
   * How many times this reader has read from its stream: the stream (and what it reads from) moves
   * only when this changes.
   */
  public long reads() {
    return reads;
  }

  /**
   * The next line, or null at the end of the stream. When the stream throws (a socket's read
   * timeout), the line begun so far is kept: calling again goes on with it.
   */
  public Line next() throws IOException {
    while (true) {
      if (bufferPos >= bufferEnd && !fill()) {
        if (pending && atStart && total == 3 && isByteOrderMark()) {
          // A file of nothing but the mark is an empty file: no line, not one blank line.
          finish();
          return null;
        }
        if (!pending) {
          return null;
        }
        unterminated = true;
        return finish();
      }
      unterminated = false;
      pending = true;
      int start = bufferPos;
      int newline = start;
      while (newline < bufferEnd && buffer[newline] != '\n') {
        newline++;
      }
      int chunk = newline - start;
      int keep = (int) Math.min(chunk, keepLimit - length);
      if (keep > 0) {
        ensureCapacity(length + keep);
        System.arraycopy(buffer, start, line, length, keep);
        length += keep;
      }
      if (chunk > 0) {
        last = buffer[newline - 1];
      }
      total += chunk;
      if (newline < bufferEnd) {
        bufferPos = newline + 1;
        consumed += chunk + 1;
        return finish();
      }
      consumed += chunk;
      bufferPos = bufferEnd;
    }
  }

  /**
   * Whether the last line {@link #next()} returned ended with the stream rather than with a {@code
   * \n}: the last line of a file without a final newline, or what is left of a line where a file
   * was cut short.
   */
  public boolean unterminated() {
    return unterminated;
  }

  /**
   * The line begun but not ended when the stream broke off (a dropped connection), as {@link
   * #next()} would return it at the end of the stream; null when no line was begun.
   */
  public Line partial() {
    return pending ? finish() : null;
  }

  /**
   * Whether more bytes are at hand without waiting: buffered here, or already received by the
   * stream.
   */
  public boolean ready() throws IOException {
    return bufferPos < bufferEnd || (!eof && in.available() > 0);
  }

  private boolean isByteOrderMark() {
    return length >= 3
        && (line[0] & 0xFF) == 0xEF
        && (line[1] & 0xFF) == 0xBB
        && (line[2] & 0xFF) == 0xBF;
  }

  /** The line kept so far, decoded; starts the next one. */
  private Line finish() {
    int offset = 0;
    long size = total;
    int kept = length;
    if (atStart) {
      atStart = false;
      if (isByteOrderMark()) {
        offset = 3;
        size -= 3;
      }
    }
    if (size > 0 && last == '\r') {
      size--;
      if (kept - offset > size) {
        kept = (int) (offset + size);
      }
    }
    pending = false;
    length = 0;
    total = 0;
    last = 0;
    return decode(line, offset, kept, size, maxLineBytes);
  }

  /**
   * A whole record as one line (a Kafka record's value): decoded by the rules of a line at the
   * start of a file (a byte-order mark and one trailing {@code \r} dropped, invalid UTF-8 read as
   * U+FFFD, only the first 1024 characters kept when over {@code maxLineBytes}). A {@code \n}
   * inside is part of the line, not a line end.
   */
  public static Line single(byte[] bytes, int maxLineBytes) {
    int offset = 0;
    long size = bytes.length;
    if (size >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      offset = 3;
      size -= 3;
    }
    if (size > 0 && bytes[bytes.length - 1] == '\r') {
      size--;
    }
    return decode(bytes, offset, (int) (offset + size), size, maxLineBytes);
  }

  /**
   * The line in {@code bytes[offset, kept)} whose whole size was {@code size} (more than was kept
   * when it is too long).
   */
  private static Line decode(byte[] bytes, int offset, int kept, long size, int maxLineBytes) {
    if (size <= maxLineBytes) {
      return new Line(utf8(bytes, offset, kept), false);
    }
    int prefix = Math.min(kept - offset, PREFIX_BYTES);
    return new Line(truncate(utf8(bytes, offset, offset + prefix)), true);
  }

  /**
   * UTF-8 with each invalid byte sequence read as the Unicode Standard recommends: one U+FFFD for
   * each maximal subpart (the bytes that could begin a character), as Python's and browsers'
   * decoders read them. The JDK's decoder does so, but for an encoded surrogate ({@code ED}
   * followed by {@code A0..BF}, as CESU-8 writes one), which it reads as one U+FFFD for two or
   * three bytes where the Standard has one for each: such an {@code ED} is read as the invalid byte
   * it is there, and the bytes after it as the stray continuation bytes they are.
   */
  static String utf8(byte[] bytes, int from, int to) {
    String text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') < 0) {
      return text; // valid UTF-8 (the check is one comparison for a Latin-1 text)
    }
    byte[] fixed = null;
    for (int i = from; i < to - 1; i++) {
      if (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xE0) == 0xA0) {
        if (fixed == null) {
          fixed = Arrays.copyOfRange(bytes, from, to);
        }
        fixed[i - from] = (byte) 0xFF; // never valid: one U+FFFD
      }
    }
    return fixed == null ? text : new String(fixed, StandardCharsets.UTF_8);
  }

  private static String truncate(String s) {
    int count = s.codePointCount(0, s.length());
    return count <= TOO_LONG_PREFIX_CHARS
        ? s
        : s.substring(0, s.offsetByCodePoints(0, TOO_LONG_PREFIX_CHARS));
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    reads++;
    int n = in.read(buffer, 0, buffer.length);
    while (n == 0) {
      reads++;
      n = in.read(buffer, 0, buffer.length);
    }
    if (n < 0) {
      eof = true;
      bufferPos = bufferEnd = 0;
      return false;
    }
    bufferPos = 0;
    bufferEnd = n;
    return true;
  }

  private void ensureCapacity(int needed) {
    if (needed > line.length) {
      byte[] bigger = new byte[Math.max(needed, line.length * 2)];
      System.arraycopy(line, 0, bigger, 0, line.length);
      line = bigger;
    }
  }
}
