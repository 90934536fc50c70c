package dev.dataevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command and measures it from outside, as the operating system accounts for it, so the
 * job (a launcher that execs a JVM running a mini-cluster) and the baseline (a plain JVM) are
 * measured alike. Linux only: it reads {@code /proc}.
 *
 * <ul>
 *   <li>wall: from start until the process has exited;
 *   <li>CPU: user + system time of the process and every descendant it waited for, exactly as the
 *       kernel adds them to this JVM's children times ({@code cutime + cstime} in {@code
 *       /proc/self/stat}) once the process is reaped; no other child may run meanwhile;
 *   <li>peak RSS: the largest high-water mark ({@code VmHWM} in {@code /proc/PID/status}) of the
 *       process or any descendant, polled while they run (what {@code /usr/bin/time} reports as
 *       maximum resident set size).
 * </ul>
 */
public final class ProcessMeter {
  private static final long POLL_MILLIS = 20;

  /** Walking {@code /proc} for descendants costs more than a poll: every tenth poll only. */
  private static final int POLLS_PER_DESCENDANT_SCAN = 10;

  /** {@code USER_HZ}, the unit of {@code /proc} CPU times: 100 on every Linux platform. */
  private static final double CLOCK_TICKS_PER_SECOND = 100;

  private ProcessMeter() {}

  /**
   * @param wallSeconds elapsed time
   * @param cpuSeconds user + system time of the process tree
   * @param peakRssBytes the largest resident set of one process of the tree
   * @param exitCode the process's exit code
   */
  public record Measurement(
      double wallSeconds, double cpuSeconds, long peakRssBytes, int exitCode) {}

  /** Starts {@code command}, waits for it to exit and returns what it cost. */
  public static Measurement measure(ProcessBuilder command)
      throws IOException, InterruptedException {
    long childrenCpuBefore = childrenCpuTicks();
    long start = System.nanoTime();
    Process process = command.start();
    long peak = 0;
    List<ProcessHandle> tree = List.of(process.toHandle());
    try {
      for (int poll = 0; ; poll++) {
        if (poll % POLLS_PER_DESCENDANT_SCAN == 1) {
          tree = new ArrayList<>(List.of(process.toHandle()));
          process.descendants().forEach(tree::add);
        }
        for (ProcessHandle p : tree) {
          peak = Math.max(peak, highWaterMark(p.pid()));
        }
        if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } finally {
      if (process.isAlive()) {
        // Interrupted: leave no measured process behind.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = (childrenCpuTicks() - childrenCpuBefore) / CLOCK_TICKS_PER_SECOND;
    return new Measurement(wall, cpu, peak, process.exitValue());
  }

  /** {@code VmHWM} of a process in bytes, 0 when it is gone (or has no memory, as a zombie). */
  private static long highWaterMark(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          // "VmHWM:    123456 kB"
          String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
          return Long.parseLong(kib) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Exited between listing and reading.
    }
    return 0;
  }

  /**
   * CPU time of this JVM's reaped children and their reaped descendants, in clock ticks: fields
   * {@code cutime} and {@code cstime} of {@code /proc/self/stat}.
   */
  private static long childrenCpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    // After the command name in parentheses (which may hold spaces), fields count from 3 (state).
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
  }
}
