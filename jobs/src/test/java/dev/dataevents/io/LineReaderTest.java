package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  private static List<LineReader.Line> read(byte[] bytes, int maxLineBytes) throws IOException {
    return read(new ByteArrayInputStream(bytes), maxLineBytes);
  }

  private static List<LineReader.Line> read(InputStream in, int maxLineBytes) throws IOException {
    LineReader reader = new LineReader(in, maxLineBytes);
    List<LineReader.Line> lines = new ArrayList<>();
    for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
      lines.add(line);
    }
    return lines;
  }

  private static List<String> texts(String content) throws IOException {
    return read(content.getBytes(StandardCharsets.UTF_8), 1024).stream()
        .map(LineReader.Line::text)
        .toList();
  }

  @Test
  void splitsOnNewlinesAndKeepsBlankLines() throws IOException {
    assertThat(texts("a\n\nb\n")).containsExactly("a", "", "b");
  }

  @Test
  void lastLineWithoutNewlineIsALine() throws IOException {
    assertThat(texts("a\nb")).containsExactly("a", "b");
    assertThat(texts("")).isEmpty();
    assertThat(texts("\n")).containsExactly("");
  }

  @Test
  void dropsCarriageReturnBeforeLineEndOnly() throws IOException {
    assertThat(texts("a\r\nb\r\n")).containsExactly("a", "b");
    assertThat(texts("a\rb\n")).containsExactly("a\rb");
    assertThat(texts("a\r")).containsExactly("a");
  }

  @Test
  void dropsByteOrderMarkAtStartOfFileOnly() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(bom);
    bytes.write("{}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write(bom);
    bytes.write("x\n".getBytes(StandardCharsets.UTF_8));
    List<LineReader.Line> lines = read(bytes.toByteArray(), 100);
    assertThat(lines.get(0).text()).isEqualTo("{}");
    assertThat(lines.get(1).text()).isEqualTo("\uFEFFx");
  }

  @Test
  void aFileOfNothingButAByteOrderMarkHasNoLinesAsAnEmptyFile() throws IOException {
    assertThat(texts("\uFEFF")).isEmpty();
    assertThat(texts("\uFEFF\n")).containsExactly("");
    assertThat(texts("\uFEFFa")).containsExactly("a");
  }

  @Test
  void readsInvalidUtf8AsReplacementCharacter() throws IOException {
    byte[] bytes = {'a', (byte) 0xFF, 'b', '\n'};
    assertThat(read(bytes, 100).get(0).text()).isEqualTo("a\uFFFDb");
  }

  /**
   * Invalid bytes read as U+FFFD the way the Unicode Standard recommends (one for each maximal
   * subpart of a sequence, as Python's and browsers' decoders read them). The JDK's decoder does so
   * but for an encoded surrogate ({@code ED A0..BF}, as CESU-8 writes one), which it read as one
   * U+FFFD for two or three bytes.
   */
  @Test
  void invalidBytesReadAsTheUnicodeStandardRecommends() throws IOException {
    assertThat(line(0xED, 0xA0, 0x80)).isEqualTo("a\uFFFD\uFFFD\uFFFDb");
    assertThat(line(0xED, 0xBF, 0xBF)).isEqualTo("a\uFFFD\uFFFD\uFFFDb");
    assertThat(line(0xED, 0xA0)).isEqualTo("a\uFFFD\uFFFDb");
    assertThat(line(0xED, 0x9F, 0xBF)).isEqualTo("a\uD7FFb"); // the last before the surrogates
    assertThat(line(0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80)).isEqualTo("a" + "\uFFFD".repeat(6) + "b");
    assertThat(line(0xEF, 0xBF, 0xBD)).isEqualTo("a\uFFFDb"); // U+FFFD as sent
    assertThat(line(0xC0, 0x80)).isEqualTo("a\uFFFD\uFFFDb");
    assertThat(line(0xE2, 0x82)).isEqualTo("a\uFFFDb");
    assertThat(line(0xF4, 0x90, 0x80, 0x80)).isEqualTo("a" + "\uFFFD".repeat(4) + "b");
    // At the end of a line, too (the decoder's other path).
    assertThat(read(new byte[] {'a', (byte) 0xED, (byte) 0xA0}, 100).get(0).text())
        .isEqualTo("a\uFFFD\uFFFD");
    assertThat(LineReader.single(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 100).text())
        .isEqualTo("\uFFFD\uFFFD\uFFFD");
  }

  /**
   * Random bytes, rich in lead and continuation bytes, read as the reference decoder reads them.
   */
  @Test
  void anyBytesReadAsTheReferenceDecoderReadsThem() throws IOException {
    java.util.Random rnd = new java.util.Random(11);
    int[] interesting = {
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF
    };
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = new byte[1 + rnd.nextInt(12)];
      for (int j = 0; j < bytes.length; j++) {
        int b =
            rnd.nextInt(3) == 0 ? rnd.nextInt(256) : interesting[rnd.nextInt(interesting.length)];
        bytes[j] = (byte) (b == '\n' || b == '\r' ? 'x' : b);
      }
      String expected = ReferenceUtf8.decode(bytes);
      assertThat(LineReader.single(bytes, 100).text())
          .as(java.util.HexFormat.ofDelimiter(" ").formatHex(bytes))
          .isEqualTo(expected.startsWith("\uFEFF") ? expected.substring(1) : expected);
    }
  }

  private static String line(int... middle) throws IOException {
    byte[] bytes = new byte[middle.length + 3];
    bytes[0] = 'a';
    for (int i = 0; i < middle.length; i++) {
      bytes[i + 1] = (byte) middle[i];
    }
    bytes[middle.length + 1] = 'b';
    bytes[middle.length + 2] = '\n';
    return read(bytes, 100).get(0).text();
  }

  @Test
  void decodesCharactersBeyondTheBasicPlane() throws IOException {
    assertThat(texts("\uD83D\uDE80 \u6771\u4eac\n")).containsExactly("\uD83D\uDE80 \u6771\u4eac");
  }

  @Test
  void lineAtTheLimitIsAcceptedAndOneByteMoreIsTooLong() throws IOException {
    List<LineReader.Line> lines =
        read("12345\n123456\n12345\r\n".getBytes(StandardCharsets.UTF_8), 5);
    assertThat(lines).extracting(LineReader.Line::tooLong).containsExactly(false, true, false);
    assertThat(lines).extracting(LineReader.Line::text).containsExactly("12345", "123456", "12345");
  }

  @Test
  void limitCountsBytesNotCharacters() throws IOException {
    // "é" is two bytes in UTF-8: three of them are six bytes.
    List<LineReader.Line> lines = read("\u00e9\u00e9\u00e9\n".getBytes(StandardCharsets.UTF_8), 5);
    assertThat(lines.get(0).tooLong()).isTrue();
  }

  @Test
  void tooLongLineKeepsItsFirst1024CharactersAndTheNextLineIsIntact() throws IOException {
    String longLine = "x".repeat(5000);
    List<LineReader.Line> lines =
        read((longLine + "\nnext\n").getBytes(StandardCharsets.UTF_8), 2000);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).tooLong()).isTrue();
    assertThat(lines.get(0).text()).isEqualTo("x".repeat(1024));
    assertThat(lines.get(1)).isEqualTo(new LineReader.Line("next", false));
  }

  @Test
  void tooLongPrefixNeverSplitsASurrogatePair() throws IOException {
    String rocket = "\uD83D\uDE80";
    List<LineReader.Line> lines =
        read((rocket.repeat(3000) + "\n").getBytes(StandardCharsets.UTF_8), 100);
    assertThat(lines.get(0).text()).isEqualTo(rocket.repeat(1024));
  }

  @Test
  void linesSpanningManyReadBuffersAreJoined() throws IOException {
    // Hands out one byte per read, the worst case for the buffer logic.
    byte[] content = ("a".repeat(70_000) + "\nb\n").getBytes(StandardCharsets.UTF_8);
    InputStream trickle =
        new ByteArrayInputStream(content) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1));
          }
        };
    List<LineReader.Line> lines = read(trickle, 100_000);
    assertThat(lines).extracting(LineReader.Line::text).containsExactly("a".repeat(70_000), "b");
  }

  /** Hands out its bytes in the given pieces, with a read timeout between each. */
  private static InputStream timingOut(byte[]... pieces) {
    return new InputStream() {
      private int piece;
      private int pos;
      private boolean timeoutDue;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (piece == pieces.length) {
          return -1;
        }
        if (timeoutDue) {
          timeoutDue = false;
          throw new SocketTimeoutException("Read timed out");
        }
        int n = Math.min(len, pieces[piece].length - pos);
        System.arraycopy(pieces[piece], pos, b, off, n);
        pos += n;
        if (pos == pieces[piece].length) {
          piece++;
          pos = 0;
          timeoutDue = true;
        }
        return n;
      }
    };
  }

  @Test
  void aReadTimeoutInTheMiddleOfALineKeepsWhatWasRead() throws IOException {
    LineReader reader =
        new LineReader(
            timingOut(
                "\uFEFFfir".getBytes(StandardCharsets.UTF_8),
                "st\r".getBytes(StandardCharsets.UTF_8),
                "\nsec".getBytes(StandardCharsets.UTF_8),
                "ond\n".getBytes(StandardCharsets.UTF_8)),
            100);
    List<String> lines = new ArrayList<>();
    int timeouts = 0;
    while (true) {
      try {
        LineReader.Line line = reader.next();
        if (line == null) {
          break;
        }
        lines.add(line.text());
      } catch (SocketTimeoutException e) {
        timeouts++;
      }
    }
    assertThat(lines).containsExactly("first", "second");
    assertThat(timeouts).isEqualTo(3);
    assertThat(reader.consumed()).isEqualTo(17);
  }

  @Test
  void aTooLongLineStaysTooLongAcrossTimeouts() throws IOException {
    byte[] half = "x".repeat(3000).getBytes(StandardCharsets.UTF_8);
    LineReader reader =
        new LineReader(timingOut(half, half, "\nok\n".getBytes(StandardCharsets.UTF_8)), 5000);
    List<LineReader.Line> lines = new ArrayList<>();
    for (int attempts = 0; attempts < 10; attempts++) {
      try {
        LineReader.Line line = reader.next();
        if (line == null) {
          break;
        }
        lines.add(line);
      } catch (SocketTimeoutException e) {
        // go on with the line
      }
    }
    assertThat(lines)
        .containsExactly(
            new LineReader.Line("x".repeat(1024), true), new LineReader.Line("ok", false));
  }

  @Test
  void theLineBegunWhenTheStreamBrokeOffIsItsPartial() throws IOException {
    LineReader reader =
        new LineReader(
            timingOut(
                "whole\nhal".getBytes(StandardCharsets.UTF_8),
                "f\n".getBytes(StandardCharsets.UTF_8)),
            100);
    assertThat(reader.next()).isEqualTo(new LineReader.Line("whole", false));
    assertThat(reader.partial()).isNull(); // nothing of the next line read yet
    assertThatThrownBy(reader::next).isInstanceOf(SocketTimeoutException.class);
    // The connection is given up here: what was read of the line is a line.
    assertThat(reader.partial()).isEqualTo(new LineReader.Line("hal", false));
    assertThat(reader.partial()).isNull();
  }

  @Test
  void readyTellsWhetherBytesAreAtHand() throws IOException {
    LineReader reader =
        new LineReader(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), 100);
    assertThat(reader.ready()).isTrue();
    reader.next();
    assertThat(reader.ready()).isTrue(); // "b\n" is buffered
    reader.next();
    assertThat(reader.ready()).isFalse();
  }

  @Test
  void readsCountsEveryReadOfItsStreamSoItsCallersKnowWhenTheStreamMoved() throws IOException {
    byte[] bytes = "first\nsecond\nthird\n".getBytes(StandardCharsets.UTF_8);
    int[] calls = {0};
    // Three bytes a read, and every other read returns nothing (as a slow stream may).
    InputStream trickle =
        new ByteArrayInputStream(bytes) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            calls[0]++;
            return calls[0] % 2 == 0 ? 0 : super.read(b, off, Math.min(len, 3));
          }
        };
    LineReader reader = new LineReader(trickle, 100);
    assertThat(reader.reads()).isZero();

    for (String expected : new String[] {"first", "second", "third"}) {
      assertThat(reader.next().text()).isEqualTo(expected);
      assertThat(reader.reads()).isEqualTo(calls[0]);
    }
    assertThat(reader.next()).isNull();
    assertThat(reader.reads()).isEqualTo(calls[0]);
  }
}
