package dev.dataevents.io.kafka;

import dev.dataevents.io.LineReader;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceNaming;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into the {@link RawLine} a file line would be: its value is one line (the
 * rules of {@link LineReader#single}: the line limit, UTF-8 with U+FFFD for invalid bytes), an
 * empty or absent value a blank line; its source is {@code kafka:<topic>/<partition>} and its line
 * number the record's offset. Keys and headers are not read.
 */
public final class KafkaLines implements KafkaRecordDeserializationSchema<RawLine> {
  private static final long serialVersionUID = 1L;

  private static final byte[] EMPTY = new byte[0];

  private final SourceNaming naming;
  private final int maxLineBytes;

  /**
   * @param naming finds a partition's index for input positions by {@link KafkaPartitions#path} (a
   *     bounded run's catalog); a stream's is {@link #STREAM}
   * @param maxLineBytes the longest line accepted
   */
  public KafkaLines(SourceNaming naming, int maxLineBytes) {
    this.naming = naming;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The naming of a stream's partitions: a stream keeps the first copy to arrive, so input
   * positions need no source index (all are 0), and partitions may appear while it runs.
   */
  public static final SourceNaming STREAM = new StreamNaming();

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawLine> out) {
    out.collect(line(record.topic(), record.partition(), record.offset(), record.value()));
  }

  /** The line of a record (its value may be null: a tombstone reads as a blank line). */
  RawLine line(String topic, int partition, long offset, byte[] value) {
    byte[] bytes = value == null ? EMPTY : value;
    LineReader.Line line = LineReader.single(bytes, maxLineBytes);
    String path = KafkaPartitions.path(topic, partition);
    return new RawLine(
        naming.indexOf(path),
        KafkaPartitions.source(topic, partition),
        naming.kindOf(path),
        offset,
        line.text(),
        line.tooLong(),
        // As if the value were a line of a file, its line end included: progress counts bytes.
        bytes.length + 1L);
  }

  @Override
  public TypeInformation<RawLine> getProducedType() {
    return TypeInformation.of(RawLine.class);
  }

  private static final class StreamNaming implements SourceNaming {
    private static final long serialVersionUID = 1L;

    @Override
    public int indexOf(String path) {
      return 0;
    }

    @Override
    public String sourceOf(String path) {
      return "kafka:" + path.substring(1);
    }

    @Override
    public dev.dataevents.model.SourceKind kindOf(String path) {
      return dev.dataevents.model.SourceKind.EVENTS;
    }
  }
}
