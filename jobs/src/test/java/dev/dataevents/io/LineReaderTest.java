package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
  void readsInvalidUtf8AsReplacementCharacter() throws IOException {
    byte[] bytes = {'a', (byte) 0xFF, 'b', '\n'};
    assertThat(read(bytes, 100).get(0).text()).isEqualTo("a\uFFFDb");
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
}
