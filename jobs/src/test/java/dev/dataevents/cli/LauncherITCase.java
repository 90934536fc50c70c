package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.LauncherProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  @TempDir Path tmp;

  @Test
  void runsThroughALinkFromAnotherFolderOnTheJdkOfJavaHomeWithNoJavaOnPath() throws Exception {
    Path link = Files.createDirectories(tmp.resolve("links")).resolve("data-events");
    Files.createSymbolicLink(link, LauncherProcess.script());
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(
        elsewhere.resolve("events.jsonl"),
        "{\"event_name\":\"placed-order\",\"created_at\":1700000000,\"user_id\":\"u1\"}\n",
        StandardCharsets.UTF_8);

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

  /** The one test that pays for a Maven build (about a minute). */
  @Test
  void twoFirstRunsAtOnceBuildOnceAndBothRun() throws Exception {
    Path repo = sourcesOnly(tmp.resolve("repo"));
    Path script = repo.resolve("bin").resolve("data-events");

    try (LauncherProcess first =
            LauncherProcess.launch("--version").script(script).start(tmp, "first");
        LauncherProcess second =
            LauncherProcess.launch("--version").script(script).start(tmp, "second")) {
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
    }
  }

  /**
   * A copy of what the launcher builds from (the POMs, main sources, the launcher itself), as a
   * fresh checkout has it: no jobs/target yet.
   */
  private static Path sourcesOnly(Path repo) throws IOException {
    Path checkout = LauncherProcess.script().getParent().getParent();
    for (String part :
        List.of("pom.xml", "bin", "jobs/pom.xml", "jobs/java-opens.args", "jobs/src/main")) {
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
}
