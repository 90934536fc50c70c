package dev.dataevents.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/data-events} run as users run it, in its own process, its stdout and stderr in files.
 * Close it (in a finally or an {@code @AfterEach}): a process still running is killed.
 */
public final class LauncherProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private LauncherProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The launcher of this checkout (tests run in jobs/). */
  public static Path launcher() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("bin").resolve("data-events");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no bin/data-events above " + Path.of("").toAbsolutePath());
  }

  /**
   * Starts {@code bin/data-events args...}.
   *
   * @param logs where stdout and stderr go ({@code <name>.out}, {@code <name>.err})
   * @param environment added to this process's environment (e.g. {@code DATA_EVENTS_JAVA_OPTS})
   */
  public static LauncherProcess start(
      Path logs, String name, Map<String, String> environment, List<String> args)
      throws IOException {
    Files.createDirectories(logs);
    Path stdout = logs.resolve(name + ".out");
    Path stderr = logs.resolve(name + ".err");
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().putAll(environment);
    return new LauncherProcess(builder.start(), stdout, stderr);
  }

  public Path stdout() {
    return stdout;
  }

  public Path stderr() {
    return stderr;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the command to end; returns its exit code, or -1 if it still runs. */
  public int waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /**
   * Stops it as Ctrl-C would (SIGTERM), and kills it if it is still running after {@code grace}.
   */
  public void stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  private void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** What it printed, for assertion messages. */
  public String output() {
    return read(stdout) + read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
