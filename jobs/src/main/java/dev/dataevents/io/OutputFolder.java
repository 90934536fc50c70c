package dev.dataevents.io;

import dev.dataevents.job.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The output folder of a bounded run. Everything is written to a hidden staging folder beside it,
 * and moved into place by a rename only when the job succeeded, so readers never see a half-written
 * output and a failed run leaves the previous one untouched.
 */
public final class OutputFolder {
  private final Path target;
  private final Path staging;
  private final boolean overwrite;

  private OutputFolder(Path target, boolean overwrite) {
    this.target = target;
    this.overwrite = overwrite;
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.staging = target.resolveSibling("." + target.getFileName() + ".staging-" + id);
  }

  /**
   * Checks the target and creates the staging folder with the given subfolders. An existing
   * non-empty target is refused unless {@code overwrite}.
   */
  public static OutputFolder prepare(Path output, boolean overwrite, String... subfolders) {
    checkTarget(output, overwrite);
    OutputFolder folder = new OutputFolder(output.toAbsolutePath().normalize(), overwrite);
    try {
      Files.createDirectories(folder.target.getParent());
      Files.createDirectory(folder.staging);
      for (String sub : subfolders) {
        Files.createDirectory(folder.staging.resolve(sub));
      }
    } catch (IOException e) {
      throw new UsageException("--output: cannot create " + folder.staging + ": " + e.getMessage());
    }
    return folder;
  }

  /** Refuses an output that is a file, or an existing non-empty folder without overwrite. */
  public static void checkTarget(Path output, boolean overwrite) {
    Path target = output.toAbsolutePath().normalize();
    if (target.getParent() == null) {
      throw new UsageException("--output: cannot write to the file system root");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new UsageException("--output: " + output + " exists and is not a folder");
    }
    if (!overwrite && !isEmptyOrAbsent(target)) {
      throw new UsageException(
          "--output: " + output + " exists and is not empty (add --overwrite to replace it)");
    }
  }

  private static boolean isEmptyOrAbsent(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the job writes. */
  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  /**
   * Moves the staged output into place: the old output (with {@code --overwrite}) is renamed aside,
   * the staging folder renamed to the target, and only then the old one deleted.
   */
  public void commit() throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      if (!overwrite && !isEmptyOrAbsent(target)) {
        throw new IOException(target + " was created by someone else while the job ran");
      }
      old = target.resolveSibling("." + target.getFileName() + ".old-" + staging.getFileName());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteRecursively(old);
    }
  }

  /** Removes the staging folder after a failure; the target is left as it was. */
  public void abort() {
    try {
      deleteRecursively(staging);
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover hidden staging folder is skipped by readers and named in the log.
    }
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
