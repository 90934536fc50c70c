package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.RawLine;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream runs until it is stopped: failures spread over its life (a full disk for a while, a
 * broker that went away) restart it from its last checkpoint as often as they come, and each one is
 * told to whoever watches the run. Runs on its own embedded mini-cluster, as the launcher's streams
 * do (no shared test cluster): that is where the failures can be seen from this process.
 */
class StreamRestartsITCase {
  /** One more than the five restarts streams used to be allowed in all. */
  private static final int FAILURES = 6;

  @TempDir Path tmp;

  /** Throws once on each line that starts with {@link #MARK}; static, as Flink copies it. */
  static final class FailOnMarkedLines implements MapFunction<RawLine, RawLine> {
    static final String MARK = "fail here ";
    static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    static UnaryOperator<DataStream<RawLine>> tap() {
      FAILED.clear();
      return lines -> lines.map(new FailOnMarkedLines()).name("fail-on-marks").uid("fail-on-marks");
    }

    @Override
    public RawLine map(RawLine line) {
      String text = line.text();
      if (text.startsWith(MARK) && FAILED.add(text)) {
        throw new IllegalStateException("injected failure " + text.substring(MARK.length()));
      }
      return line;
    }
  }

  private static String event(int i) {
    return "{\"event_name\":\"opened-email\",\"created_at\":"
        + (System.currentTimeMillis() / 1000 - 60 - i)
        + ",\"user_id\":\"u"
        + i
        + "\"}\n";
  }

  @Test
  void aStreamGoesOnThroughMoreFailuresThanAFewAndEachIsSeen() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    StringBuilder file = new StringBuilder(event(0));
    for (int i = 1; i <= FAILURES; i++) {
      file.append(FailOnMarkedLines.MARK).append(i).append('\n').append(event(i));
    }
    Files.writeString(staging.resolve("a.jsonl"), file);

    StreamRun.Started stream =
        Streams.run(
            Streams.watching(in).output(out).request(),
            new Configuration(),
            FailOnMarkedLines.tap(),
            null);
    List<JobFailures.Failure> seen = new ArrayList<>();
    try {
      Files.move(staging.resolve("a.jsonl"), in.resolve("a.jsonl"), StandardCopyOption.ATOMIC_MOVE);
      // Restarts wait longer each time (1 s, 1.5 s, 2.25 s, ...): six take about 30 s.
      await(
          "every event after " + FAILURES + " failures",
          () -> {
            seen.addAll(stream.failures().next());
            return lines(out, "events").size() == FAILURES + 1;
          });
      assertThat(stream.client().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      stream.client().cancel().get();
    }
    seen.addAll(stream.failures().next());

    assertThat(FailOnMarkedLines.FAILED).hasSize(FAILURES);
    assertThat(seen)
        .extracting(JobFailures.Failure::cause)
        .containsExactly(
            java.util.stream.IntStream.rangeClosed(1, FAILURES)
                .mapToObj(i -> "IllegalStateException: injected failure " + i)
                .toArray(String[]::new));
    assertThat(seen).isSortedAccordingTo(java.util.Comparator.comparingLong(f -> f.timestamp()));
    // Exactly once through every restart: each event accepted once, each marked line (not JSON)
    // rejected once.
    assertThat(lines(out, "events")).hasSize(FAILURES + 1).doesNotHaveDuplicates();
    assertThat(lines(out, "rejected")).hasSize(FAILURES);
    RunReport report =
        StreamReport.write(out.resolve(StreamRun.CHECKPOINTS), out, ReportFiles.checkpointReader())
            .orElseThrow();
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(2L * FAILURES + 1);
  }

  /**
   * A sink that cannot write (its folder replaced by a file, as a full disk would make it) fails
   * the job, which restarts from its last checkpoint until the folder is back. Its records are no
   * rejections: they were counted accepted, and a stream turning every later event into an {@code
   * internal_error} would run on writing nothing but rejections.
   */
  @Test
  void aSinkThatCannotWriteRestartsTheStreamAndRejectsNothing() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Path events = out.resolve(BoundedRun.EVENTS);
    Path aside = tmp.resolve("events-aside");
    Files.writeString(staging.resolve("a.jsonl"), event(1) + event(2) + event(3));
    Files.writeString(staging.resolve("b.jsonl"), event(4) + event(5) + event(6));

