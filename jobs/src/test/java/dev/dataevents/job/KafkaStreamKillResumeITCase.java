package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LocalKafka;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.StreamResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream on a real Kafka topic, in its own JVM, killed with SIGKILL twice while records are
 * produced and started again with the same command: it resumes from its checkpoints' offsets, and
 * in the end every accepted event is committed exactly once, the summaries, rejections and counts
 * are a backfill's of the same lines, and the consumer group's committed offsets have followed the
 * checkpoints to the end of every partition. Its rejections also go to a dead-letter topic, where a
 * read_committed consumer finds each once.
 */
class KafkaStreamKillResumeITCase {
  /** For the backfill that gives the expected results. */
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final String TOPIC = "events";
  private static final String GROUP = "kill-resume";
  private static final String DEAD_LETTERS = "dead-letters";
  private static final int PARTITIONS = 3;
  private static final int LINES_PER_FILE = 1500;
  private static final int RESENT_LINES = 150;
  private static final int BATCH = 100;
  private static final Duration START_DEADLINE = Duration.ofSeconds(60);
  private static final Duration COMMIT_DEADLINE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private LocalKafka kafka;
  private Path output;
  private final List<StreamChild> children = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    children.forEach(StreamChild::kill);
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void killedTwiceWhileRecordsArriveTheStreamCommitsEachEventOnceAndTheGroupFollows()
      throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator first = EventGenerator.write(a, LINES_PER_FILE, 41);
    EventGenerator.write(b, LINES_PER_FILE, 42);
    // The second file resends the start of the first: dedup must hold across the kills.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, RESENT_LINES),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    List<byte[]> lines = new ArrayList<>();
    for (Path file : List.of(a, b)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lines.add(line.getBytes(StandardCharsets.UTF_8));
      }
    }
    int linesOfA = LINES_PER_FILE;

    Path backfillOut = tmp.resolve("backfill");
    RunReport backfill = Backfills.of(staging).run(backfillOut);

    kafka = LocalKafka.start(tmp.resolve("kafka"));
    kafka.createTopic(TOPIC, PARTITIONS);
    kafka.createTopic(DEAD_LETTERS, 2);
    output = tmp.resolve("out");
    CompletableFuture<List<LocalKafka.Placement>> producing = null;
    try {
      // 1. Fresh start; the records are produced in batches meanwhile; killed once the first
      // events are committed.
      StreamChild run1 = start();
      assertThat(run1.awaitStartLine(START_DEADLINE)).contains("starting fresh");
      producing = CompletableFuture.supplyAsync(() -> produce(lines));
      int atFirstKill = awaitCommittedEvents(run1, n -> n > 0);
      run1.kill();

      // 2. Resumed; killed once more distinct events are committed than the first file has.
      StreamChild run2 = start();
      assertThat(run2.awaitStartLine(START_DEADLINE)).contains("resuming from");
      int atSecondKill = awaitCommittedEvents(run2, n -> n > first.identities.size());
      run2.kill();
      Map<TopicPartition, Long> committedAtSecondKill = kafka.committedOffsets(GROUP);

      // 3. Resumed again; runs until everything is committed.
      StreamChild run3 = start();
      assertThat(run3.awaitStartLine(START_DEADLINE)).contains("resuming from");
      List<LocalKafka.Placement> placements = producing.get(120, TimeUnit.SECONDS);
      StreamResults expected =
          StreamResults.ofBackfill(
              backfillOut, r -> kafkaKey(r, placements, linesOfA, a.getFileName().toString()));
      assertThat(expected.rejections()).isNotEmpty();
      StreamResults actual = awaitResults(run3, expected);
      RunReport report = awaitReport(run3, backfill);
      Map<TopicPartition, Long> ends = kafka.endOffsets(TOPIC, PARTITIONS);
      Map<TopicPartition, Long> committed = awaitCommittedOffsets(run3, ends);
      // A few more checkpoints: nothing may be committed twice later.
      Thread.sleep(2_000);
      StreamResults settled = StreamResults.ofStream(output, KafkaStreamKillResumeITCase::key);
      run3.kill();
      System.out.printf(
          "kafka kill/resume: committed events at kill 1: %d, at kill 2: %d, expected %d%n",
          atFirstKill, atSecondKill, expected.identities().size());

      for (StreamResults r : List.of(actual, settled)) {
        assertThat(r.duplicateIdentities()).as("identities committed more than once").isEmpty();
        assertThat(r.identities()).isEqualTo(expected.identities());
        assertThat(r.summaries()).isEqualTo(expected.summaries());
        assertThat(r.rejections()).containsExactlyInAnyOrderElementsOf(expected.rejections());
      }
      assertThat(report.balanced()).isTrue();
      for (String counter :
          List.of(
              Counters.INPUT_RECORDS, Counters.ACCEPTED, Counters.DUPLICATES, Counters.REJECTED)) {
        assertThat(report.count(counter)).as(counter).isEqualTo(backfill.count(counter));
      }
      assertThat(report.rejectedByReason()).isEqualTo(backfill.rejectedByReason());
      // The group's offsets follow the completed checkpoints: never past the end, and at the end
      // of every partition once everything is committed.
      committedAtSecondKill.forEach(
          (tp, offset) ->
              assertThat(offset).as("%s at kill 2", tp).isLessThanOrEqualTo(ends.get(tp)));
      assertThat(committed).isEqualTo(ends);
      // The dead-letter topic, read as a Kafka user reads it (committed transactions only), holds
      // each rejection once, as rejected/ does: its transactions committed with the checkpoints,
      // and those the killed runs left open were aborted.
      assertThat(kafka.readCommitted(DEAD_LETTERS))
          .hasSize((int) backfill.count(Counters.REJECTED))
          .containsExactlyInAnyOrderElementsOf(
              dev.dataevents.testing.OutputFiles.lines(output, "rejected"));
    } catch (Throwable e) {
      children.forEach(c -> System.err.println(c.diagnostics()));
      System.err.println("---- broker log:\n" + kafka.logTail(40));
      throw e;
    } finally {
      if (producing != null) {
        producing.cancel(true);
      }
    }
  }

  private StreamChild start() throws IOException {
    StreamChild child =
        StreamChild.start(
            tmp,
            children.size() + 1,
            StreamArgs.quick(
                "stream",
                "--kafka",
                kafka.bootstrap(),
                "--topic",
                TOPIC,
                "--group-id",
                GROUP,
                "--rejected-topic",
                DEAD_LETTERS,
                "--output",
                output.toString()));
    children.add(child);
    return child;
  }

  /** Sends the lines round robin over the partitions, a batch at a time, paced. */
  private List<LocalKafka.Placement> produce(List<byte[]> lines) {
    List<LocalKafka.Placement> placements = new ArrayList<>();
    try {
      for (int from = 0; from < lines.size(); from += BATCH) {
        List<byte[]> batch = lines.subList(from, Math.min(lines.size(), from + BATCH));
        List<Integer> partitions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
          partitions.add((from + i) % PARTITIONS);
        }
        placements.addAll(kafka.send(TOPIC, batch, partitions));
        Thread.sleep(100);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return placements;
  }

  /** A stream's rejection: {@code kafka:<topic>/<partition>:offset:reason}. */
  private static String key(JsonNode rejection) {
    return rejection.path("source").asText()
        + ":"
        + rejection.path("line").asLong()
        + ":"
        + rejection.path("reason").asText();
  }

  /** A backfill's rejection of a file line, keyed where that line went in Kafka. */
  private static String kafkaKey(
      JsonNode rejection, List<LocalKafka.Placement> placements, int linesOfA, String a) {
    int index =
        (int) rejection.path("line").asLong()
            - 1
            + (Path.of(rejection.path("source").asText()).getFileName().toString().equals(a)
                ? 0
                : linesOfA);
    LocalKafka.Placement at = placements.get(index);
    return "kafka:"
        + TOPIC
        + "/"
        + at.partition()
        + ":"
        + at.offset()
        + ":"
        + rejection.path("reason").asText();
  }

  private int awaitCommittedEvents(StreamChild child, IntPredicate until) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      int committed = StreamResults.committedIdentities(output);
      if (until.test(committed)) {
        return committed;
      }
      child.assertAlive();
      Thread.sleep(20);
    }
    return fail(
        "run %d: the committed events did not grow within %s", child.number(), COMMIT_DEADLINE);
  }

  private StreamResults awaitResults(StreamChild child, StreamResults expected) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    StreamResults actual = StreamResults.ofStream(output, KafkaStreamKillResumeITCase::key);
    while (System.nanoTime() < deadline && !actual.matches(expected)) {
      child.assertAlive();
      Thread.sleep(200);
      actual = StreamResults.ofStream(output, KafkaStreamKillResumeITCase::key);
    }
    return actual;
  }

  private RunReport awaitReport(StreamChild child, RunReport backfill) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    RunReport report = null;
    while (System.nanoTime() < deadline) {
      report = ReportFiles.read(output).orElse(null);
      if (report != null
          && report.count(Counters.INPUT_RECORDS) == backfill.count(Counters.INPUT_RECORDS)) {
        return report;
      }
      child.assertAlive();
      Thread.sleep(200);
    }
    assertThat(report).as("a stream report").isNotNull();
    return report;
  }

  private Map<TopicPartition, Long> awaitCommittedOffsets(
      StreamChild child, Map<TopicPartition, Long> ends) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    Map<TopicPartition, Long> committed = kafka.committedOffsets(GROUP);
    while (System.nanoTime() < deadline && !committed.equals(ends)) {
      child.assertAlive();
      Thread.sleep(200);
      committed = kafka.committedOffsets(GROUP);
    }
    return committed;
  }

  /** Keeps the command line's own CommandProcess honest about where the child's files go. */
  static final class StreamChild {
    private final int number;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Path log;

    private StreamChild(int number, Process process, Path stdout, Path stderr, Path log) {
      this.number = number;
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
      this.log = log;
    }

    /** Starts {@code data-events args...} in a child JVM, its files in {@code tmp}. */
    static StreamChild start(Path tmp, int number, String... args) throws IOException {
      Path childTmp = Files.createDirectories(tmp.resolve("run-" + number + "-tmp"));
      Path stdout = tmp.resolve("run-" + number + ".out");
      Path stderr = tmp.resolve("run-" + number + ".err");
      Path log = tmp.resolve("run-" + number + ".log");
      List<String> all = new ArrayList<>(List.of(args));
      all.add("--log-file");
      all.add(log.toString());
      Process process =
          CommandProcess.start(tmp, childTmp, stdout, stderr, all.toArray(String[]::new));
      return new StreamChild(number, process, stdout, stderr, log);
    }

    int number() {
      return number;
    }

    /** SIGKILL to the child and anything it started. */
    void kill() {
      CommandProcess.kill(process);
    }

    void assertAlive() {
      if (!process.isAlive()) {
        fail("run %d ended with exit code %d", number, process.exitValue());
      }
    }

    /** The command's line about the run ({@code stream: kafka ... resuming from ...}). */
    String awaitStartLine(Duration within) throws Exception {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : Files.readAllLines(stderr, StandardCharsets.UTF_8)) {
          if (line.startsWith("stream: kafka")) {
            return line;
          }
        }
        assertAlive();
        Thread.sleep(50);
      }
      return fail("run %d printed no start line within %s", number, within);
    }

    String diagnostics() {
      StringBuilder out = new StringBuilder("==== run " + number);
      out.append(process.isAlive() ? " (alive)" : " (exit code " + process.exitValue() + ")");
      out.append("\n---- stdout:\n").append(read(stdout));
      out.append("---- stderr:\n").append(read(stderr));
      List<String> lines = read(log).lines().toList();
      out.append("---- log, warnings and errors:\n");
      lines.stream()
          .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
          .limit(40)
          .forEach(l -> out.append(l).append('\n'));
      return out.toString();
    }

    private static String read(Path file) {
      try {
        return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        return "(unreadable: " + e + ")\n";
      }
    }
  }
}
