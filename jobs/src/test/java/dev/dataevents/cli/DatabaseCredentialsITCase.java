package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database password, against a server that asks for it: taken from PGPASSWORD or a file, it
 * gets the run in; it never reaches stdout, stderr, the log or an output file, whether the run
 * succeeds, is refused by the server, or was given a URL with a password (refused at once).
 */
class DatabaseCredentialsITCase {
  private static final String SECRET = "Sw0rdfish-2f9c1e";

  @TempDir static Path serverDir;
  private static Postgres postgres;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = Postgres.start(serverDir);
    postgres.execute(
        "CREATE ROLE writer LOGIN PASSWORD '" + SECRET + "'",
        "GRANT CREATE ON DATABASE postgres TO writer");
    // The writer must give its password; the test's own superuser connections stay trusted.
    Files.writeString(
        serverDir.resolve("pgdata").resolve("pg_hba.conf"),
        "host all writer 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n",
        StandardCharsets.UTF_8);
    postgres.execute("SELECT pg_reload_conf()");
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private String writerUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres?user=writer";
  }

  private CommandProcess.Result backfill(Map<String, String> env, String url, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backfill",
                "--input",
                sampleData().resolve("events.jsonl").toAbsolutePath().toString(),
                "--output",
                tmp.resolve("out").toString(),
                "--as-of",
                "2026-11-01T00:00:00Z",
                "--parallelism",
                "1",
                "--log-file",
                tmp.resolve("scratch").resolve("run.log").toString(),
                "--jdbc-url",
                url));
    args.addAll(List.of(more));
    return CommandProcess.run(tmp, tmp.resolve("scratch"), env, args.toArray(String[]::new));
  }

  @Test
  void thePasswordFromPgpasswordGetsTheRunInAndIsNowhereAfterIt() throws Exception {
    CommandProcess.Result result = backfill(Map.of("PGPASSWORD", SECRET), writerUrl());
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stderr()).contains("database: " + writerUrl());
    assertThat(
            postgres.column(
                "SELECT count(*) FROM data_events.contacts WHERE workspace_id IS NOT NULL"))
        .first()
        .isNotEqualTo("0");
    assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    assertThat(filesContaining(tmp, SECRET)).isEmpty();
  }

  @Test
  void aWrongPasswordFromAFileFailsTheRunWithoutShowingIt() throws Exception {
    Path file = Files.writeString(tmp.resolve("password"), SECRET + "-wrong\n");
    CommandProcess.Result result =
        backfill(Map.of(), writerUrl(), "--jdbc-password-file", file.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("password authentication failed");
    assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    assertThat(filesContaining(tmp, SECRET)).containsExactly(file);
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void aPasswordInTheUrlIsRefusedBeforeAnythingRuns() throws Exception {
    CommandProcess.Result result = backfill(Map.of(), writerUrl() + "&password=" + SECRET);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--jdbc-url: the JDBC URL must not hold a password");
    assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    assertThat(filesContaining(tmp, SECRET)).isEmpty();
  }

  /** Every file under {@code dir} that holds {@code text}. */
  private static List<Path> filesContaining(Path dir, String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
                      .contains(text);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
