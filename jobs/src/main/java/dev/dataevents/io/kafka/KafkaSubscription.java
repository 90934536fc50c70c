package dev.dataevents.io.kafka;

import java.util.List;

/**
 * What a stream reads from Kafka.
 *
 * @param bootstrap the brokers to connect to first, {@code host:port[,host:port...]}
 * @param topics the topics, every partition of each (partitions added later are found too)
 * @param groupId the consumer group whose offsets follow the completed checkpoints
 * @param startingOffsets where to start without a checkpoint to resume from
 * @param deadLetters where rejections also go, or null
 */
public record KafkaSubscription(
    String bootstrap,
    List<String> topics,
    String groupId,
    StartingOffsets startingOffsets,
    KafkaDeadLetters deadLetters) {
  public KafkaSubscription {
    topics = List.copyOf(topics);
  }
}
