package dev.dataevents.testing;

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

/**
 * Runs {@code data-events} as bin/data-events does (the same JVM flags, the local mini-cluster,
 * {@code System.exit} with the command's exit code), in a child JVM on the test class path, so that
 * a test sees the real exit code and the real stderr. The child is killed, with anything it
 * started, if it outlives its deadline.
 */
public final class CommandProcess {
  /**
   * The JVM options that bin/data-events and the tests' own JVMs (jobs/pom.xml) get: a java
   * argument file of --add-opens.
   */
  private static final Path JAVA_OPENS =
      LauncherProcess.script().getParent().resolveSibling("jobs").resolve("java-opens.args");

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  /** How a run ended. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private CommandProcess() {}

  /**
   * Runs the command in {@code workDir} (relative paths in {@code args} are relative to it). The
   * child's stdout, stderr, logs and temporary files go to {@code scratch}, which must lie outside
   * any folder the test inspects.
   */
  public static Result run(Path workDir, Path scratch, String... args) {
    return run(workDir, scratch, Map.of(), args);
  }

  /** As {@link #run(Path, Path, String...)}, with these variables added to the environment. */
  public static Result run(Path workDir, Path scratch, Map<String, String> env, String... args) {
    Process process = null;
    try {
      Files.createDirectories(scratch);
      Path stdout = Files.createTempFile(scratch, "stdout", ".txt");
      Path stderr = Files.createTempFile(scratch, "stderr", ".txt");
      process = start(workDir, scratch, stdout, stderr, env, args);
      if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("data-events " + String.join(" ", args) + " ran over " + DEADLINE);
      }
      return new Result(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      if (process != null) {
        kill(process);
      }
    }
  }

  /**
   * Starts the command without waiting for it, its stdout and stderr to the given files; the caller
   * must {@link #kill} it in a finally block.
   */
  public static Process start(Path workDir, Path scratch, Path stdout, Path stderr, String... args)
      throws IOException {
    return start(workDir, scratch, stdout, stderr, Map.of(), args);
  }

  /**
   * As {@link #start(Path, Path, Path, Path, String...)}, with variables added to the environment.
   */
  public static Process start(
      Path workDir, Path scratch, Path stdout, Path stderr, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + JAVA_OPENS);
    command.add("-Xmx512m");
    command.add("-Ddata-events.local=true");
    command.add("-Djava.io.tmpdir=" + scratch.toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.dataevents.cli.Main");
    command.addAll(List.of(args));
    Files.createDirectories(scratch);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** SIGKILL to the process and anything it started; waits until it is gone. */
  public static void kill(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
