package dev.dataevents.io.kafka;

import java.util.List;

/**
 * What a bounded run reads from Kafka: each partition of its topics from the earliest offset up to
 * the end it had when the run started ({@link KafkaAdmin#snapshot}), so that records produced
 * meanwhile are left for the next run.
 *
 * @param bootstrap the brokers to connect to first
 * @param partitions every partition of the topics, with its offsets
 */
public record KafkaSnapshot(String bootstrap, List<KafkaPartition> partitions) {
  public KafkaSnapshot {
    partitions = List.copyOf(partitions);
  }

  /** Records to read, at most. */
  public long records() {
    return partitions.stream().mapToLong(KafkaPartition::records).sum();
  }
}
