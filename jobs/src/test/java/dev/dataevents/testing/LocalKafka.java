package dev.dataevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker for a test, started through {@code bin/local-kafka} as users start it: its
 * own JVM, its state in the test's folder, a free port. Close it (in {@code @AfterAll} or a
 * finally): the broker is stopped even when the test failed.
 */
public final class LocalKafka implements AutoCloseable {
  /** The first start may build the broker's classpath (resolving Kafka with Maven). */
  private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(10);

  private final Path dir;
  private String bootstrap;
  private KafkaProducer<byte[], byte[]> producer;

  private LocalKafka(Path dir) {
    this.dir = dir;
  }

  /** Starts a broker keeping its state in {@code dir} (created), on a free port. */
  public static LocalKafka start(Path dir) {
    LocalKafka kafka = new LocalKafka(dir);
    try {
      kafka.bootstrap = kafka.script("start", "--port", "0").strip();
    } catch (RuntimeException | Error e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /** {@code 127.0.0.1:PORT}. */
  public String bootstrap() {
    return bootstrap;
  }

  /** Stops the broker (its data stays); {@link #restart()} starts it again. */
  public void stop() {
    closeProducer();
    script("stop");
  }

  /** Starts the stopped broker again, on the same port with the same data. */
  public void restart() {
    String again = script("start").strip();
    if (!again.equals(bootstrap)) {
      throw new AssertionError("the broker came back at " + again + ", not " + bootstrap);
    }
  }

  /** Whether {@code bin/local-kafka status} finds it running. */
  public boolean running() {
    return run("status").exitCode == 0;
  }

  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends each line (without its line end) to its partition, in order, and waits until all are
   * written. Returns where each went: {@code kafka:<topic>/<partition>} and its offset.
   */
  public List<Placement> send(String topic, List<byte[]> values, List<Integer> partitions)
      throws Exception {
    List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      sent.add(
          producer().send(new ProducerRecord<>(topic, partitions.get(i), null, values.get(i))));
    }
    producer().flush();
    List<Placement> placements = new ArrayList<>();
    for (var future : sent) {
      RecordMetadata metadata = future.get(60, TimeUnit.SECONDS);
      placements.add(new Placement(metadata.partition(), metadata.offset()));
    }
    return placements;
  }

  /** Where a record was written. */
  public record Placement(int partition, long offset) {}

  /** The offsets a consumer group has committed (partitions it has none for are absent). */
  public Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> result = new HashMap<>();
      offsets.forEach((tp, o) -> result.put(tp, o == null ? null : o.offset()));
      return result;
    }
  }

  /** The end offset of each partition of {@code topic}. */
  public Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> result = new HashMap<>();
      admin
          .listOffsets(specs)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> result.put(tp, info.offset()));
      return result;
    }
  }

  /**
   * The values of every record of {@code topic} that a consumer with {@code
   * isolation.level=read_committed} sees: records of committed transactions only, up to the last
   * stable offset (waiting for it while an open transaction holds it back, up to a minute).
   */
  public List<String> readCommitted(String topic) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to " + ends + " within a minute");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }

  /** The broker's log, for a failing test's diagnostics. */
  public String logTail(int lines) {
    Path log = dir.resolve("logs").resolve("server.log");
    try {
      if (!Files.isRegularFile(log)) {
        return "(no broker log)";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable broker log: " + e + ")";
    }
  }

  @Override
  public void close() {
    closeProducer();
    run("stop");
  }

  private Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(props);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
      producer = new KafkaProducer<>(props);
    }
    return producer;
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
      producer = null;
    }
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  /** Runs {@code bin/local-kafka COMMAND --dir DIR ...}; a failure is an assertion error. */
  private String script(String... args) {
    Run run = run(args);
    if (run.exitCode != 0) {
      throw new AssertionError(
          "bin/local-kafka "
              + String.join(" ", args)
              + " exited with "
              + run.exitCode
              + ": "
              + run.stderr
              + "\n"
              + logTail(30));
    }
    return run.stdout;
  }

  private Run run(String... args) {
    Path script = LauncherProcess.script().resolveSibling("local-kafka");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    command.add("--dir");
    command.add(dir.toString());
    Process process = null;
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir.getParent(), "local-kafka", ".out");
      Path err = Files.createTempFile(dir.getParent(), "local-kafka", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      builder.environment().remove("LOCAL_KAFKA_DIR");
      builder.environment().remove("LOCAL_KAFKA_PORT");
      process = builder.start();
      if (!process.waitFor(SCRIPT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("bin/local-kafka " + String.join(" ", args) + " ran too long");
      }
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
