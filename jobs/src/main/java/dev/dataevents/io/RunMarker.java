package dev.dataevents.io;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A file naming the process that made a folder, so that a later run can tell a folder left by a
 * killed run (its process gone) from one still in use, and remove only the former: the tool deletes
 * nothing it did not write, and nothing a living run uses.
 */
public final class RunMarker {
  /** The marker's file name, at the top of the folder it marks. */
  public static final String NAME = "_data-events-run";

  private RunMarker() {}

  /** Writes the marker of this process into {@code folder}. */
  public static void write(Path folder) throws IOException {
    write(folder, NAME);
  }

  /** Writes the marker of this process into {@code folder}, under the file name {@code name}. */
  public static void write(Path folder, String name) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    Files.writeString(
        folder.resolve(name),
        String.format(Locale.ROOT, "pid=%d%nstarted=%d%n", self.pid(), started),
        StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code file} is a regular file holding a marker, or what a kill left of one: a file of
   * someone else's under a marker's name is never replaced.
   */
  static boolean isMarkerOrPart(Path file) {
    try {
      if (!Files.isRegularFile(file, NOFOLLOW_LINKS) || Files.size(file) > 64) {
        return false;
      }
      // Its text without the numbers is the start of "pid=\nstarted=\n" (a kill may cut it
      // anywhere).
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      return "pid=\nstarted=\n".startsWith(text.replaceAll("[-0-9]", "").replace("\r\n", "\n"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a marker names another process than this one that is still running. */
  public static boolean namesAnotherLiveProcess(Path marker) {
    return read(marker)
        .filter(m -> m.pid() != ProcessHandle.current().pid())
        .map(Marker::alive)
        .orElse(false);
  }

  static long pid(Path marker) {
    return read(marker).map(Marker::pid).orElse(-1L);
  }

  /** Whether the process a marker names is still running (the same process, not a reuse). */
  public static boolean isAlive(Path marker) {
    return alive(marker).orElse(false);
  }

  /**
   * Whether the process a marker names is still running; empty when there is no complete marker
   * (none, or one cut short by a kill while it was written).
   */
  public static Optional<Boolean> alive(Path marker) {
    return read(marker).map(Marker::alive);
  }

  /**
   * What a complete marker says: the process and when it started (-1 when its start time was
   * unknown).
   */
  private record Marker(long pid, long started) {
    /** Whether the process is still running (the same process, not a reuse of its number). */
    boolean alive() {
      Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
      if (process.isEmpty()) {
        return false;
      }
      Optional<Instant> start = process.get().info().startInstant();
      // Unknown start times: assume it is the same process, and keep its folder.
      return start.isEmpty()
          || started < 0
          || Math.abs(start.get().toEpochMilli() - started) < 1000;
    }
  }

  /** The marker, read once; empty when there is none or it was cut short by a kill. */
  private static Optional<Marker> read(Path marker) {
    if (!Files.isRegularFile(marker, NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    long pid = -1;
    long started = Long.MIN_VALUE; // -1 when the run's start time was unknown
    try {
      for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
        if (line.startsWith("pid=")) {
          pid = Long.parseLong(line.substring(4).strip());
        } else if (line.startsWith("started=")) {
          started = Long.parseLong(line.substring(8).strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    if (pid < 0 || started == Long.MIN_VALUE) {
      return Optional.empty(); // cut short by a kill while being written
    }
    return Optional.of(new Marker(pid, started));
  }
}
