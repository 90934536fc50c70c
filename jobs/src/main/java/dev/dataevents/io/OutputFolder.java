package dev.dataevents.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output folder of a bounded run. Everything is written to a hidden staging folder beside it,
 * and moved into place by a rename only when the job succeeded, so readers never see a half-written
 * output and a failed run leaves the previous one untouched.
 *
 * <p>The tool deletes nothing it did not write: an existing folder is replaced only when it is
 * recognisably an earlier output of this project ({@link Layout}: its report and its known
 * subfolders of part files, nothing else), and a staging folder left beside it by a killed run is
 * removed only when its name and its contents are recognisably ours and its marker names a run that
 * is gone. A set-aside earlier output left by a killed run is kept: it may be the only copy.
 */
public final class OutputFolder {
  private static final Logger LOG = LoggerFactory.getLogger(OutputFolder.class);

  /**
   * A file in a staging folder while its run is alive, naming the process that writes it: another
   * run to the same output leaves that staging folder alone. Removed just before the staging folder
   * becomes the output.
   */
  static final String RUN_MARKER = RunMarker.NAME;

  /** The suffix of a staging folder's name while it is being created. */
  static final String PREPARING = ".preparing";

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * What an output of this project holds.
   *
   * @param folders the subfolders a run may write (of part files only)
   * @param report the report's file name
   * @param reportCounts the integer counts every report has, by which it is recognised
   */
  public record Layout(Set<String> folders, String report, Set<String> reportCounts) {
    public Layout {
      folders = Set.copyOf(folders);
      reportCounts = Set.copyOf(reportCounts);
    }
  }

  private final Path target;
  private final Path staging;
  private final Path setAside;
  private final boolean overwrite;
  private final Layout layout;

  private OutputFolder(Path target, boolean overwrite, Layout layout) {
    this.target = target;
    this.overwrite = overwrite;
    this.layout = layout;
    String id = UUID.randomUUID().toString().substring(0, 8);
    this.staging = target.resolveSibling("." + target.getFileName() + ".staging-" + id);
    this.setAside = target.resolveSibling("." + target.getFileName() + ".old-" + id);
  }

  /**
   * Checks the target ({@link #checkTarget}), removes what killed runs left beside it, and creates
   * the staging folder with the given subfolders.
   *
   * @throws RefusedPathException when the target is refused
   * @throws IOException when the staging folder cannot be created (a full disk)
   */
  public static OutputFolder prepare(
      Path output, boolean overwrite, Layout layout, String... subfolders) throws IOException {
    return prepare(output, overwrite, layout, Files::createDirectory, subfolders);
  }

  /** Creates one folder (whose parent exists); a test's stands for a full disk. */
  @FunctionalInterface
  interface FolderCreator {
    void create(Path folder) throws IOException;
  }

  static OutputFolder prepare(
      Path output, boolean overwrite, Layout layout, FolderCreator mkdir, String... subfolders)
      throws IOException {
    Path target = checkTarget(output, overwrite, layout);
    EarlierRuns.refuseIfAnotherRunWrites(target);
    OutputFolder folder = new OutputFolder(target, overwrite, layout);
    EarlierRuns.removeLeftovers(target, layout);
    // Built under another name and renamed: a folder named as a staging folder always holds its
    // complete run marker, so another run never mistakes it for a dead run's leftover.
    Path preparing = folder.staging.resolveSibling(folder.staging.getFileName() + PREPARING);
    try {
      Files.createDirectories(target.getParent());
      mkdir.create(preparing);
      FolderPermissions.keep(target, preparing);
      RunMarker.write(preparing);
      for (String sub : subfolders) {
        mkdir.create(preparing.resolve(sub));
      }
      Files.move(preparing, folder.staging, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        deleteRecursively(preparing);
      } catch (IOException | UncheckedIOException ignored) {
        // removed by a later run, once this process is gone
      }
      folder.abort();
      // The request was checked above: what fails now (a full disk, no permission) is the run's,
      // as a failure while writing is, not the user's (exit 1, not 2).
      // The reason alone ("No space left on device") where there is one: the path is named.
      String why = e instanceof FileSystemException fs ? fs.getReason() : null;
      if (why == null) {
        why = e.getClass().getSimpleName() + ": " + e.getMessage(); // AccessDeniedException: ...
      }
      IOException failed = new IOException("cannot create " + folder.staging + ": " + why);
      failed.addSuppressed(e);
      throw failed;
    }
    return folder;
  }

  /**
   * Refuses an output that is a file, the file system root, an existing non-empty folder without
   * {@code overwrite} ({@link OutputNotEmptyException}), or any folder that is not an earlier
   * output of this project; returns its real path (links resolved).
   */
  public static Path checkTarget(Path output, boolean overwrite, Layout layout) {
    Path target = usableFolder(output);
    // Here too, not only when the run prepares its output: refused before it says anything else.
    EarlierRuns.refuseIfAnotherRunWrites(target);
    if (isEmptyOrAbsent(target)) {
      return target;
    }
    // Checked first, with or without overwrite: its checkpoints (wherever they are) name its part
    // files, and a stream still running goes on writing into the folder.
    Optional<String> stream = OutputShape.streamEvidence(target, layout);
    if (stream.isPresent()) {
      throw new RefusedPathException(
          output + " is a stream's output (" + stream.get() + "); a bounded run never replaces it");
    }
    Optional<String> foreign = OutputShape.EARLIER_OUTPUT.foreignEntry(target, layout);
    if (foreign.isPresent()) {
      throw new RefusedPathException(
          output
              + " is not an earlier output of data-events ("
              + foreign.get()
              + "); it is never replaced or deleted");
    }
    if (!overwrite) {
      throw new OutputNotEmptyException(output + " exists and is not empty");
    }
    return target;
  }

