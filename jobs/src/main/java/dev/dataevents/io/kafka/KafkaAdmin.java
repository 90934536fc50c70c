package dev.dataevents.io.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What the command line asks a broker before a run: the partitions and offsets of topics. */
public final class KafkaAdmin {
  private KafkaAdmin() {}

  /** A broker that did not answer, or a topic it does not have: one line for the user. */
  public static final class KafkaUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public KafkaUnavailableException(String message) {
      super(message);
    }
  }

  /**
   * Every partition of {@code topics} with its earliest offset and the end of what it holds now
   * (the last stable offset: records of open transactions come after it).
   *
   * @throws KafkaUnavailableException when no broker answers within {@code timeout}, or a topic
   *     does not exist
   */
  public static KafkaSnapshot snapshot(String bootstrap, List<String> topics, Duration timeout)
      throws KafkaUnavailableException, InterruptedException {
    try (Admin admin = Admin.create(properties(bootstrap, timeout))) {
      // Named here: describing a missing topic fails without saying which one it was.
      var names = get(admin.listTopics().names(), bootstrap, timeout);
      List<String> missing = topics.stream().filter(t -> !names.contains(t)).toList();
      if (!missing.isEmpty()) {
        throw new KafkaUnavailableException(
            "no such topic at " + bootstrap + ": " + String.join(", ", missing));
      }
      Map<String, TopicDescription> described =
          get(admin.describeTopics(topics).allTopicNames(), bootstrap, timeout);
      List<TopicPartition> partitions = new ArrayList<>();
      described.forEach(
          (topic, description) ->
              description
                  .partitions()
                  .forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(
          tp -> {
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
          });
      ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          get(admin.listOffsets(earliest, committed).all(), bootstrap, timeout);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          get(admin.listOffsets(latest, committed).all(), bootstrap, timeout);
      List<KafkaPartition> result = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        result.add(
            new KafkaPartition(
                tp.topic(), tp.partition(), starts.get(tp).offset(), ends.get(tp).offset()));
      }
      result.sort(
          Comparator.comparing(KafkaPartition::topic).thenComparing(KafkaPartition::partition));
      return new KafkaSnapshot(bootstrap, result);
    }
  }

  /**
   * The topics of {@code topics} that the broker does not have.
   *
   * @throws KafkaUnavailableException when no broker answers within {@code timeout}
   */
  public static List<String> missingTopics(String bootstrap, List<String> topics, Duration timeout)
      throws KafkaUnavailableException, InterruptedException {
    try (Admin admin = Admin.create(properties(bootstrap, timeout))) {
      var names = get(admin.listTopics().names(), bootstrap, timeout);
      return topics.stream().filter(t -> !names.contains(t)).toList();
    }
  }

  private static Properties properties(String bootstrap, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "data-events-admin");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    return props;
  }

  private static <T> T get(
      org.apache.kafka.common.KafkaFuture<T> future, String bootstrap, Duration timeout)
      throws KafkaUnavailableException, InterruptedException {
    try {
      return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new KafkaUnavailableException(
            "no such topic at " + bootstrap + ": " + cause.getMessage());
      }
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new KafkaUnavailableException(
            "no Kafka broker answered at " + bootstrap + " within " + timeout.toSeconds() + " s");
      }
      throw new KafkaUnavailableException(
          "Kafka at " + bootstrap + ": " + (cause == null ? e : cause).getMessage());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException(
          "no Kafka broker answered at " + bootstrap + " within " + timeout.toSeconds() + " s");
    }
  }
}
