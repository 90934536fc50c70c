package dev.dataevents.io.kafka;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceKind;

/**
 * How a topic partition is named where files are named: in rejections ({@code source} is {@code
 * kafka:<topic>/<partition>}, {@code line} the record's offset) and in a bounded run's catalog,
 * where each partition read is one input (so a duplicate's kept copy is named the same way, and the
 * copy with the smallest (source, offset) wins as with files).
 */
public final class KafkaPartitions {
  /** The scheme of a partition's location in a catalog; never a file a file source reads. */
  private static final String SCHEME = "kafka:";

  private KafkaPartitions() {}

  /** The partition as rejections name it. */
  public static String source(String topic, int partition) {
    return SCHEME + topic + "/" + partition;
  }

  /**
   * The key a catalog finds the partition by (the path of its location): topic names hold only
   * {@code [A-Za-z0-9._-]}, so the location is a valid URI as it is.
   */
  public static String path(String topic, int partition) {
    return "/" + topic + "/" + partition;
  }

  /** The partition as an input of a bounded run (its size is not known before it is read). */
  public static InputFile inputFile(String topic, int partition) {
    return new InputFile(
        source(topic, partition), SCHEME + "//" + path(topic, partition), SourceKind.EVENTS, 0);
  }

  /** Whether a catalog entry is a Kafka partition rather than a file. */
  public static boolean isPartition(InputFile input) {
    return input.uri().startsWith(SCHEME);
  }
}
