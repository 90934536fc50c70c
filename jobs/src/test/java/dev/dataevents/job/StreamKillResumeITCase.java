package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.StreamResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream job as users run it, in its own JVM: killed with SIGKILL while it works and started
 * again with the same command, it resumes from its newest completed checkpoint, and what it has
 * committed in the end is what a backfill of the same files gives: every accepted event exactly
 * once, the same summaries and the same rejections.
 */
class StreamKillResumeITCase {
  /** For the backfill that gives the expected results (the stream runs in its own JVM). */
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  private static final Duration COMMIT_DEADLINE = Duration.ofSeconds(60);
  private static final int LINES_PER_FILE = 3000;
  private static final int RESENT_LINES = 300;

  @TempDir Path tmp;

  private Path watch;
  private Path output;
  private final List<Child> children = new ArrayList<>();

  /** One run of the stream command in a child JVM. */
  private record Child(int number, Process process, Path stdout, Path stderr, Path log) {}

  @AfterEach
  void killChildren() {
    children.forEach(StreamKillResumeITCase::kill);
  }

  @Test
  void killedAndRestartedTheStreamWritesEveryEventOnceAndTheSummariesOfABackfill()
      throws Exception {
    Path staging = tmp.resolve("staging");
    Files.createDirectories(staging);
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator first = EventGenerator.write(a, LINES_PER_FILE, 11);
    EventGenerator.write(b, LINES_PER_FILE, 12);
    // The second file resends the start of the first (events, duplicates and bad lines): dedup
    // must hold across the kills, from restored state.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, RESENT_LINES),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    Path backfillOut = tmp.resolve("backfill");
    RunReport backfill = Backfills.of(staging).run(backfillOut);
    StreamResults expected = StreamResults.ofBackfill(backfillOut);
    assertThat(expected.duplicateIdentities()).as("the backfill's duplicate events").isEmpty();
    assertThat(expected.identities()).hasSize((int) backfill.count(Counters.ACCEPTED));
    assertThat(expected.rejections()).hasSize((int) backfill.count(Counters.REJECTED)).isNotEmpty();

    watch = tmp.resolve("in");
    output = tmp.resolve("out");
    Files.createDirectories(watch);
    try {
      // 1. Fresh start; killed as soon as the first events are committed.
      Child run1 = start();
      assertThat(startLine(run1)).contains("starting fresh");
      moveIn(a);
      int atFirstKill = awaitCommittedEvents(run1, n -> n > 0);
      kill(run1);

      // 2. Resumed; the second file arrives; killed once some of its events are committed (more
      // distinct events than the first file has).
      Child run2 = start();
      assertThat(startLine(run2)).contains("resuming from");
      moveIn(b);
      int atSecondKill = awaitCommittedEvents(run2, n -> n > first.identities.size());
      kill(run2);

      // 3. Resumed again; runs until everything is committed.
      Child run3 = start();
      assertThat(startLine(run3)).contains("resuming from");
      long waitStart = System.nanoTime();
      StreamResults actual = awaitResults(run3, expected);
      long waitedMillis = (System.nanoTime() - waitStart) / 1_000_000;
      boolean matched = actual.matches(expected);
      // A few more checkpoints: nothing may be committed twice later.
      Thread.sleep(2_000);
      StreamResults settled = StreamResults.ofStream(output);
      // The stream's report.json follows its newest completed checkpoint; its counts went on across
      // the kills.
      RunReport report = awaitReport(run3, backfill);
      // The killed runs' job folders, as Flink left them (state files beside the metadata), go
      // once the third run has a checkpoint: nothing in them is the user's.
      Path checkpoints = output.resolve(StreamRun.CHECKPOINTS);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (jobFolders(checkpoints).size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(jobFolders(checkpoints)).as(listing(checkpoints)).hasSize(1);
      kill(run3);
      assertThat(report.balanced()).as("stream report balanced").isTrue();
      assertThat(report.count(Counters.INPUT_RECORDS))
          .isEqualTo(backfill.count(Counters.INPUT_RECORDS));
      assertThat(report.count(Counters.ACCEPTED)).isEqualTo(backfill.count(Counters.ACCEPTED));
      assertThat(report.count(Counters.DUPLICATES)).isEqualTo(backfill.count(Counters.DUPLICATES));
      assertThat(report.rejectedByReason()).isEqualTo(backfill.rejectedByReason());
      System.out.printf(
          Locale.ROOT,
          "stream kill/resume: committed events at kill 1: %d, at kill 2: %d, expected %d;"
              + " run 3 %s after %d ms%n",
          atFirstKill,
          atSecondKill,
          expected.identities().size(),
          matched ? "matched the backfill" : "did not match the backfill",
          waitedMillis);

      for (StreamResults r : List.of(actual, settled)) {
        // Exactly once: no identity twice in events/, across three runs and two kills. The copy
        // that wins may differ (a stream keeps the first to arrive, a backfill the smallest input
        // position) and copies may carry other metadata: identities are compared. Each bad line
        // is rejected once, named by its file and line.
        r.assertMatches(expected, output.toString());
      }
    } catch (Throwable e) {
      System.err.println(diagnostics());
      throw e;
    }
  }

  private static List<Path> jobFolders(Path checkpoints) throws IOException {
    try (Stream<Path> entries = Files.list(checkpoints)) {
      return entries.filter(Files::isDirectory).toList();
    }
  }

  private static String listing(Path folder) throws IOException {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.map(p -> folder.relativize(p).toString())
          .sorted()
          .collect(Collectors.joining("\n"));
    }
  }

