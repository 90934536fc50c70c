package dev.dataevents.io.kafka;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceNaming;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka sources of the jobs: Flink's {@link KafkaSource}, whose read offsets are part of the
 * checkpoints (so a restored stream reads each record once more at most into uncommitted output,
 * which the two-phase-commit sinks discard: exactly once), handing on {@link RawLine}s.
 */
public final class KafkaSources {
  /** Name of the source operator. */
  public static final String NAME = "kafka-source";

  /** How often a stream looks for partitions added to its topics. */
  static final String DISCOVERY_MILLIS = "60000";

  private KafkaSources() {}

  /**
   * A stream's source: every partition of the topics, from the checkpoint's offsets when restored,
   * else from {@link KafkaSubscription#startingOffsets()}; the offsets of each completed checkpoint
   * are committed to the group (for monitoring and for a fresh start; Flink never reads them back
   * while it has a checkpoint).
   */
  public static DataStream<RawLine> stream(
      StreamExecutionEnvironment env,
      KafkaSubscription subscription,
      int maxLineBytes,
      String uid,
      int parallelism) {
    KafkaSource<RawLine> source =
        common(subscription.bootstrap(), new KafkaLines(KafkaLines.STREAM, maxLineBytes))
            .setTopics(subscription.topics())
            .setGroupId(subscription.groupId())
            .setStartingOffsets(starting(subscription.startingOffsets()))
            .setProperty("commit.offsets.on.checkpoint", "true")
            .setProperty("partition.discovery.interval.ms", DISCOVERY_MILLIS)
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), NAME)
        .uid(uid)
        .setParallelism(parallelism);
  }

  /**
   * A bounded run's source: the snapshot's partitions between its offsets; no consumer group (a
   * backfill commits no offsets).
   *
   * @param naming the run's catalog, which holds each partition ({@link KafkaPartitions#inputFile})
   */
  public static DataStream<RawLine> bounded(
      StreamExecutionEnvironment env,
      KafkaSnapshot snapshot,
      SourceNaming naming,
      int maxLineBytes,
      String uid,
      int parallelism) {
    Set<TopicPartition> partitions = new HashSet<>();
    Map<TopicPartition, Long> starts = new HashMap<>();
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (KafkaPartition p : snapshot.partitions()) {
      TopicPartition tp = new TopicPartition(p.topic(), p.partition());
      partitions.add(tp);
      starts.put(tp, p.start());
      ends.put(tp, p.end());
    }
    KafkaSource<RawLine> source =
        common(snapshot.bootstrap(), new KafkaLines(naming, maxLineBytes))
            .setPartitions(partitions)
            .setStartingOffsets(OffsetsInitializer.offsets(starts, OffsetResetStrategy.EARLIEST))
            .setBounded(OffsetsInitializer.offsets(ends))
            .build();
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), NAME)
        .uid(uid)
        .setParallelism(parallelism);
  }

  private static KafkaSourceBuilder<RawLine> common(String bootstrap, KafkaLines lines) {
    return KafkaSource.<RawLine>builder()
        .setBootstrapServers(bootstrap)
        .setDeserializer(lines)
        .setClientIdPrefix("data-events")
        // Records of aborted transactions are never read; nor are those of open ones until they
        // commit (the end offsets of a bounded read are the last stable ones).
        .setProperty("isolation.level", "read_committed");
  }

  private static OffsetsInitializer starting(StartingOffsets starting) {
    return switch (starting) {
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
    };
  }
}