    StreamRun.Started stream =
        Streams.run(
            Streams.watching(in).output(out).request(),
            new Configuration(),
            UnaryOperator.identity(),
            null);
    List<JobFailures.Failure> seen = new ArrayList<>();
    try {
      Files.move(staging.resolve("a.jsonl"), in.resolve("a.jsonl"));
      await("the first file's events", () -> lines(out, "events").size() == 3);
      replaceByAFile(events, aside);
      Files.move(staging.resolve("b.jsonl"), in.resolve("b.jsonl"));
      await(
          "a failure, or a rejection",
          () -> seen.addAll(stream.failures().next()) || !lines(out, "rejected").isEmpty());
      assertThat(lines(out, "rejected")).isEmpty();
      putBack(events, aside);
      await("the second file's events", () -> lines(out, "events").size() == 6);
      assertThat(stream.client().getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      stream.client().cancel().get();
    }
    assertThat(seen).isNotEmpty();
    assertThat(lines(out, "events")).hasSize(6).doesNotHaveDuplicates();
    assertThat(lines(out, "rejected")).isEmpty();
    RunReport report =
        StreamReport.write(out.resolve(StreamRun.CHECKPOINTS), out, ReportFiles.checkpointReader())
            .orElseThrow();
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(6);
    assertThat(report.count(Counters.REJECTED)).isZero();
  }

  /**
   * The same fault under the launcher: its console tells each restart, with the cause, between the
   * progress lines (without it the counts only stood still).
   */
  @Test
  void theConsoleTellsEachRestartWithItsCause() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path output = tmp.resolve("out");
    Path events = output.resolve(BoundedRun.EVENTS);
    Path aside = tmp.resolve("events-aside");
    Files.writeString(staging.resolve("a.jsonl"), event(1) + event(2));
    Files.writeString(staging.resolve("b.jsonl"), event(3) + event(4));
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick(
                "stream", "--watch", watch.toString(), "--output", output.toString()))) {
      Files.move(staging.resolve("a.jsonl"), watch.resolve("a.jsonl"));
      awaitWhileAlive(stream, "the first file", () -> accepted(output) == 2);
      replaceByAFile(events, aside);
      Files.move(staging.resolve("b.jsonl"), watch.resolve("b.jsonl"));
      awaitWhileAlive(
          stream,
          "a restart on the console",
          () -> stream.stderr().contains("(restart 1 of 30 in a row;"));
      putBack(events, aside);
      awaitWhileAlive(stream, "the second file", () -> accepted(output) == 4);
      assertThat(stream.stderr())
          .containsPattern(
              "stream: failed at \\S+Z \\(FileSystemException: \\S+: Not a directory\\);"
                  + " restarting from the last checkpoint \\(restart 1 of 30 in a row; Flink's log"
                  + " has the details\\)\\n");
      stream.stop(Duration.ofSeconds(30));
    }
    assertThat(lines(output, "rejected")).isEmpty();
  }

  private static long accepted(Path output) {
    try {
      return ReportFiles.read(output).map(r -> r.count(Counters.ACCEPTED)).orElse(-1L);
    } catch (java.io.IOException e) {
      return -1; // being replaced
    }
  }

  private static void awaitWhileAlive(LauncherProcess process, String what, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(process.isAlive()).as(what + ": " + process.output()).isTrue();
      assertThat(System.nanoTime()).as(what + ": " + process.output()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** The fault: a folder the stream writes moved {@code aside}, a file in its place. */
  private static void replaceByAFile(Path folder, Path aside) throws java.io.IOException {
    Files.move(folder, aside);
    Files.createFile(folder);
  }

  /** The fault mended: the folder back where it was, with what it held. */
  private static void putBack(Path folder, Path aside) throws java.io.IOException {
    Files.delete(folder);
    Files.move(aside, folder);
  }
}