  // --- the child process ---

  private Child start() throws IOException {
    int number = children.size() + 1;
    // What a killed mini-cluster leaves behind stays in the test's folder.
    Path childTmp = Files.createDirectories(tmp.resolve("run-" + number + "-tmp"));
    Path stdout = tmp.resolve("run-" + number + ".out");
    Path stderr = tmp.resolve("run-" + number + ".err");
    Path log = tmp.resolve("run-" + number + ".log");
    Process process =
        CommandProcess.start(
            tmp,
            childTmp,
            stdout,
            stderr,
            StreamArgs.quick(
                "stream",
                "--watch",
                watch.toString(),
                "--output",
                output.toString(),
                "--log-file",
                log.toString()));
    Child child = new Child(number, process, stdout, stderr, log);
    children.add(child);
    return child;
  }

  /** SIGKILL (Process.destroyForcibly on Linux) to the child and anything it started. */
  private static void kill(Child child) {
    CommandProcess.kill(child.process());
  }

  /** The command's first line about the run ("stream: watching ... resuming from ..."). */
  private String startLine(Child child) throws Exception {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(child.stderr(), StandardCharsets.UTF_8)) {
        if (line.startsWith("stream: watching")) {
          return line;
        }
      }
      assertAlive(child);
      Thread.sleep(50);
    }
    return fail("run %d printed no start line within %s", child.number(), START_DEADLINE);
  }

  /** Moves a file into the watched folder at once, as users are told to. */
  private void moveIn(Path file) throws IOException {
    Path hidden = watch.resolve("." + file.getFileName() + ".copying");
    Files.copy(file, hidden);
    Files.move(hidden, watch.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until the distinct committed events satisfy {@code until}; returns their number. */
  private int awaitCommittedEvents(Child child, IntPredicate until) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      int committed = StreamResults.committedIdentities(output);
      if (until.test(committed)) {
        return committed;
      }
      assertAlive(child);
      Thread.sleep(20);
    }
    return fail(
        "run %d: the committed events did not grow as expected within %s",
        child.number(), COMMIT_DEADLINE);
  }

  /**
   * Waits until the stream's committed results equal the backfill's: snapshots come one emit
   * interval after a change and become visible at the next checkpoint. Returns the last results
   * read, matching or not (the caller's assertions tell what differs).
   */
  private StreamResults awaitResults(Child child, StreamResults expected) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    StreamResults actual = StreamResults.ofStream(output);
    while (System.nanoTime() < deadline && !actual.matches(expected)) {
      assertAlive(child);
      Thread.sleep(200);
      actual = StreamResults.ofStream(output);
    }
    return actual;
  }

  /**
   * The report.json the running stream writes after its checkpoints, once its counts cover the
   * whole input (or the last one read).
   */
  private RunReport awaitReport(Child child, RunReport backfill) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    RunReport report = null;
    while (System.nanoTime() < deadline) {
      report = ReportFiles.read(output).orElse(null);
      if (report != null
          && report.count(Counters.INPUT_RECORDS) == backfill.count(Counters.INPUT_RECORDS)) {
        return report;
      }
      assertAlive(child);
      Thread.sleep(200);
    }
    assertThat(report).as("a stream report").isNotNull();
    return report;
  }

  private static void assertAlive(Child child) {
    if (!child.process().isAlive()) {
      fail("run %d ended with exit code %d", child.number(), child.process().exitValue());
    }
  }

  private String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (Child child : children) {
      out.append("==== run ").append(child.number());
      out.append(
          child.process().isAlive()
              ? " (alive)"
              : " (exit code " + child.process().exitValue() + ")");
      out.append("\n---- stdout:\n").append(read(child.stdout()));
      out.append("---- stderr:\n").append(read(child.stderr()));
      List<String> log = read(child.log()).lines().toList();
      List<String> problems =
          log.stream()
              .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
              .limit(40)
              .toList();
      out.append("---- log ").append(child.log()).append(", warnings and errors:\n");
      problems.forEach(l -> out.append(l).append('\n'));
      out.append("---- log, last 30 lines:\n");
      log.subList(Math.max(0, log.size() - 30), log.size())
          .forEach(l -> out.append(l).append('\n'));
    }
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
