package dev.dataevents.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A standalone Flink cluster started with {@code bin/local-cluster} in a test's folder, on free
 * ports. Close it (in an {@code @AfterAll} or a finally): it runs {@code stop}, then kills whatever
 * of its processes still runs, also when the test failed.
 */
public final class LocalCluster implements AutoCloseable {
  private static final Duration COMMAND_DEADLINE = Duration.ofMinutes(5);

  private final Path dir;
  private final int restPort;
  private final List<Long> started = new ArrayList<>();

  /** One process of the cluster, as {@code bin/local-cluster status} prints it. */
  public record Member(String role, long pid, Path log) {}

  /** What a run of bin/local-cluster printed. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private LocalCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Starts a cluster of {@code taskManagers} TaskManagers of {@code slots} slots each. */
  public static LocalCluster start(Path dir, int taskManagers, int slots) throws IOException {
    LocalCluster cluster = new LocalCluster(dir, freePort());
    Result result =
        cluster.run(
            "start",
            "--taskmanagers",
            Integer.toString(taskManagers),
            "--slots",
            Integer.toString(slots),
            "--port",
            Integer.toString(cluster.restPort),
            "--rpc-port",
            Integer.toString(freePort()));
    cluster.remember();
    if (result.exitCode() != 0) {
      String logs = cluster.logs();
      cluster.close();
      throw new IllegalStateException("bin/local-cluster start failed: " + result + "\n" + logs);
    }
    return cluster;
  }

  /** {@code localhost:PORT} of its REST endpoint, as {@code --jobmanager} takes it. */
  public String restAddress() {
    return "localhost:" + restPort;
  }

  public Path dir() {
    return dir;
  }

  /** {@code bin/local-cluster status}, parsed. */
  public List<Member> status() throws IOException {
    Result result = run("status");
    List<Member> members = new ArrayList<>();
    for (String line : result.stdout().lines().toList()) {
      String[] fields = line.split(" ", 3);
      if (fields.length != 3) {
        throw new IllegalStateException("not a status line: '" + line + "' in " + result);
      }
      members.add(new Member(fields[0], Long.parseLong(fields[1]), Path.of(fields[2])));
    }
    return members;
  }

  /** {@code bin/local-cluster add-taskmanager}. */
  public Result addTaskManager() throws IOException {
    Result result = run("add-taskmanager");
    remember();
    return result;
  }

  /** GET of a REST path of the JobManager; the body. */
  public String rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  /** Runs {@code bin/local-cluster COMMAND ARGS --dir DIR} to its end. */
  public Result run(String command, String... args) throws IOException {
    List<String> line = new ArrayList<>();
    line.add(script().toString());
    line.add(command);
    if (!command.equals("flink")) {
      line.addAll(List.of(args));
      line.add("--dir");
      line.add(dir.toString());
    } else {
      line.add("--dir");
      line.add(dir.toString());
      line.addAll(List.of(args));
    }
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "command", ".out");
    Path err = Files.createTempFile(dir, "command", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(line)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("DATA_EVENTS_CLUSTER_DIR");
    Process process = builder.start();
    try {
      if (!process.waitFor(COMMAND_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("bin/local-cluster " + command + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(e);
    }
    Result result =
        new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** Warnings, errors and the last lines of every process's log, for a failing test's message. */
  public String logs() {
    StringBuilder text = new StringBuilder();
    Path folder = dir.resolve("log");
    if (!Files.isDirectory(folder)) {
      return "(no logs in " + folder + ")";
    }
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        text.append("==== ").append(file).append('\n');
        lines.stream()
            .filter(l -> l.contains(" ERROR ") || l.contains("Exception"))
            .limit(20)
            .forEach(l -> text.append(l).append('\n'));
        text.append("---- last lines:\n");
        lines
            .subList(Math.max(0, lines.size() - 15), lines.size())
            .forEach(l -> text.append(l).append('\n'));
      }
    } catch (IOException e) {
      text.append("(unreadable: ").append(e).append(")");
    }
    return text.toString();
  }

  /**
   * Stops the cluster with {@code bin/local-cluster stop}, then kills (SIGKILL) any process it
   * started that still runs: a test never leaves a JVM behind.
   */
  @Override
  public void close() {
    try {
      remember();
      run("stop");
    } catch (IOException | RuntimeException e) {
      // Killed below.
    }
    for (long pid : started) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> p).join();
              });
    }
  }

  /** Notes the pids of the processes the cluster's pid files name, for {@link #close()}. */
  private void remember() {
    Path pids = dir.resolve("pids");
    if (!Files.isDirectory(pids)) {
      return;
    }
    try (Stream<Path> files = Files.list(pids)) {
      for (Path file : files.toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (text.matches("\\d+") && !started.contains(Long.parseLong(text))) {
          started.add(Long.parseLong(text));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path script() {
    return LauncherProcess.script().resolveSibling("local-cluster");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
