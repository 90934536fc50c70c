package dev.dataevents.localpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code start}, {@code stop}, {@code status} and {@code sql} of one PostgreSQL server for local
 * use, listening on 127.0.0.1 only, its data and log in one folder. {@code start} returns once the
 * server accepts connections and prints its JDBC URL (user {@code postgres}, trusted: the server is
 * reachable from this machine only); the server runs on after this JVM ends, until {@code stop},
 * which stops the server of that folder and nothing else. {@code sql} runs one statement and prints
 * its rows (one a line, columns separated by tabs), so that no client needs to be installed to
 * query it.
 *
 * <p>Exit codes: 0 done (or running, for {@code status}), 1 failed, 2 wrong usage, 3 not running.
 */
public final class LocalPostgres {
  static final int DEFAULT_PORT = 55432;
  static final int NOT_RUNNING = 3;

  private static final Duration START_WAIT = Duration.ofSeconds(60);
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final Path folder;
  private final int port;

  LocalPostgres(Path folder, int port) {
    this.folder = folder;
    this.port = port;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String command = null;
    String sql = null;
    Path folder = null;
    int port = DEFAULT_PORT;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--dir" -> folder = Path.of(value(args, ++i, "--dir"));
          case "--port" -> port = port(value(args, ++i, "--port"));
          case "start", "stop", "status", "sql" -> {
            if (command != null) {
              throw new UsageError("one command only: start, stop, status or sql");
            }
            command = args[i];
            if (command.equals("sql")) {
              sql = value(args, ++i, "sql");
            }
          }
          default -> throw new UsageError("unknown argument: " + args[i]);
        }
      }
      if (command == null || folder == null) {
        throw new UsageError(
            "usage: local-postgres start|stop|status|sql STATEMENT --dir DIR [--port N]");
      }
    } catch (UsageError e) {
      System.err.println("local-postgres: " + e.getMessage());
      return 2;
    }
    LocalPostgres server = new LocalPostgres(folder.toAbsolutePath().normalize(), port);
    try {
      return switch (command) {
        case "start" -> server.start();
        case "stop" -> server.stop();
        case "sql" -> server.sql(sql);
        default -> server.status();
      };
    } catch (SQLException e) {
      System.err.println("local-postgres: " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      System.err.println("local-postgres: " + command + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageError(option + " needs a value");
    }
    return args[i];
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new UsageError("--port takes a port number 1-65535, not '" + value + "'");
    }
  }

  /** A mistake in how the command was called. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  Path data() {
    return folder.resolve("data");
  }

  Path log() {
    return folder.resolve("postgres.log");
  }

  static String url(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  int start() throws IOException {
    Optional<Running> running = running();
    if (running.isPresent()) {
      System.err.println("local-postgres: already running (pid " + running.get().pid() + ")");
      System.out.println(url(running.get().port()));
      return 0;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    } catch (IOException e) {
      throw new IOException(
          "port " + port + " on 127.0.0.1 is taken; choose another with LOCAL_POSTGRES_PORT");
    }
    Files.createDirectories(folder);
    // The PostgreSQL programs are unpacked here, in a folder only this user can enter, not in the
    // library's default /tmp/embedded-pg: that one is shared, writable by every user and without
    // the sticky bit, so another user could put programs of theirs where this start runs them.
    Path binaries = Files.createDirectories(folder.resolve("binaries"));
    if (Files.getFileStore(binaries).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(binaries, PosixFilePermissions.fromString("rwx------"));
    }
    boolean fresh = !Files.exists(data().resolve("PG_VERSION"));
    System.err.println(
        "local-postgres: "
            + (fresh ? "creating a database in " : "starting the database in ")
            + data()
            + " (log: "
            + log()
            + ")");
    // Not closed: the server outlives this JVM until `stop`.
    EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(binaries.toFile())
        .setDataDirectory(data())
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1")
        // No Unix socket: only 127.0.0.1, and no file outside the folder.
        .setServerConfig("unix_socket_directories", "")
        .setPGStartupWait(START_WAIT)
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
        .start();
    System.out.println(url(port));
    return 0;
  }

  int stop() throws IOException {
    Optional<Running> running = running();
    if (running.isEmpty()) {
      System.err.println("local-postgres: not running (" + data() + ")");
      return 0;
    }
    long pid = running.get().pid();
    // SIGINT is PostgreSQL's fast shutdown: open sessions end, the data is written out.
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
    try {
      kill.waitFor();
      ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
      if (handle != null) {
        handle.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping pid " + pid);
    } catch (Exception e) {
      throw new IOException("pid " + pid + " did not stop within " + STOP_WAIT.toSeconds() + " s");
    }
    System.err.println("local-postgres: stopped (pid " + pid + ")");
    return 0;
  }

  int status() throws IOException {
    Optional<Running> running = running();
    if (running.isEmpty()) {
      System.err.println("local-postgres: not running (" + data() + ")");
      return NOT_RUNNING;
    }
    System.out.println(url(running.get().port()));
    return 0;
  }

  int sql(String statement) throws IOException, SQLException {
    Optional<Running> running = running();
    if (running.isEmpty()) {
      System.err.println("local-postgres: not running (" + data() + ")");
      return NOT_RUNNING;
    }
    try (Connection connection = DriverManager.getConnection(url(running.get().port()));
        Statement s = connection.createStatement()) {
      if (!s.execute(statement)) {
        System.err.println("local-postgres: " + s.getUpdateCount() + " row(s)");
        return 0;
      }
      try (ResultSet rs = s.getResultSet()) {
        int columns = rs.getMetaData().getColumnCount();
        StringBuilder out = new StringBuilder();
        while (rs.next()) {
          for (int c = 1; c <= columns; c++) {
            if (c > 1) {
              out.append('\t');
            }
            out.append(rs.getString(c));
          }
          out.append('\n');
        }
        System.out.print(out);
      }
    }
    return 0;
  }

  /** The server of this folder, from its {@code postmaster.pid}. */
  record Running(long pid, int port) {}

  /**
   * The server that runs on this folder's data: its {@code postmaster.pid} names a live process (a
   * postgres, not a process that reused the number) that accepts connections on its port.
   */
  Optional<Running> running() throws IOException {
    Path pidFile = data().resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 4) {
      return Optional.empty();
    }
    long pid;
    int pidPort;
    try {
      pid = Long.parseLong(lines.get(0).trim());
      pidPort = Integer.parseInt(lines.get(3).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()
        || !process.get().isAlive()
        || !process.get().info().command().map(c -> c.endsWith("postgres")).orElse(true)) {
      return Optional.empty();
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), pidPort), 1000);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(new Running(pid, pidPort));
  }
}
