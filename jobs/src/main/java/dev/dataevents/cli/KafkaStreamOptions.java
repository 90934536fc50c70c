package dev.dataevents.cli;

import dev.dataevents.io.kafka.KafkaAdmin;
import dev.dataevents.io.kafka.KafkaDeadLetters;
import dev.dataevents.io.kafka.KafkaSubscription;
import dev.dataevents.io.kafka.StartingOffsets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** A stream's Kafka options: those of {@link KafkaOptions}, the consumer group, where to start. */
final class KafkaStreamOptions extends KafkaOptions {
  @Option(
      names = "--group-id",
      paramLabel = "GROUP",
      description =
          "Consumer group whose offsets follow the completed checkpoints (default: data-events-"
              + " followed by a hash of the output folder's real path, so each output has its own).")
  String groupId;

  @Option(
      names = "--starting-offsets",
      paramLabel = "WHERE",
      defaultValue = "committed",
      converter = StartingOffsetsConverter.class,
      description =
          "Where to start when there is no checkpoint to resume from: committed (the group's"
              + " offsets, else earliest), earliest or latest (default: ${DEFAULT-VALUE}).")
  StartingOffsets startingOffsets;

  @Option(
      names = "--rejected-topic",
      paramLabel = "TOPIC",
      description =
          "Also send each rejection to this (dead-letter) topic, in transactions committed with the"
              + " checkpoints: exactly once for readers with isolation.level=read_committed.")
  String rejectedTopic;

  /** What the stream writing to {@code output} reads. */
  KafkaSubscription subscription(Path output) {
    check();
    if (groupId != null && groupId.isBlank()) {
      // Kafka's consumer refuses it only once the job runs, after the output was created.
      throw new UsageException("--group-id must not be empty or white space");
    }
    if (rejectedTopic != null && !isTopicName(rejectedTopic)) {
      throw new UsageException("--rejected-topic: not a Kafka topic name: '" + rejectedTopic + "'");
    }
    if (rejectedTopic != null && topics().contains(rejectedTopic)) {
      throw new UsageException(
          "--rejected-topic "
              + rejectedTopic
              + " is also read (--topic): the stream would read its own rejections");
    }
    String ownGroup = defaultGroupId(output);
    return new KafkaSubscription(
        bootstrap,
        topics(),
        groupId != null ? groupId : ownGroup,
        startingOffsets,
        rejectedTopic == null
            ? null
            : new KafkaDeadLetters(rejectedTopic, ownGroup + "-rejections"));
  }

  /**
   * {@code data-events-} and the first 16 hex digits of the SHA-256 of the output folder's real
   * path (of its nearest existing parent, joined with the rest): the same folder gives the same
   * group before and after it exists, two outputs never share one.
   */
  static String defaultGroupId(Path output) {
    Path absolute = output.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    Path real = absolute;
    if (existing != null) {
      try {
        real = existing.toRealPath().resolve(existing.relativize(absolute));
      } catch (IOException e) {
        real = absolute;
      }
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(real.toString().getBytes(StandardCharsets.UTF_8));
      return "data-events-" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java", e);
    }
  }

  /** How the start line names the input: {@code kafka BOOTSTRAP topic T (group G)}. */
  static String describe(KafkaSubscription kafka) {
    return "kafka "
        + kafka.bootstrap()
        + " topic "
        + String.join(",", kafka.topics())
        + " (group "
        + kafka.groupId()
        + ")";
  }

  /**
   * Refuses to start a stream whose broker does not answer or lacks one of the topics: Flink's
   * Kafka source would fail the job on it, again after every restart. (Once running, the stream
   * waits for a broker that goes away.)
   */
  static void checkReachable(KafkaSubscription kafka) throws InterruptedException {
    List<String> missing;
    List<String> topics = new ArrayList<>(kafka.topics());
    if (kafka.deadLetters() != null) {
      topics.add(kafka.deadLetters().topic());
    }
    try {
      missing = KafkaAdmin.missingTopics(kafka.bootstrap(), topics, BROKER_TIMEOUT);
    } catch (KafkaAdmin.KafkaUnavailableException e) {
      throw new UsageException("--kafka: " + e.getMessage());
    }
    if (!missing.isEmpty()) {
      boolean deadLetters =
          kafka.deadLetters() != null && missing.contains(kafka.deadLetters().topic());
      throw new UsageException(
          (deadLetters && missing.size() == 1 ? "--rejected-topic" : "--topic")
              + ": no such topic at "
              + kafka.bootstrap()
              + ": "
              + String.join(", ", missing));
    }
  }

  /** {@code committed}, {@code earliest} or {@code latest}, in any case. */
  static final class StartingOffsetsConverter implements ITypeConverter<StartingOffsets> {
    @Override
    public StartingOffsets convert(String value) {
      try {
        return StartingOffsets.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "'" + value + "' is not one of committed, earliest, latest");
      }
    }
  }
}