  /**
   * Refuses a stream's output folder unless it is absent, empty, or an earlier output of this
   * project (a stream never replaces or deletes anything in it, but does not mix its files into a
   * folder of someone else's).
   */
  public static Path checkReusable(Path output, Layout layout) {
    Path target = usableFolder(output);
    if (isEmptyOrAbsent(target)) {
      return target;
    }
    Optional<String> foreign = OutputShape.STREAM_OUTPUT.foreignEntry(target, layout);
    if (foreign.isPresent()) {
      throw new RefusedPathException(
          output
              + " is not an earlier output of data-events ("
              + foreign.get()
              + "); give an empty or new folder");
    }
    // A bounded run's output holds nothing of a stream: writing a stream's files or report into it
    // would replace that run's report.json (what only --overwrite of another bounded run may do)
    // and
    // leave a folder whose counts match neither.
    if (OutputShape.streamEvidence(target, layout).isEmpty()
        && OutputShape.EARLIER_OUTPUT.foreignEntry(target, layout).isEmpty()) {
      throw new RefusedPathException(
          output
              + " is the output of a backfill or recompute, not of a stream; give an empty or new"
              + " folder");
    }
    return target;
  }

  /**
   * Whether {@code folder} is the output of a bounded run (its report.json and known subfolders,
   * nothing of a stream): no stream's checkpoint folder, whose marker would make it a stream's.
   */
  public static boolean isBoundedOutput(Path folder, Layout layout) {
    return Files.isDirectory(folder)
        && !isEmptyOrAbsent(folder)
        && Files.isRegularFile(folder.resolve(layout.report()), NOFOLLOW)
        && OutputShape.streamEvidence(folder, layout).isEmpty()
        && OutputShape.EARLIER_OUTPUT.foreignEntry(folder, layout).isEmpty();
  }

  private static Path usableFolder(Path output) {
    Path target;
    try {
      target = PathOverlap.realPath(output);
    } catch (IOException e) {
      throw new RefusedPathException("cannot resolve " + output + ": " + e.getMessage());
    }
    if (target.getParent() == null) {
      throw new RefusedPathException("cannot write to the file system root");
    }
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new RefusedPathException(output + " exists and is not a folder");
    }
    // Under a file no folder can be created, whatever the disk holds: a request to refuse, not a
    // run that fails.
    Path existing = target.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new RefusedPathException(
          output + " cannot be created: " + existing + " is not a folder");
    }
    return target;
  }

  private static boolean isEmptyOrAbsent(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new RefusedPathException("cannot read " + dir + ": " + e.getMessage());
    }
  }

  /** Where the job writes. */
  public Path staging() {
    return staging;
  }

  /**
   * Moves the staged output into place. An earlier output (with {@code --overwrite}) is checked
   * again, renamed aside, the staging folder renamed to the target, and only then the earlier one
   * deleted; if the second rename fails, the earlier output is put back. An empty folder in the way
   * is removed only while it is still empty.
   */
  public void commit() throws IOException {
    try {
      commitChecked();
    } catch (RefusedPathException e) {
      // What refuses a command before its run (an output that cannot be read) fails the run here,
      // with the same words (the command line shows the innermost cause).
      throw new IOException(e.getMessage());
    }
  }

  private void commitChecked() throws IOException {
    boolean replacing = false;
    if (Files.exists(target, NOFOLLOW)) {
      if (!Files.isDirectory(target, NOFOLLOW)) {
        throw new IOException(target + " was replaced by something else while the job ran");
      }
      if (isEmptyOrAbsent(target)) {
        Files.delete(target); // fails, leaving it, should something appear in it meanwhile
      } else if (!overwrite) {
        throw new IOException(target + " was created by someone else while the job ran");
      } else {
        Optional<String> foreign = OutputShape.EARLIER_OUTPUT.foreignEntry(target, layout);
        if (foreign.isPresent()) {
          throw new IOException(
              target + " changed while the job ran (" + foreign.get() + "); left as it was");
        }
        replacing = true;
      }
    }
    // Without its marker the staging folder is kept by another run starting now, as a set-aside
    // folder always is: neither is swept from under the renames below.
    Files.delete(staging.resolve(RUN_MARKER));
    if (replacing) {
      Files.move(target, setAside, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (replacing) {
        try {
          Files.move(setAside, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException back) {
          e.addSuppressed(back);
        }
      }
      throw e;
    }
    if (replacing) {
      try {
        deleteRecursively(setAside);
      } catch (IOException | UncheckedIOException e) {
        // The new output is in place. What is left of the old one is kept by later runs (a
        // set-aside folder may be the only copy of an output): the warning names it for the user.
        LOG.warn("Could not remove the replaced output {}; delete it yourself", setAside, e);
      }
    }
  }

  /** Removes the staging folder after a failure; the target is left as it was. */
  public void abort() {
    try {
      deleteRecursively(staging);
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover hidden staging folder is skipped by readers, and removed by the
      // next run to the same output.
    }
  }

  /** Deletes a folder and everything in it (links themselves, never where they point). */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, NOFOLLOW)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
