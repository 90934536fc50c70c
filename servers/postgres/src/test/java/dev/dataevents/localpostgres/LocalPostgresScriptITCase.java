package dev.dataevents.localpostgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/local-postgres as users run it, on a folder and a free port of the test's: start prints a URL
 * that JDBC connects with as is, status prints it again, sql queries it, stop stops that server
 * (and the data stays for the next start).
 */
class LocalPostgresScriptITCase {
  private static final Path SCRIPT = Path.of("..", "..", "bin", "local-postgres");

  @TempDir Path tmp;
  private int port;

  /** What one run of the script printed. */
  record Result(int exitCode, String stdout, String stderr) {}

  private Result script(String... args) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                concat(List.of(SCRIPT.toAbsolutePath().normalize().toString()), List.of(args)))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("LOCAL_POSTGRES_DIR", tmp.resolve("pg").toString());
    builder.environment().put("LOCAL_POSTGRES_PORT", Integer.toString(port));
    Process process = builder.start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (Files.exists(tmp.resolve("pg"))) {
      script("stop");
    }
  }

  /**
   * The port and folder come from LOCAL_POSTGRES_PORT and LOCAL_POSTGRES_DIR: an option after the
   * action (start --port N) was passed on and silently overridden by the script's own.
   */
  @Test
  void optionsAfterTheActionAreRefused() throws Exception {
    Result start = script("start", "--port", "1");
    assertThat(start.exitCode()).isEqualTo(2);
    assertThat(start.stderr()).contains("LOCAL_POSTGRES_PORT").doesNotContain("Exception");
    assertThat(tmp.resolve("pg")).doesNotExist();
  }

  @Test
  void startStatusSqlStop() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";

    Result start = script("start");
    assertThat(start.exitCode()).as(start.stderr()).isZero();
    assertThat(start.stdout()).isEqualTo(url + "\n");
    // Its programs were unpacked into its own folder, which no other user may enter.
    Path binaries = tmp.resolve("pg").resolve("binaries");
    try (var unpacked = Files.list(binaries)) {
      assertThat(unpacked).anyMatch(p -> p.getFileName().toString().startsWith("PG-"));
    }
    String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries));
    assertThat(permissions.charAt(8)).as("others may enter " + permissions).isEqualTo('-');
    assertThat(permissions.charAt(5)).as("the group may enter " + permissions).isEqualTo('-');
    try (Connection c = DriverManager.getConnection(start.stdout().strip());
        ResultSet rs = c.createStatement().executeQuery("SHOW listen_addresses")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("127.0.0.1");
      c.createStatement().execute("CREATE TABLE kept (v text)");
      c.createStatement().execute("INSERT INTO kept VALUES ('still here')");
    }
    assertThat(tmp.resolve("pg").resolve("postgres.log")).exists();

    Result status = script("status");
    assertThat(status.exitCode()).isZero();
    assertThat(status.stdout()).isEqualTo(url + "\n");
    Result again = script("start");
    assertThat(again.exitCode()).isZero();
    assertThat(again.stderr()).contains("already running");

    Result sql = script("sql", "SELECT v, 1 FROM kept");
    assertThat(sql.exitCode()).as(sql.stderr()).isZero();
    assertThat(sql.stdout()).isEqualTo("still here\t1\n");

    Result stop = script("stop");
    assertThat(stop.exitCode()).isZero();
    assertThat(portOpen()).isFalse();
    Result stopped = script("status");
    assertThat(stopped.exitCode()).isEqualTo(LocalPostgres.NOT_RUNNING);
    assertThat(stopped.stdout()).isEmpty();

    // The data stays for the next start.
    assertThat(script("start").exitCode()).isZero();
    assertThat(script("sql", "SELECT v FROM kept").stdout()).isEqualTo("still here\n");
  }

  private boolean portOpen() {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
