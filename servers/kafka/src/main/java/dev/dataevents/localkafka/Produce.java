package dev.dataevents.localkafka;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bin/local-kafka produce TOPIC FILE [--partitions N]}: creates the topic if it does not
 * exist (N partitions, default 1) and sends each line of the file as one record, in order: line i
 * (from 0) goes to partition i mod the topic's partitions, so a file's lines spread evenly and in a
 * known way. The value is the line's bytes without its {@code \n} (a blank line is an empty value);
 * a byte-order mark at the start of the file is dropped, as a reader of the file does.
 */
public final class Produce {
  private Produce() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 && args.length != 5) {
      usage();
    }
    String bootstrap = args[0];
    String topic = args[1];
    Path file = Path.of(args[2]);
    int partitions = 1;
    if (args.length == 5) {
      if (!args[3].equals("--partitions") || !args[4].matches("[1-9]\\d{0,3}")) {
        usage();
      }
      partitions = Integer.parseInt(args[4]);
    }
    if (!Files.isRegularFile(file)) {
      fail("no such file: " + file);
    }
    int actual = ensureTopic(bootstrap, topic, partitions);
    long sent = send(bootstrap, topic, file, actual);
    System.out.println(
        "produced "
            + sent
            + " record(s) from "
            + file
            + " to "
            + topic
            + " ("
            + actual
            + " partition(s)) at "
            + bootstrap);
  }

  /** Creates the topic when missing; returns its number of partitions. */
  private static int ensureTopic(String bootstrap, String topic, int partitions)
      throws InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(props)) {
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(20, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          fail("could not create topic " + topic + ": " + e.getCause().getMessage());
        }
      }
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS);
      return described.get(topic).partitions().size();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      fail("no Kafka broker answered at " + bootstrap + ": " + e.getMessage());
      return 0;
    }
  }

  private static long send(String bootstrap, String topic, Path file, int partitions)
      throws IOException, InterruptedException {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // In order, once each: idempotence keeps the order across retries.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Lines up to the broker's limit (bin/local-kafka sets it to 64 MiB, the job's largest).
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024 + 1024);
    long sent = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      boolean pending = false;
      boolean first = true;
      int b;
      while ((b = in.read()) != -1) {
        if (b == '\n') {
          sent = send(producer, topic, partitions, sent, line.toByteArray(), first);
          first = false;
          line.reset();
          pending = false;
        } else {
          line.write(b);
          pending = true;
        }
      }
      if (pending) {
        sent = send(producer, topic, partitions, sent, line.toByteArray(), first);
      }
      producer.flush();
    }
    return sent;
  }

  private static long send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      int partitions,
      long sent,
      byte[] value,
      boolean first) {
    if (first
        && value.length >= 3
        && (value[0] & 0xFF) == 0xEF
        && (value[1] & 0xFF) == 0xBB
        && (value[2] & 0xFF) == 0xBF) {
      value = java.util.Arrays.copyOfRange(value, 3, value.length);
    }
    int partition = (int) (sent % partitions);
    producer.send(
        new ProducerRecord<>(topic, partition, null, value),
        (metadata, e) -> {
          if (e != null) {
            System.err.println("local-kafka: could not send a record: " + e.getMessage());
            System.exit(1);
          }
        });
    return sent + 1;
  }

  private static void usage() {
    fail("usage: produce TOPIC FILE [--partitions N]");
  }

  private static void fail(String message) {
    System.err.println("local-kafka: " + message);
    System.exit(1);
  }
}
