package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LocalKafka;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.StreamResults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stopped and started again under a running stream: the stream waits for it (it neither
 * ends nor fails), then goes on, and nothing produced before or after is lost or committed twice.
 */
class KafkaBrokerRestartITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final String TOPIC = "live";
  private static final int PARTITIONS = 2;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private LocalKafka kafka;
  private KafkaStreamKillResumeITCase.StreamChild stream;

  @AfterEach
  void stopEverything() {
    if (stream != null) {
      stream.kill();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theStreamWaitsForTheBrokerAndGoesOnWithNothingLost() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path before = staging.resolve("before.jsonl");
    Path after = staging.resolve("after.jsonl");
    EventGenerator.write(before, 600, 51);
    EventGenerator.write(after, 600, 52);
    Path backfillOut = tmp.resolve("backfill");
    RunReport backfill = Backfills.of(staging).run(backfillOut);
    StreamResults expected = StreamResults.ofBackfill(backfillOut, KafkaBrokerRestartITCase::key);

    kafka = LocalKafka.start(tmp.resolve("kafka"));
    kafka.createTopic(TOPIC, PARTITIONS);
    Path output = tmp.resolve("out");
    try {
      stream =
          KafkaStreamKillResumeITCase.StreamChild.start(
              tmp,
              1,
              StreamArgs.quick(
                  "stream",
                  "--kafka",
                  kafka.bootstrap(),
                  "--topic",
                  TOPIC,
                  "--output",
                  output.toString()));
      assertThat(stream.awaitStartLine(DEADLINE)).contains("starting fresh");
      send(before);
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (StreamResults.committedIdentities(output) == 0) {
        stream.assertAlive();
        if (System.nanoTime() > deadline) {
          fail("no event committed within %s", DEADLINE);
        }
        Thread.sleep(50);
      }

      // Down while the stream still reads and checkpoints: it must wait, not end.
      kafka.stop();
      assertThat(kafka.running()).isFalse();
      Thread.sleep(5_000);
      stream.assertAlive();
      kafka.restart();
      send(after);

      StreamResults actual = StreamResults.ofStream(output, KafkaBrokerRestartITCase::key);
      deadline = System.nanoTime() + DEADLINE.toNanos();
      RunReport report = ReportFiles.read(output).orElse(null);
      while (System.nanoTime() < deadline
          && !(actual.matches(expected)
              && report != null
              && report.count(Counters.INPUT_RECORDS) == backfill.count(Counters.INPUT_RECORDS))) {
        stream.assertAlive();
        Thread.sleep(200);
        actual = StreamResults.ofStream(output, KafkaBrokerRestartITCase::key);
        report = ReportFiles.read(output).orElse(null);
      }
      stream.assertAlive();
      assertThat(actual.duplicateIdentities()).as("identities committed more than once").isEmpty();
      assertThat(actual.identities()).isEqualTo(expected.identities());
      assertThat(actual.summaries()).isEqualTo(expected.summaries());
      assertThat(actual.rejections()).containsExactlyInAnyOrderElementsOf(expected.rejections());
      assertThat(report).isNotNull();
      for (String counter :
          List.of(
              Counters.INPUT_RECORDS, Counters.ACCEPTED, Counters.DUPLICATES, Counters.REJECTED)) {
        assertThat(report.count(counter)).as(counter).isEqualTo(backfill.count(counter));
      }
    } catch (Throwable e) {
      if (stream != null) {
        System.err.println(stream.diagnostics());
      }
      System.err.println("---- broker log:\n" + kafka.logTail(40));
      throw e;
    }
  }

  /** Rejections by reason and raw line: where they were read differs (file line, offset). */
  private static String key(JsonNode rejection) {
    return rejection.path("reason").asText() + ":" + rejection.path("raw").asText();
  }

  private void send(Path file) throws Exception {
    List<byte[]> values = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      partitions.add(values.size() % PARTITIONS);
      values.add(line.getBytes(StandardCharsets.UTF_8));
    }
    kafka.send(TOPIC, values, partitions);
  }
}
