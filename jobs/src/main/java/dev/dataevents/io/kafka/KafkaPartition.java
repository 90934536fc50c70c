package dev.dataevents.io.kafka;

/**
 * One partition of a bounded read and the offsets it is read between.
 *
 * @param topic the topic
 * @param partition the partition
 * @param start the first offset the broker holds
 * @param end the offset after the last committed record when the run started
 */
public record KafkaPartition(String topic, int partition, long start, long end) {
  /** Records the read covers (transaction markers included, so at most this many lines). */
  public long records() {
    return end - start;
  }
}
