package dev.dataevents.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code bin/data-events} as users do, in its own process with the launcher's defaults (its
 * heap included: {@code DATA_EVENTS_JAVA_OPTS} is not passed on unless a test sets it), on the JDK
 * that runs the tests.
 */
public final class Launcher {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final AtomicInteger RUNS = new AtomicInteger();

  private Launcher() {}

  /** What a finished run printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** A running launcher; {@link #close()} kills it (and its JVM) if it still runs. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Running(Process process, Path stdout, Path stderr) {
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    public Process process() {
      return process;
    }

    public String stdout() {
      return read(stdout);
    }

    public String stderr() {
      return read(stderr);
    }

    /** Waits for the process to end by itself and returns what it printed. */
    public Result await(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new AssertionError(
            "bin/data-events did not finish within " + timeout + "; it printed:\n" + stderr());
      }
      return new Result(process.exitValue(), stdout(), stderr());
    }

    @Override
    public void close() throws InterruptedException {
      // exec in the script makes the JVM the process itself; descendants too, to be sure.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    private static String read(Path file) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The launcher script of this checkout (tests run in jobs/). */
  public static Path script() {
    Path fromModule = Path.of("..", "bin", "data-events");
    return (Files.exists(fromModule) ? fromModule : Path.of("bin", "data-events"))
        .toAbsolutePath()
        .normalize();
  }

  /** Runs the launcher to its end; its output files go to {@code dir}. */
  public static Result run(Path dir, String... args) throws IOException, InterruptedException {
    try (Running running = start(dir, Map.of(), args)) {
      return running.await(TIMEOUT);
    }
  }

  /**
   * Starts the launcher with {@code env} added to the environment; stdout and stderr go to files in
   * {@code dir}. Close the result in a finally block.
   */
  public static Running start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    int n = RUNS.incrementAndGet();
    Path stdout = dir.resolve("launcher-" + n + ".out");
    Path stderr = dir.resolve("launcher-" + n + ".err");
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> environment = builder.environment();
    environment.remove("DATA_EVENTS_JAVA_OPTS");
    environment.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin")
            + File.pathSeparator
            + environment.getOrDefault("PATH", "/usr/bin:/bin"));
    environment.putAll(env);
    return new Running(builder.start(), stdout, stderr);
  }
}
