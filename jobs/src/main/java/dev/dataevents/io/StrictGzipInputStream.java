package dev.dataevents.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The text of a gzip file (RFC 1952): one member or several one after another (what {@code cat a.gz
 * b.gz} makes), and nothing else.
 *
 * <p>Java's {@code GZIPInputStream} ends without an error at bytes after a member that do not make
 * a whole next member (trailing garbage, a second member cut inside its header), and stops after a
 * member whenever its stream reports nothing {@link InputStream#available() available}: lines lost
 * without a word. Commons Compress's reader is strict, but drops what it has inflated in the call
 * that meets the damage, so the lines before a cut could not all be read. This reader fails on any
 * damage, and only after handing over every byte that could be inflated before it: a stream reads a
 * broken file's lines up to the damage, and a bounded run names the line where it stopped.
 *
 * <p>Messages follow {@code GZIPInputStream}'s where it has one.
 */
final class StrictGzipInputStream extends InputStream {
  private static final int ID1 = 0x1f;
  private static final int ID2 = 0x8b;
  private static final int DEFLATE = 8;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED_FLAGS = 0xE0;
  private static final String NOT_GZIP = "Not in GZIP format";

  private final InputStream in;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final byte[] input;
  private int inputPos;
  private int inputEnd;

  /** Bytes of the file consumed before {@code input[0]}: where damage is, for the message. */
  private long consumedBefore;

  private int members;
  private long memberSize;
  private boolean inMember;
  private boolean eof;

  /** The damage met after bytes were already handed over: thrown by the next read, and after. */
  private IOException failure;

  private final byte[] single = new byte[1];

  /**
   * Reads the first member's header: a file that is not gzip fails here.
   *
   * @param in the compressed bytes, read in chunks of {@code bufferBytes} (no buffering needed)
   */
  StrictGzipInputStream(InputStream in, int bufferBytes) throws IOException {
    this.in = in;
    this.input = new byte[bufferBytes];
    if (nextByte() < 0) {
      throw new EOFException("Empty gzip file");
    }
    inputPos--;
    readHeader();
  }

  @Override
  public int read() throws IOException {
    return read(single, 0, 1) < 0 ? -1 : single[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (len == 0) {
      return 0;
    }
    if (eof) {
      return -1;
    }
    int n = 0;
    try {
      while (n == 0 && !eof) {
        if (!inMember && !startNextMember()) {
          eof = true;
          break;
        }
        n = inflate(b, off, len);
        if (failure == null && inflater.finished()) {
          readTrailer();
        }
      }
    } catch (IOException e) {
      failure = e;
      if (n == 0) {
        throw e;
      }
    }
    return n == 0 ? -1 : n;
  }

  /** As {@code InflaterInputStream}: 1 until the end, as no more can be known without inflating. */
  @Override
  public int available() throws IOException {
    return eof || failure != null ? 0 : 1;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    in.close();
  }

  private int inflate(byte[] b, int off, int len) throws IOException {
    while (true) {
      // Inflate before asking for input: the inflater may hold output from input it already has.
      int n;
      long writtenBefore = inflater.getBytesWritten();
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        ZipException damage =
            new ZipException(e.getMessage() == null ? "Invalid ZLIB data format" : e.getMessage());
        // zlib wrote what it decoded before the damage: hand that over, fail on the next read.
        int before = (int) (inflater.getBytesWritten() - writtenBefore);
        if (before <= 0) {
          throw damage;
        }
        failure = damage;
        n = before;
      }
      if (n > 0) {
        crc.update(b, off, n);
        memberSize += n;
        return n;
      }
      if (inflater.finished()) {
        return 0;
      }
      if (inflater.needsDictionary()) {
        throw new ZipException("A gzip member needs a preset dictionary");
      }
      if (inflater.needsInput()) {
        if (inputPos == inputEnd && !fill()) {
          throw new EOFException("Unexpected end of ZLIB input stream");
        }
        inflater.setInput(input, inputPos, inputEnd - inputPos);
        inputPos = inputEnd;
      }
    }
  }

  /** After a member: the end of the file, or the header of another whole member. */
  private boolean startNextMember() throws IOException {
    int first = nextByte();
    if (first < 0) {
      return false;
    }
    inputPos--;
    long at = position();
    try {
      readHeader();
    } catch (ZipException e) {
      throw new ZipException(
          (e.getMessage().equals(NOT_GZIP)
                  ? NOT_GZIP + " after gzip member " + members
                  : e.getMessage() + " of gzip member " + (members + 1))
              + " (at byte "
              + at
              + ")");
    }
    return true;
  }

  private void readHeader() throws IOException {
    crc.reset();
    if (headerByte() != ID1 || headerByte() != ID2) {
      throw new ZipException(NOT_GZIP);
    }
    if (headerByte() != DEFLATE) {
      throw new ZipException("Unsupported compression method");
    }
    int flags = headerByte();
    if ((flags & RESERVED_FLAGS) != 0) {
      throw new ZipException("Reserved gzip header flags set");
    }
    for (int i = 0; i < 6; i++) {
      headerByte(); // modification time, extra flags, operating system
    }
    if ((flags & FEXTRA) != 0) {
      int length = headerByte() | headerByte() << 8;
      for (int i = 0; i < length; i++) {
        headerByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (headerByte() != 0) {}
    }
    if ((flags & FCOMMENT) != 0) {
      while (headerByte() != 0) {}
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) crc.getValue() & 0xFFFF;
      if (headerByte(false) != (expected & 0xFF) || headerByte(false) != expected >>> 8) {
        throw new ZipException("Corrupt GZIP header");
      }
    }
    crc.reset();
    inflater.reset();
    memberSize = 0;
    inMember = true;
    members++;
  }

  private void readTrailer() throws IOException {
    // What the inflater was given beyond the member's end is the trailer and what follows.
    inputPos -= inflater.getRemaining();
    long expectedCrc = trailerInt();
    long expectedSize = trailerInt();
    if (expectedCrc != crc.getValue()) {
      throw new ZipException(
          "Corrupt GZIP trailer (CRC-32 mismatch in gzip member " + members + ")");
    }
    if (expectedSize != (memberSize & 0xFFFFFFFFL)) {
      throw new ZipException("Corrupt GZIP trailer (size mismatch in gzip member " + members + ")");
    }
    inMember = false;
  }

  private long trailerInt() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 32; shift += 8) {
      int b = nextByte();
      if (b < 0) {
        throw new EOFException("Unexpected end of gzip trailer");
      }
      value |= (long) b << shift;
    }
    return value;
  }

  private int headerByte() throws IOException {
    return headerByte(true);
  }

  private int headerByte(boolean checksummed) throws IOException {
    int b = nextByte();
    if (b < 0) {
      throw new EOFException("Unexpected end of gzip header");
    }
    if (checksummed) {
      crc.update(b);
    }
    return b;
  }

  private int nextByte() throws IOException {
    if (inputPos == inputEnd && !fill()) {
      return -1;
    }
    return input[inputPos++] & 0xFF;
  }

  /** Reads more compressed bytes into the empty buffer; false at the end of the file. */
  private boolean fill() throws IOException {
    consumedBefore += inputEnd;
    inputPos = inputEnd = 0;
    int n;
    do {
      n = in.read(input, 0, input.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    inputEnd = n;
    return true;
  }

  private long position() {
    return consumedBefore + inputPos;
  }
}
