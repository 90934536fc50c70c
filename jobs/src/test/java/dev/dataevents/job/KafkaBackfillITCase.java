package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.InputFiles;
import dev.dataevents.io.kafka.KafkaAdmin;
import dev.dataevents.io.kafka.KafkaPartitions;
import dev.dataevents.io.kafka.KafkaSnapshot;
import dev.dataevents.json.Json;
import dev.dataevents.model.SourceKind;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LocalKafka;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.OutputFiles;
import dev.dataevents.testing.Records;
import dev.dataevents.testing.Schemas;
import dev.dataevents.testing.Settings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill from a real Kafka topic of three partitions gives what a backfill of the same lines
 * from a file gives: the same events, summaries and listings byte for byte, the same counts, and
 * the same rejections but for where they came from ({@code kafka:<topic>/<partition>} and the
 * record's offset instead of the file and line). Every kind of line is in it: good ones, exact and
 * semantic duplicates, bad ones, blank ones, one over the line limit, one with a byte-order mark,
 * one ending in {@code \r}, one with invalid UTF-8.
 */
class KafkaBackfillITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final String TOPIC = "exports";
  private static final int PARTITIONS = 3;
  private static final int MAX_LINE_BYTES = 1024;

  @TempDir static Path shared;

  private static LocalKafka kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startBroker() {
    kafka = LocalKafka.start(shared.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aTopicOfThreePartitionsGivesTheOutputsOfABackfillOfTheSameLines() throws Exception {
    List<byte[]> lines = lines();
    Path file = tmp.resolve("export.jsonl");
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      content.write(line);
      content.write('\n');
    }
    Files.write(file, content.toByteArray());

    // Contiguous blocks, so that (partition, offset) orders the lines as the file does: which copy
    // of a duplicate wins is then the same.
    kafka.createTopic(TOPIC, PARTITIONS);
    int block = (lines.size() + PARTITIONS - 1) / PARTITIONS;
    List<Integer> partitions = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      partitions.add(i / block);
    }
    List<LocalKafka.Placement> placements = kafka.send(TOPIC, lines, partitions);

    Path fromFile = tmp.resolve("from-file");
    InputFiles files = new InputFiles().add(file, SourceKind.EVENTS);
    RunReport fileReport =
        Backfills.run(
            new BoundedRun.Request(
                "file backfill", files.catalog(), fromFile, false, true, settings()),
            new Configuration());

    Path fromKafka = tmp.resolve("from-kafka");
    KafkaSnapshot snapshot =
        KafkaAdmin.snapshot(kafka.bootstrap(), List.of(TOPIC), Duration.ofSeconds(30));
    assertThat(snapshot.records()).isEqualTo(lines.size());
    InputFiles partitionInputs = new InputFiles();
    snapshot
        .partitions()
        .forEach(p -> partitionInputs.add(KafkaPartitions.inputFile(p.topic(), p.partition())));
    RunReport kafkaReport =
        Backfills.run(
            new BoundedRun.Request(
                "kafka backfill",
                partitionInputs.catalog(),
                fromKafka,
                false,
                true,
                settings(),
                snapshot),
            new Configuration());

    for (String counter :
        List.of(
            Counters.INPUT_RECORDS,
            Counters.ACCEPTED,
            Counters.DUPLICATES,
            Counters.REJECTED,
            Counters.BLANK_LINES,
            Counters.METADATA_KEYS_DROPPED,
            Counters.METADATA_VALUES_TRUNCATED,
            Counters.CONTACTS,
            Counters.SUMMARIES,
            Counters.LISTING_PAGES)) {
      assertThat(kafkaReport.count(counter)).as(counter).isEqualTo(fileReport.count(counter));
    }
    assertThat(kafkaReport.rejectedByReason()).isEqualTo(fileReport.rejectedByReason());
    assertThat(fileReport.count(Counters.BLANK_LINES)).isEqualTo(2);
    assertThat(fileReport.count(Counters.DUPLICATES)).isPositive();
    assertThat(fileReport.rejectedByReason()).containsKeys("line_too_long", "invalid_json");

    for (String folder : List.of("events", "summaries", "listings")) {
      assertThat(OutputFiles.files(fromKafka.resolve(folder)))
          .as(folder)
          .isNotEmpty()
          .isEqualTo(OutputFiles.files(fromFile.resolve(folder)));
    }
    // The file's rejections, each named where Kafka holds its line.
    List<String> expected = new ArrayList<>();
    for (String line : OutputFiles.lines(fromFile, "rejected")) {
      ObjectNode rejection = (ObjectNode) Json.mapper().readTree(line);
      LocalKafka.Placement at = placements.get((int) rejection.get("line").asLong() - 1);
      rejection.put("source", "kafka:" + TOPIC + "/" + at.partition());
      rejection.put("line", at.offset());
      expected.add(Json.mapper().writeValueAsString(rejection));
    }
    assertThat(OutputFiles.lines(fromKafka, "rejected"))
        .hasSize((int) fileReport.count(Counters.REJECTED))
        .containsExactlyInAnyOrderElementsOf(expected);
    OutputFiles.lines(fromKafka, "rejected")
        .forEach(line -> Schemas.assertValid("rejection.schema.json", line));

    // The command line reads the same topic to the same outputs.
    Path fromCommand = tmp.resolve("from-command");
    CommandProcess.Result result =
        CommandProcess.run(
            tmp,
            tmp.resolve("scratch"),
            "backfill",
            "--kafka",
            kafka.bootstrap(),
            "--topic",
            TOPIC,
            "--as-of",
            String.valueOf(Records.AS_OF),
            "--max-line-bytes",
            String.valueOf(MAX_LINE_BYTES),
            "--parallelism",
            "2",
            "--output",
            fromCommand.toString(),
            "--log-file",
            tmp.resolve("scratch").resolve("flink.log").toString());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr())
        .contains(PARTITIONS + " Kafka partition(s) at " + kafka.bootstrap())
        .contains("holding up to " + String.format("%,d", lines.size()) + " records");
    for (String folder : List.of("events", "summaries", "listings", "rejected")) {
      assertThat(OutputFiles.files(fromCommand.resolve(folder)))
          .as(folder)
          .isEqualTo(OutputFiles.files(fromKafka.resolve(folder)));
    }
  }

  @Test
  void aTopicThatDoesNotExistIsAOneLineErrorAndNothingIsWritten() throws Exception {
    kafka.createTopic(TOPIC + "-2", 1);
    Path out = tmp.resolve("out");
    String missing = "no such topic at " + kafka.bootstrap() + ": no-such-topic";
    assertRefused(
        out, "--kafka: " + missing, "backfill", "--topic", "no-such-topic", "--output", out);

    // A stream too: Flink's Kafka source would fail the job on it after every restart.
    assertRefused(
        out,
        "--topic: " + missing,
        "stream",
        "--topic",
        TOPIC + "-2,no-such-topic",
        "--output",
        out);

    // The dead-letter topic alone missing: named by its own option.
    assertRefused(
        out,
        "--rejected-topic: " + missing,
        "stream",
        "--topic",
        TOPIC + "-2",
        "--rejected-topic",
        "no-such-topic",
        "--output",
        out);
  }

  /**
   * Runs {@code command} with {@code --kafka} and {@code args} and checks it is a usage error
   * saying {@code message}, with nothing written to {@code out}.
   */
  private void assertRefused(Path out, String message, String command, Object... args)
      throws Exception {
    List<String> line = new ArrayList<>(List.of(command, "--kafka", kafka.bootstrap()));
    for (Object arg : args) {
      line.add(arg.toString());
    }
    CommandProcess.Result result =
        CommandProcess.run(tmp, tmp.resolve("scratch"), line.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
    assertThat(result.stderr()).contains(message);
    assertThat(out).doesNotExist();
  }

  private static PipelineSettings settings() {
    PipelineSettings s = Settings.bounded(Records.AS_OF).parallelism(2).build();
    return new PipelineSettings(
        s.validation(), s.perPage(), s.parallelism(), false, MAX_LINE_BYTES, null, false);
  }

  /** Generated events with every other kind of line mixed in. */
  private static List<byte[]> lines() throws Exception {
    Path generated = Files.createTempFile(shared, "generated", ".jsonl");
    EventGenerator.write(generated, 600, 21);
    List<byte[]> lines = new ArrayList<>();
    for (String line : Files.readAllLines(generated, StandardCharsets.UTF_8)) {
      lines.add(line.getBytes(StandardCharsets.UTF_8));
    }
    String good =
        "{\"event_name\":\"kafka-read\",\"created_at\":1793000000,\"user_id\":\"u_kafka\"}";
    // A byte-order mark opens the file (read past by both).
    byte[] first = good.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[first.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(first, 0, withBom, 3, first.length);
    lines.set(0, withBom);
    lines.add(100, new byte[0]);
    lines.add(250, "  \t".getBytes(StandardCharsets.UTF_8));
    lines.add(
        300,
        ("{\"event_name\":\"long\",\"created_at\":1793000000,\"user_id\":\"u1\",\"metadata\":{\"x\":\""
                + "y".repeat(2 * MAX_LINE_BYTES)
                + "\"}}")
            .getBytes(StandardCharsets.UTF_8));
    lines.add(
        350,
        "{\"event_name\":\"crlf\",\"created_at\":1793000001,\"user_id\":\"u2\"}\r"
            .getBytes(StandardCharsets.UTF_8));
    byte[] invalid =
        "{\"event_name\":\"bad-utf8\",\"created_at\":1793000002,\"user_id\":\"u3\",\"metadata\":{\"s\":\"?\"}}"
            .getBytes(StandardCharsets.UTF_8);
    invalid[invalid.length - 4] = (byte) 0xC3;
    lines.add(400, invalid);
    lines.add(450, good.getBytes(StandardCharsets.UTF_8)); // a duplicate of the first line
    lines.add(500, "{\"event_name\":".getBytes(StandardCharsets.UTF_8));
    return lines;
  }
}
