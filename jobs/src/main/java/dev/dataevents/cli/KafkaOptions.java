package dev.dataevents.cli;

import dev.dataevents.io.HostPort;
import dev.dataevents.io.kafka.KafkaAdmin;
import dev.dataevents.io.kafka.KafkaSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a run reads Kafka from: {@code --kafka BOOTSTRAP --topic T[,T2...]} (a group of options
 * given together; a stream adds its own in {@link KafkaStreamOptions}).
 */
class KafkaOptions {
  /** How long the command waits for a broker to answer before a bounded run. */
  static final Duration BROKER_TIMEOUT = Duration.ofSeconds(15);

  @Option(
      names = "--kafka",
      required = true,
      paramLabel = "BOOTSTRAP",
      description =
          "Read records of Kafka topics (with --topic) from the brokers at HOST:PORT[,HOST:PORT...];"
              + " each record's value is one line.")
  String bootstrap;

  @Option(
      names = "--topic",
      required = true,
      split = ",",
      paramLabel = "TOPIC",
      description = "The topics to read, every partition of each (comma-separated or repeated).")
  List<String> topics = new ArrayList<>();

  /** Checks the values; a bad one is a usage error naming its option. */
  void check() {
    if (!bootstrap.matches("[^,:\\s]+:\\d{1,5}(,[^,:\\s]+:\\d{1,5})*")) {
      throw new UsageException("--kafka takes HOST:PORT[,HOST:PORT...], not '" + bootstrap + "'");
    }
    for (String broker : bootstrap.split(",")) {
      if (!HostPort.parse(broker).orElseThrow().portInRange()) {
        // Kafka's client refuses it only once the job runs.
        throw new UsageException(
            "--kafka: port "
                + broker.substring(broker.lastIndexOf(':') + 1)
                + " of "
                + broker
                + " is not within 1-"
                + HostPort.MAX_PORT);
      }
    }
    for (String topic : topics) {
      if (!isTopicName(topic)) {
        throw new UsageException("--topic: not a Kafka topic name: '" + topic + "'");
      }
    }
  }

  /** Kafka's own rule for topic names. */
  static boolean isTopicName(String topic) {
    return topic.matches("[A-Za-z0-9._-]{1,249}") && !topic.equals(".") && !topic.equals("..");
  }

  /** The distinct topics, in the order given. */
  List<String> topics() {
    return topics.stream().distinct().toList();
  }

  /**
   * What a bounded run reads: the topics' partitions up to the offsets they have now. A broker that
   * does not answer, or a topic it does not have, is a usage error.
   */
  KafkaSnapshot snapshot() throws InterruptedException {
    check();
    try {
      return KafkaAdmin.snapshot(bootstrap, topics(), BROKER_TIMEOUT);
    } catch (KafkaAdmin.KafkaUnavailableException e) {
      throw new UsageException("--kafka: " + e.getMessage());
    }
  }
}
