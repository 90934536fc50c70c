package dev.dataevents.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/data-events} run as users run it, in its own process, its stdout and stderr in files.
 * By default: this checkout's script, on the JDK that runs the tests ({@code JAVA_HOME}), with the
 * launcher's own JVM options ({@code DATA_EVENTS_JAVA_OPTS} is not passed on unless a test sets it)
 * and the tests' temporary folder as {@code TMPDIR}. Close it (in a finally or an
 * {@code @AfterEach}): a process still running is killed, with its JVM.
 */
public final class LauncherProcess implements AutoCloseable {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  /** What a finished run printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  /** Which script to start, where, with what environment: tests of the launcher change them. */
  public static final class Launch {
    private final List<String> args;
    private final Map<String, String> environment = new HashMap<>(System.getenv());
    private Path script = LauncherProcess.script();
    private Path directory;

    private Launch(List<String> args) {
      this.args = List.copyOf(args);
      environment.remove("DATA_EVENTS_JAVA_OPTS");
      environment.put("JAVA_HOME", System.getProperty("java.home"));
      // The launcher's temporary files (Flink's log folder among them) go where the tests' do.
      environment.put("TMPDIR", System.getProperty("java.io.tmpdir"));
    }

    /** Sets a variable of the launcher's environment; {@code null} removes it. */
    public Launch env(String name, String value) {
      if (value == null) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
      return this;
    }

    /** Adds the variables of {@code variables} to the launcher's environment. */
    public Launch env(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    /** Starts this script (a copy of the launcher, or a link to it) instead of the checkout's. */
    public Launch script(Path script) {
      this.script = script;
      return this;
    }

    /** The working folder of the launcher (by default the test's). */
    public Launch in(Path directory) {
      this.directory = directory;
      return this;
    }

    /** Starts it; its stdout and stderr go to {@code <name>.out} and {@code <name>.err}. */
    public LauncherProcess start(Path logs, String name) throws IOException {
      Files.createDirectories(logs);
      Path out = logs.resolve(name + ".out");
      Path err = logs.resolve(name + ".err");
      List<String> command = new ArrayList<>();
      command.add(script.toString());
      command.addAll(args);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      builder.environment().clear();
      builder.environment().putAll(environment);
      return new LauncherProcess(builder.start(), out, err);
    }

    /** Runs it to its end; killed and failed if it runs over {@code timeout}. */
    public Result run(Path logs, Duration timeout) throws IOException, InterruptedException {
      try (LauncherProcess process = start(logs, "launcher-" + RUNS.incrementAndGet())) {
        return process.await(timeout);
      }
    }
  }

  private LauncherProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The launcher of this checkout (tests run in jobs/). */
  public static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("bin").resolve("data-events");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no bin/data-events above " + Path.of("").toAbsolutePath());
  }

  /** {@code bin/data-events args...} with the defaults, to change before it starts. */
  public static Launch launch(String... args) {
    return new Launch(List.of(args));
  }

  /** Starts {@code bin/data-events args...}; its stdout and stderr go to files in {@code logs}. */
  public static LauncherProcess start(Path logs, String name, String... args) throws IOException {
    return launch(args).start(logs, name);
  }

  /** Runs {@code bin/data-events args...} to its end (at most 5 minutes). */
  public static Result run(Path logs, String... args) throws IOException, InterruptedException {
    return launch(args).run(logs, Duration.ofMinutes(5));
  }

  public Path stdoutFile() {
    return stdout;
  }

  public Path stderrFile() {
    return stderr;
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  /** Both, for assertion messages. */
  public String output() {
    return stdout() + stderr();
  }

  /** The launcher's process id: the JVM's, since the script execs it. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for it to end by itself; killed and failed if it runs over {@code timeout}. */
  public Result await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError(
          "bin/data-events did not finish within " + timeout + "; it printed:\n" + output());
    }
    return new Result(process.exitValue(), stdout(), stderr());
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

  /**
   * Stops it if it still runs: SIGTERM first, so that its shutdown hooks remove what the run keeps
   * in the temporary folder, then SIGKILL, with anything it started; waits until it is gone.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    kill();
  }

  /** SIGKILL to it and anything it started; waits until it is gone. */
  private void kill() throws InterruptedException {
    // exec in the script makes the JVM the process itself; descendants too (a build), to be sure.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
