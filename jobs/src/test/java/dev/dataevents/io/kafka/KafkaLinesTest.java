package dev.dataevents.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.LineReader;
import dev.dataevents.model.InputFile;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A Kafka record's value is read as a file line would be, named by its partition and offset. */
class KafkaLinesTest {
  private static final int LIMIT = 1024;

  /** The line a file holding only {@code bytes} (and a line end) gives. */
  private static LineReader.Line asFileLine(byte[] bytes) throws IOException {
    byte[] withEnd = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, withEnd, 0, bytes.length);
    withEnd[bytes.length] = '\n';
    return new LineReader(new ByteArrayInputStream(withEnd), LIMIT).next();
  }

  @Test
  void aValueIsDecodedAsTheFirstLineOfAFileWouldBe() throws IOException {
    List<byte[]> values = new ArrayList<>();
    values.add("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    values.add(new byte[0]);
    values.add("{\"a\":1}\r".getBytes(StandardCharsets.UTF_8));
    values.add(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    values.add(new byte[] {'"', (byte) 0xC3, '"'}); // invalid UTF-8
    values.add("é".repeat(LIMIT / 2).getBytes(StandardCharsets.UTF_8)); // exactly the limit
    values.add("é".repeat(LIMIT).getBytes(StandardCharsets.UTF_8)); // too long
    values.add(("x".repeat(LIMIT) + "\r").getBytes(StandardCharsets.UTF_8)); // \r not counted
    for (byte[] value : values) {
      assertThat(LineReader.single(value, LIMIT)).isEqualTo(asFileLine(value));
    }
    assertThat(LineReader.single("é".repeat(LIMIT).getBytes(StandardCharsets.UTF_8), LIMIT))
        .isEqualTo(new LineReader.Line("é".repeat(LineReader.TOO_LONG_PREFIX_CHARS), true));
  }

  @Test
  void aNewlineInsideAValueIsPartOfItsOneLine() {
    byte[] value = "{\"a\":\n1}".getBytes(StandardCharsets.UTF_8);
    assertThat(LineReader.single(value, LIMIT))
        .isEqualTo(new LineReader.Line("{\"a\":\n1}", false));
  }

  @Test
  void aStreamNamesThePartitionAndTheOffsetWithIndexZero() {
    KafkaLines lines = new KafkaLines(KafkaLines.STREAM, LIMIT);
    RawLine line = lines.line("orders.v1", 7, 12345L, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(line)
        .isEqualTo(new RawLine(0, "kafka:orders.v1/7", SourceKind.EVENTS, 12345L, "{}", false, 3));
  }

  @Test
  void anEmptyValueOrATombstoneIsABlankLine() {
    KafkaLines lines = new KafkaLines(KafkaLines.STREAM, LIMIT);
    assertThat(lines.line("t", 0, 1, new byte[0]).isBlank()).isTrue();
    assertThat(lines.line("t", 0, 2, null).isBlank()).isTrue();
  }

  @Test
  void aBoundedRunFindsEachPartitionInItsCatalogSortedAmongTheFiles() {
    SourceCatalog catalog =
        new SourceCatalog(
            List.of(
                new InputFile("a.jsonl", "file:///data/a.jsonl", SourceKind.EVENTS, 10),
                KafkaPartitions.inputFile("t", 0),
                KafkaPartitions.inputFile("t", 1)));
    KafkaLines lines = new KafkaLines(catalog, LIMIT);
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("t", 1, 40L, null, "{}".getBytes(StandardCharsets.UTF_8));
    List<RawLine> out = new ArrayList<>();
    lines.deserialize(
        record,
        new org.apache.flink.util.Collector<>() {
          @Override
          public void collect(RawLine r) {
            out.add(r);
          }

          @Override
          public void close() {}
        });
    assertThat(out).hasSize(1);
    assertThat(out.get(0).sourceIndex()).isEqualTo(2);
    assertThat(out.get(0).source()).isEqualTo("kafka:t/1");
    assertThat(out.get(0).line()).isEqualTo(40L);
    assertThat(catalog.get(2).source()).isEqualTo("kafka:t/1");
    assertThat(KafkaPartitions.isPartition(catalog.get(0))).isFalse();
    assertThat(KafkaPartitions.isPartition(catalog.get(1))).isTrue();
  }
}
