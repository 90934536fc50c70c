package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.reporting.Counters;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.OutputFiles;
import dev.dataevents.testing.Records;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/data-events as users start it: through a link from another folder, on the JDK that JAVA_HOME
 * names, refusing an old Java or a missing Maven with one line, and building once when two first
 * runs start at the same time.
 */
class LauncherITCase {
  private static final Duration RUN = Duration.ofMinutes(2);

  /** A first run builds the jar with Maven. */
  private static final Duration BUILD = Duration.ofMinutes(8);

  private static final String BUILDING = "data-events: building the job jar";

  private static final String WAITING = "data-events: waiting for another launcher";

  private static final String PREPARING = "data-events: preparing faster starts";

  /** How -Xlog:class+load names a class mapped from the launcher's (dynamic) archive. */
  private static final String MAIN_FROM_ARCHIVE =
      "dev.dataevents.cli.Main source: shared objects file (top)";

  @TempDir Path tmp;

  @Test
  void runsThroughALinkFromAnotherFolderOnTheJdkOfJavaHomeWithNoJavaOnPath() throws Exception {
    Path link = Files.createDirectories(tmp.resolve("links")).resolve("data-events");
    Files.createSymbolicLink(link, LauncherProcess.script());
    Path elsewhere = oneEventIn(tmp.resolve("elsewhere"));

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill",
                "--input",
                "events.jsonl",
                "--output",
                "out",
                "--as-of",
                "2024-01-01T00:00:00Z",
                "--parallelism",
                "1")
            .script(link)
            .in(elsewhere)
            .env("JAVA_HOME", System.getProperty("java.home"))
            .env("PATH", pathWithout("java").toString())
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(elsewhere.resolve("out").resolve("report.json")).isRegularFile();
  }

  /**
   * Every run shows its progress (records, bytes read of the total, rate), also one that ends
   * before the first periodic line (1 s on a terminal, 5 s otherwise): a short run showed only its
   * start line and summary.
   */
  @Test
  void aRunShorterThanTheProgressIntervalStillShowsItsProgress() throws Exception {
    Path elsewhere = oneEventIn(tmp.resolve("short"));
    long size = Files.size(elsewhere.resolve("events.jsonl"));

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill", "--input", "events.jsonl", "--output", "out", "--as-of", "1700000001")
            .in(elsewhere)
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = run.stderr().lines().toList();
    int progress = -1;
    int done = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines
          .get(i)
          .matches(
              "progress: 1 records, "
                  + size
                  + " B of "
                  + size
                  + " B read \\(100%\\), [0-9,.]+ records/s")) {
        progress = i;
      } else if (lines.get(i).startsWith("done in ")) {
        done = i;
      }
    }
    assertThat(progress).as(run.stderr()).isNotNegative();
    assertThat(done).as(run.stderr()).isGreaterThan(progress);
  }

  /**
   * A stream ends, when stopped, as every run does: with a summary of its report (the counts of its
   * newest checkpoint, which the same command resumes from). It ended on its last progress line.
   */
  @Test
  void aStoppedStreamEndsWithASummaryOfWhatItCommitted() throws Exception {
    Path watch = oneEventIn(tmp.resolve("watch"));
    Path out = tmp.resolve("live");
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp.resolve("logs"),
            "stream",
            StreamArgs.quick("stream", "--watch", watch.toString(), "--output", out.toString()))) {
      long deadline = System.nanoTime() + RUN.toNanos();
      // Until a checkpoint holds the event and its contact's first snapshot (one emit interval
      // later).
      while (ReportFiles.read(out).map(r -> r.count(Counters.SUMMARIES)).orElse(0L) < 1
          && stream.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      stream.stop(RUN);
      LauncherProcess.Result result = stream.await(RUN);
      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(143);
      assertThat(result.stderr())
          .contains(
              "stream: stopped; committed as of its newest checkpoint: 1 records: 1 accepted,"
                  + " 0 duplicates, 0 rejected\n"
                  + "  1 contacts, 1 summaries, 0 listing pages;")
          .contains(
              "  output: " + out + " (report.json has every count); the same command resumes");
    }
  }

  /**
   * The embedded mini-cluster's working folders (blob storage, temporary files) are gone when the
   * command ends: a local run used to leave a {@code minicluster_...} tree in the temporary folder
   * every time, because the JVM ended before the cluster had finished closing.
   */
  @Test
  void aLocalRunLeavesNothingInTheTemporaryFolder() throws Exception {
    Path temp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path elsewhere = oneEventIn(tmp.resolve("run"));

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill", "--input", "events.jsonl", "--output", "out", "--as-of", "1700000001")
            .in(elsewhere)
            .env("DATA_EVENTS_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + temp)
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(elsewhere.resolve("out").resolve("report.json")).isRegularFile();
    // Flink's log (docs/operations.md) is kept there on purpose, and nothing else.
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("left in java.io.tmpdir")
          .containsExactly("data-events-logs-" + System.getProperty("user.name"));
    }
  }

  /**
   * Without a locale (cron, {@code env -i}) Java reads file names as ASCII: a file named {@code
   * é.jsonl} in an input folder became {@code ??.jsonl}, which does not exist, and the run failed.
   */
  @Test
  void aRunWithoutALocaleReadsAFileWithANonAsciiName() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("no-locale").resolve("in"));
    // Made by the shell from its bytes: this JVM may itself run without a UTF-8 locale.
    Process make =
        new ProcessBuilder(
                "sh",
                "-c",
                "printf '{\"event_name\":\"e\",\"created_at\":1700000000,\"user_id\":\"1\"}\\n'"
                    + " > \"$(printf 'in/\\303\\251.jsonl')\"")
            .directory(folder.getParent().toFile())
            .start();
    assertThat(make.waitFor()).isZero();

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill", "--input", "in", "--output", "out", "--as-of", "1700000001")
            .in(folder.getParent())
            .env("LANG", null)
            .env("LC_ALL", null)
            .env("LC_CTYPE", null)
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(
            ReportFiles.read(folder.resolveSibling("out")).orElseThrow().count(Counters.ACCEPTED))
        .isEqualTo(1);
  }

  /**
   * The shaded jar leaves Flink out (a cluster has it), so {@code java -jar} cannot run a job: it
   * says how to run one instead of failing with a class that is not found.
   */
  @Test
  void theJarWithoutFlinkSaysHowToRunIt() throws Exception {
    Path jar = LauncherProcess.script().getParent().resolveSibling("jobs/target/data-events.jar");
    Path err = tmp.resolve("jar.err");
    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "backfill",
                "--help")
            .redirectOutput(tmp.resolve("jar.out").toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(run.waitFor(1, TimeUnit.MINUTES)).isTrue();

    List<String> lines = Files.readAllLines(err);
    assertThat(run.exitValue()).as(String.join("\n", lines)).isEqualTo(1);
    assertThat(lines)
        .singleElement()
        .asString()
        .startsWith("data-events: ")
        .contains("flink run", "bin/data-events")
        .doesNotContain("Exception", "Error");
    assertThat(tmp.resolve("jar.out")).isEmptyFile();
  }

  /**
   * {@code TMPDIR} names the temporary folder, as it does for other Unix tools: Java itself ignores
   * it on Linux, so Flink's log folder went to {@code /tmp} whatever the user had set.
   */
  @Test
  void aRunKeepsItsTemporaryFilesInTmpdir() throws Exception {
    Path temp = Files.createDirectories(tmp.resolve("user-tmp"));
    Path elsewhere = oneEventIn(tmp.resolve("tmpdir-run"));

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill", "--input", "events.jsonl", "--output", "out", "--as-of", "1700000001")
            .in(elsewhere)
            .env("TMPDIR", temp.toString())
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    Path logs = temp.resolve("data-events-logs-" + System.getProperty("user.name"));
    assertThat(run.stderr()).contains(logs.toString());
    try (Stream<Path> left = Files.list(logs)) {
      assertThat(left).as("Flink's log of the run").hasSize(1);
    }
  }

  /**
   * The embedded mini-cluster runs every stage (directory, imports, duplicates) at the highest
   * parallelism it takes, and refuses a higher one before creating anything: at 32 it failed for
   * want of network buffers, at 1000 it never finished.
   */
  @Test
  void theEmbeddedClusterRunsItsHighestParallelismAndRefusesMore() throws Exception {
    Path samples = OutputFiles.sampleData().toAbsolutePath();
    for (int parallelism : new int[] {16, 17}) {
      Path out = tmp.resolve("out-" + parallelism);
      LauncherProcess.Result run =
          LauncherProcess.launch(
                  "backfill",
                  "--input",
                  samples.resolve("events.jsonl").toString(),
                  "--summaries",
                  samples.resolve("summaries.jsonl").toString(),
                  "--contacts",
                  samples.resolve("contacts.jsonl").toString(),
                  "--duplicates",
                  "--as-of",
                  "2026-11-01T00:00:00Z",
                  "--parallelism",
                  Integer.toString(parallelism),
                  "--output",
                  out.toString())
              .run(tmp.resolve("logs-" + parallelism), RUN);
      if (parallelism == 16) {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readString(out.resolve("report.json"))).contains("\"parallelism\" : 16");
      } else {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr())
            .contains("--parallelism 17: the embedded mini-cluster runs at most 16")
            .contains("--jobmanager");
        assertThat(out).doesNotExist();
      }
    }
  }

  /** DATA_EVENTS_JAVA_OPTS is split into words but never matched against the working folder. */
  @Test
  void javaOptionsAreNotMatchedAgainstFileNames() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("glob"));
    Files.writeString(work.resolve("-XX:OnOutOfMemoryError=globbed"), "");

    LauncherProcess.Result run =
        LauncherProcess.launch("--version")
            .in(work)
            .env(
                "DATA_EVENTS_JAVA_OPTS",
                "-Xmx256m -XX:+PrintCommandLineFlags -XX:OnOutOfMemoryError=*")
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("-XX:OnOutOfMemoryError=* ").doesNotContain("globbed");
  }

  /**
   * An input folder whose name begins with a dash is a folder to the launcher's size check, not an
   * option of the {@code find} it runs: {@code find -delete ...} deletes everything below the
   * working folder.
   */
  @Test
  void anInputNamedLikeAnOptionIsOnlyRead() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path input = Files.createDirectories(work.resolve("-delete"));
    Files.copy(
        oneEventIn(tmp.resolve("one")).resolve("events.jsonl"), input.resolve("events.jsonl"));
    Path kept = Files.writeString(work.resolve("keep.txt"), "not the tool's");

    LauncherProcess.Result run =
        LauncherProcess.launch(
                "backfill", "--input=-delete", "--output", "out", "--as-of", "1700000001")
            .in(work)
            .run(tmp.resolve("logs"), RUN);

    assertThat(kept).hasContent("not the tool's");
    assertThat(input.resolve("events.jsonl")).isRegularFile();
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(work.resolve("out").resolve("report.json")).isRegularFile();
  }

  /**
   * While a run sorts and spills events to disk, everything it keeps in the temporary folder is in
   * folders only the user can read: spilled records hold the events themselves.
   */
  @Test
  void aRunKeepsItsTemporaryFilesPrivate() throws Exception {
    Path temp = Files.createDirectories(tmp.resolve("java-tmp"));
    Path input = tmp.resolve("events.jsonl");
    EventGenerator.write(input, 60_000, 9);
    Set<String> seen = new HashSet<>();
    try (LauncherProcess run =
        LauncherProcess.launch(
                "backfill",
                "--input",
                input.toString(),
                "--output",
                tmp.resolve("out").toString(),
                "--as-of",
                Long.toString(Records.AS_OF))
            // Little sort memory: the contact sort spills to disk.
            .env(
                "DATA_EVENTS_JAVA_OPTS",
                "-Xmx512m -Ddata-events.managed-memory-mib=16 -Djava.io.tmpdir=" + temp)
            .start(tmp.resolve("logs"), "private-temp")) {
      while (run.isAlive()) {
        try (Stream<Path> entries = Files.list(temp)) {
          for (Path entry : (Iterable<Path>) entries::iterator) {
            try {
              seen.add(
                  entry.getFileName()
                      + " "
                      + PosixFilePermissions.toString(
                          Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS)));
            } catch (NoSuchFileException e) {
              // removed meanwhile
            }
          }
        }
        Thread.sleep(20);
      }
      LauncherProcess.Result result = run.await(RUN);
      assertThat(result.exitCode()).as(result.stderr()).isZero();
    }
    assertThat(seen)
        .as("what the run kept in java.io.tmpdir")
        .isNotEmpty()
        .allSatisfy(entry -> assertThat(entry).endsWith(" rwx------"));
  }

  /**
   * Stopped while it runs (Ctrl-C, or a kill), a backfill says so in one line and leaves the output
   * as it was: an earlier output untouched, no staging folder beside it.
   */
  @Test
  void aBackfillStoppedWhileItRunsSaysSoAndLeavesTheOutputAsItWas() throws Exception {
    Path input = tmp.resolve("events.jsonl");
    EventGenerator.write(input, 400_000, 11);
    Path parent = Files.createDirectories(tmp.resolve("outputs"));
    Path out = parent.resolve("out");
    LauncherProcess.Result first =
        LauncherProcess.launch(
                "backfill",
                "--input",
                oneEventIn(tmp.resolve("small")).resolve("events.jsonl").toString(),
                "--output",
                out.toString(),
                "--as-of",
                Long.toString(Records.AS_OF))
            .run(tmp.resolve("logs-first"), RUN);
    assertThat(first.exitCode()).as(first.stderr()).isZero();
    String report = Files.readString(out.resolve("report.json"));

    try (LauncherProcess run =
        LauncherProcess.start(
            tmp.resolve("logs"),
            "stopped",
            "backfill",
            "--input",
            input.toString(),
            "--output",
            out.toString(),
            "--overwrite",
            "--as-of",
            Long.toString(Records.AS_OF))) {
      // Stopped once the job has begun to write its staging folder beside the output.
      long deadline = System.nanoTime() + RUN.toNanos();
      while (!stagingIn(parent) && run.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(500);
      assertThat(run.isAlive()).as(run.stderr()).isTrue();
      run.stop(RUN);
      LauncherProcess.Result result = run.await(RUN);
      assertThat(result.exitCode()).as(result.stderr()).isEqualTo(143);
      assertThat(result.stderr())
          .contains("backfill: stopped before the end; " + out + " is left as it was");
    }
    assertThat(Files.readString(out.resolve("report.json"))).isEqualTo(report);
    try (Stream<Path> left = Files.list(parent)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("out");
    }
  }

  private static boolean stagingIn(Path parent) throws IOException {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.anyMatch(p -> p.getFileName().toString().startsWith("."));
    }
  }

  /**
   * DATA_EVENTS_JAVA_OPTS comes after the launcher's own JVM flags, so a flag given there wins, and
   * a collector chosen there replaces the launcher's (two would stop the JVM).
   */
  @Test
  void aCollectorChosenInTheJavaOptionsReplacesTheLaunchersOwn() throws Exception {
    LauncherProcess.Result run =
        LauncherProcess.launch("--version")
            .env(
                "DATA_EVENTS_JAVA_OPTS",
                "-Xmx256m -XX:+UseParallelGC -XX:FreqInlineSize=325 -XX:+PrintFlagsFinal")
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .containsPattern("bool UseParallelGC +:?= true")
        .containsPattern("bool UseSerialGC +:?= false")
        .containsPattern("size_t MaxHeapSize +:?= 268435456")
        .containsPattern("intx Tier4InvocationThreshold +:?= 50000")
        .containsPattern("intx MaxInlineLevel +:?= 6")
        .containsPattern("intx FreqInlineSize +:?= 325")
        .contains("data-events ");
  }

  /**
   * Class data chosen in the Java options replaces the launcher's archive: Java 25 refuses to start
   * when its ahead-of-time cache (-XX:AOTCache) and an archive are both named, so a user's own
   * cache must come alone. (-Xshare stands in for it here: the tests run on Java 17.)
   */
  @Test
  void classDataChosenInTheJavaOptionsReplacesTheLaunchersArchive() throws Exception {
    LauncherProcess.Result own =
        LauncherProcess.launch("--version")
            .env("DATA_EVENTS_JAVA_OPTS", "-Xmx256m -XX:+PrintFlagsFinal")
            .run(tmp.resolve("logs"), RUN);
    assertThat(own.exitCode()).as(own.stderr()).isZero();
    // The launcher names its archive (made by this run if no earlier one had).
    assertThat(own.stdout()).containsPattern("ccstr SharedArchiveFile += \\S*data-events\\.jsa");

    LauncherProcess.Result chosen =
        LauncherProcess.launch("--version")
            .env("DATA_EVENTS_JAVA_OPTS", "-Xmx256m -Xshare:auto -XX:+PrintFlagsFinal")
            .run(tmp.resolve("logs"), RUN);
    assertThat(chosen.exitCode()).as(chosen.stderr()).isZero();
    assertThat(chosen.stdout())
        .doesNotContain("data-events.jsa")
        .containsPattern("ccstr SharedArchiveFile += +\\{product\\} \\{default\\}")
        .contains("data-events ");
  }

  /**
   * A backfill or recompute of small named inputs compiles with C1 alone (a run of seconds pays for
   * C2 and never gains it back); a large input, a compressed one, a pipe, Kafka and the stream keep
   * tiered compilation, and the Java options win over the launcher's choice.
   */
  @Test
  void aShortRunCompilesWithC1AloneAndALongOneWithC2() throws Exception {
    Path small = Files.writeString(tmp.resolve("small.jsonl"), "{}\n", StandardCharsets.UTF_8);
    Path folder = Files.createDirectories(tmp.resolve("folder"));
    Files.writeString(folder.resolve("a.jsonl"), "{}\n", StandardCharsets.UTF_8);
    Path large = tmp.resolve("large.jsonl");
    try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
      file.setLength(65L * 1024 * 1024); // sparse: what counts is the size the job would read
    }
    Path compressed = Files.write(tmp.resolve("small.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b});
    // A named pipe is never read to size it (that would take its lines from the job): with no
    // writer, opening it would hang the launcher.
    Path pipe = tmp.resolve("pipe.jsonl");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
    // An output that is not empty, without --overwrite: the run ends at once (exit 2).
    Path output = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(output.resolve("kept.txt"), "x", StandardCharsets.UTF_8);

    assertThat(tieredStopAtLevel(null, "backfill", "--input", small.toString())).isEqualTo("1");
    assertThat(
            tieredStopAtLevel(
                null, "backfill", "--input=" + folder, "--summaries", small.toString()))
        .isEqualTo("1");
    assertThat(tieredStopAtLevel(null, "recompute", "--archive", folder.toString())).isEqualTo("1");
    assertThat(tieredStopAtLevel(null, "backfill", "--input", small.toString(), large.toString()))
        .isEqualTo("4");
    assertThat(tieredStopAtLevel(null, "backfill", "--input", compressed.toString()))
        .isEqualTo("4");
    assertThat(tieredStopAtLevel(null, "backfill", "--input", pipe.toString())).isEqualTo("4");
    assertThat(
            tieredStopAtLevel(
                null, "backfill", "--input", small.toString(), "--kafka", "127.0.0.1:9"))
        .isEqualTo("4");
    assertThat(tieredStopAtLevel(null, "stream", "--help")).isEqualTo("4");
    assertThat(
            tieredStopAtLevel("-XX:TieredStopAtLevel=4", "backfill", "--input", small.toString()))
        .isEqualTo("4");
  }

  /** TieredStopAtLevel of the JVM the launcher starts for {@code args} (and --output, if a run). */
  private String tieredStopAtLevel(String javaOptions, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(args));
    if (!command.contains("--help")) {
      command.addAll(List.of("--output", tmp.resolve("out").toString(), "--as-of", "1793491200"));
    }
    LauncherProcess.Result run =
        LauncherProcess.launch(command.toArray(String[]::new))
            .env(
                "DATA_EVENTS_JAVA_OPTS",
                "-Xmx256m -XX:+PrintFlagsFinal" + (javaOptions == null ? "" : " " + javaOptions))
            .run(tmp.resolve("logs"), RUN);
    Matcher level = Pattern.compile("intx TieredStopAtLevel +:?= (\\d+)").matcher(run.stdout());
    assertThat(level.find()).as("%s\n%s", command, run.stderr()).isTrue();
    return level.group(1);
  }

  @Test
  void anOlderJavaFirstOnPathIsRefusedWithOneLine() throws Exception {
    Path fake = Files.createDirectories(tmp.resolve("old-java")).resolve("java");
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "if [ \"$1\" = -version ]; then\n"
            + "  echo 'openjdk version \"11.0.22\" 2024-01-16' >&2\n"
            + "  echo 'OpenJDK Runtime Environment (build 11.0.22+7)' >&2\n"
            + "  exit 0\n"
            + "fi\n"
            + "echo 'the fake Java 11 was asked to run a program' >&2\n"
            + "exit 3\n",
        StandardCharsets.UTF_8);
    fake.toFile().setExecutable(true);

    LauncherProcess.Result run =
        LauncherProcess.launch("--version")
            .env("JAVA_HOME", null)
            .env("PATH", fake.getParent() + File.pathSeparator + System.getenv("PATH"))
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr().lines())
        .singleElement()
        .asString()
        .contains("Java 17", "11.0.22", fake.toString(), "JAVA_HOME");
  }

  @Test
  void aJavaHomeWithoutJavaIsRefusedWithOneLine() throws Exception {
    Path notAJdk = Files.createDirectories(tmp.resolve("not-a-jdk"));

    LauncherProcess.Result run =
        LauncherProcess.launch("--version")
            .env("JAVA_HOME", notAJdk.toString())
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr().lines())
        .singleElement()
        .asString()
        .contains("JAVA_HOME", notAJdk.toString());
  }

  @Test
  void aBuildWithoutMavenIsRefusedWithOneLine() throws Exception {
    Path repo = sourcesOnly(tmp.resolve("repo"));

    LauncherProcess.Result run =
        LauncherProcess.launch("--version")
            .script(repo.resolve("bin").resolve("data-events"))
            .env("PATH", pathWithout("mvn").toString())
            .run(tmp.resolve("logs"), RUN);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr().lines()).singleElement().asString().contains("Maven", "mvn");
    assertThat(repo.resolve("jobs").resolve("target").resolve("data-events.jar")).doesNotExist();
  }

  /**
   * The one test that pays for a Maven build (about a minute): two first runs at once build once
   * and prepare the class-data archive once; later runs use it, ask Java its version no more, run
   * quietly without an archive the JVM finds stale, and prepare it again when it is gone.
   */
  @Test
  void twoFirstRunsAtOnceBuildAndPrepareOnceThenRunsUseTheArchive() throws Exception {
    Path repo = sourcesOnly(tmp.resolve("repo"));
    copy(
        LauncherProcess.script().getParent().resolveSibling("sample-data"),
        repo.resolve("sample-data"));
    Path script = repo.resolve("bin").resolve("data-events");
    Path target = repo.resolve("jobs").resolve("target");
    Path archive = target.resolve("data-events.jsa");
    // A Java that notes each time the launcher asks its version, and otherwise is the JDK.
    Path probes = tmp.resolve("version-probes.txt");
    Path jdk = countingJdk(probes);

    try (LauncherProcess first =
            LauncherProcess.launch("--version")
                .script(script)
                .env("JAVA_HOME", jdk.toString())
                .start(tmp, "first");
        LauncherProcess second =
            LauncherProcess.launch("--version")
                .script(script)
                .env("JAVA_HOME", jdk.toString())
                .start(tmp, "second")) {
      LauncherProcess.Result one = first.await(BUILD);
      LauncherProcess.Result two = second.await(BUILD);

      assertThat(one.exitCode()).as(one.stderr()).isZero();
      assertThat(two.exitCode()).as(two.stderr()).isZero();
      assertThat(one.stdout()).startsWith("data-events ");
      assertThat(two.stdout()).isEqualTo(one.stdout());
      assertThat(Stream.of(one.stderr(), two.stderr()).filter(e -> e.contains(BUILDING)))
          .as("launchers that built the jar:\n%s\n%s", one.stderr(), two.stderr())
          .hasSize(1);
      // They did overlap: the other one waited for that build rather than finding it done.
      assertThat(Stream.of(one.stderr(), two.stderr()).filter(e -> e.contains(WAITING))).hasSize(1);
      assertThat(Stream.of(one.stderr(), two.stderr()).filter(e -> e.contains(PREPARING)))
          .hasSize(1);
      assertThat(archive).isRegularFile();
    }
    String version = Files.readString(tmp.resolve("first.out"), StandardCharsets.UTF_8);
    long probesOfFirstRuns = Files.readAllLines(probes).size();
    assertThat(probesOfFirstRuns).as("the first runs asked Java its version").isBetween(1L, 2L);

    // A later run maps its classes from the archive, and does not ask Java its version again.
    Path classes = tmp.resolve("classes-used.txt");
    LauncherProcess.Result used = versionLoggingClasses(script, jdk, classes);
    assertThat(used.exitCode()).as(used.stderr()).isZero();
    assertThat(used.stdout()).isEqualTo(version);
    assertThat(used.stderr()).isEmpty();
    assertThat(Files.readString(classes)).contains(MAIN_FROM_ARCHIVE);
    assertThat(Files.readAllLines(probes)).hasSize((int) probesOfFirstRuns);

    // The jar changed behind the launcher's back (an older time, so not rebuilt): the JVM finds
    // the archive stale and runs without it, silently.
    Path jar = target.resolve("data-events.jar");
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 2_000));
    Path stale = tmp.resolve("classes-stale.txt");
    LauncherProcess.Result ignored = versionLoggingClasses(script, jdk, stale);
    assertThat(ignored.exitCode()).as(ignored.stderr()).isZero();
    assertThat(ignored.stdout()).isEqualTo(version);
    assertThat(ignored.stderr()).isEmpty();
    assertThat(Files.readString(stale))
        .contains("dev.dataevents.cli.Main source:")
        .doesNotContain(MAIN_FROM_ARCHIVE);

    // A missing archive is prepared again (under the lock) before the run.
    Files.delete(archive);
    LauncherProcess.Result again =
        LauncherProcess.launch("--version")
            .script(script)
            .env("JAVA_HOME", jdk.toString())
            .run(tmp.resolve("logs"), BUILD);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(again.stdout()).isEqualTo(version);
    assertThat(again.stderr()).contains(PREPARING).doesNotContain(BUILDING);
    assertThat(archive).isRegularFile();
  }

  /** {@code --version} with the class-loading log of its JVM in {@code classes}. */
  private LauncherProcess.Result versionLoggingClasses(Path script, Path jdk, Path classes)
      throws IOException, InterruptedException {
    return LauncherProcess.launch("--version")
        .script(script)
        .env("JAVA_HOME", jdk.toString())
        .env("DATA_EVENTS_JAVA_OPTS", "-Xmx512m -Xlog:class+load=info:file=" + classes)
        .run(tmp.resolve("logs"), RUN);
  }

  /**
   * A JDK whose bin/java appends a line to {@code probes} when asked {@code -version} alone, and is
   * this JDK's java otherwise.
   */
  private Path countingJdk(Path probes) throws IOException {
    Path jdk = tmp.resolve("counting-jdk");
    Path java = Files.createDirectories(jdk.resolve("bin")).resolve("java");
    String real = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(
        java,
        "#!/bin/sh\n"
            + "if [ \"$#\" = 1 ] && [ \"$1\" = -version ]; then echo probe >>'"
            + probes
            + "'; fi\n"
            + "exec '"
            + real
            + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    java.toFile().setExecutable(true);
    return jdk;
  }

  /**
   * A copy of what the launcher builds from (the POMs, main sources, the launcher itself), as a
   * fresh checkout has it: no jobs/target yet.
   */
  private static Path sourcesOnly(Path repo) throws IOException {
    Path checkout = LauncherProcess.script().getParent().getParent();
    for (String part :
        List.of(
            "pom.xml",
            "bin",
            "libs/picocli/pom.xml",
            "jobs/pom.xml",
            "jobs/java-opens.args",
            "jobs/src/main")) {
      copy(checkout.resolve(part), repo.resolve(part));
    }
    return repo;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /**
   * A PATH of one folder that has every command of this PATH but {@code command}, as links: on
   * systems where java and mvn live in /usr/bin next to bash, a PATH cannot just leave a folder
   * out.
   */
  private Path pathWithout(String command) throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("path-without-" + command));
    Set<String> seen = new HashSet<>(List.of(command));
    List<Path> dirs = new ArrayList<>();
    for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isDirectory(Path.of(dir))) {
        dirs.add(Path.of(dir));
      }
    }
    for (Path dir : dirs) {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
          String name = entry.getFileName().toString();
          if (Files.isExecutable(entry) && !Files.isDirectory(entry) && seen.add(name)) {
            Files.createSymbolicLink(bin.resolve(name), entry);
          }
        }
      }
    }
    return bin;
  }

  /** {@code folder}, created, holding {@code events.jsonl} with one valid event. */
  private static Path oneEventIn(Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve("events.jsonl"),
        "{\"event_name\":\"placed-order\",\"created_at\":1700000000,\"user_id\":\"u1\"}\n",
        StandardCharsets.UTF_8);
    return folder;
  }
}
