package dev.dataevents.io;

import dev.dataevents.model.SourceNaming;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileStatus;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits large uncompressed files into at most as many splits as the source has subtasks, so that
 * one big export is parsed on every core. Not Flink's block-splitting enumerator: a split's reader
 * must count the lines before it to number its own, and with many small splits that counting would
 * grow with the square of the file size. Compressed files are one split each; a watched folder
 * reads every file whole ({@link WatchedFolderEnumerator}).
 *
 * <p>A folder that cannot be listed, an entry that cannot be looked at (a link to nowhere) and a
 * local file that is not a regular file (a FIFO would block its reader forever) are skipped with a
 * warning, once per path; the rest is found as usual. Flink's own enumerator fails the whole
 * listing on one of them, and a watched folder would then find nothing new ever again.
 *
 * <p>Links are followed, as Flink's enumerator follows them; each real file is found once per
 * listing, under its first name in name order, and a link back to a folder being walked is not
 * followed.
 */
public class LineSplittingEnumerator extends NonSplittingRecursiveEnumerator {
  private static final Logger LOG = LoggerFactory.getLogger(LineSplittingEnumerator.class);

  /** Files smaller than twice this are not split: counting lines would cost more than it saves. */
  static final long MIN_SPLIT_BYTES = 8L * 1024 * 1024;

  private int desiredSplits = 1;
  private final Set<Path> warned = new HashSet<>();

  /** In one listing: the real paths of the folders being walked, and of the files found. */
  private final Set<java.nio.file.Path> walking = new HashSet<>();

  private final Set<java.nio.file.Path> found = new HashSet<>();

  /** How users named the files given, for an error that names one; null names them by path. */
  private final SourceNaming naming;

  public LineSplittingEnumerator() {
    this((SourceNaming) null);
  }

  /** Names a file that cannot be found as {@code naming} does (a bounded run's catalog). */
  public LineSplittingEnumerator(SourceNaming naming) {
    super();
    this.naming = naming;
  }

  /**
   * Enumerates only the files {@code filter} accepts, in folders not hidden (names starting with
   * {@code .} or {@code _}, as Flink's default filter skips); a file that cannot be found is named
   * by its path.
   */
  protected LineSplittingEnumerator(java.util.function.Predicate<Path> filter) {
    super(
        path ->
            !path.getName().startsWith(".")
                && !path.getName().startsWith("_")
                && (isFolder(path) || filter.test(path)));
    this.naming = null;
  }

  /** Whether a file or folder, by its real path, is one never to read (none, by default). */
  protected boolean isExcluded(java.nio.file.Path real) {
    return false;
  }

  /** The most splits a large plain file is cut into: as many as the source asks for. */
  protected int maxSplitsPerFile() {
    return desiredSplits;
  }

  private static boolean isFolder(Path path) {
    try {
      return path.getFileSystem().getFileStatus(path).isDir();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits)
      throws IOException {
    desiredSplits = Math.max(1, minDesiredSplits);
    walking.clear();
    found.clear();
    // Flink's own loop, but for the error of a file gone since the run was planned.
    ArrayList<FileSourceSplit> splits = new ArrayList<>();
    for (Path path : paths) {
      FileSystem fs = path.getFileSystem();
      addSplitsForPath(statusOf(path, fs), fs, splits);
    }
    return splits;
  }

  /**
   * The status of a path given; one that is gone is named as the user named it, where Flink's error
   * names its URI ({@code File file:/... does not exist ...}).
   */
  private FileStatus statusOf(Path path, FileSystem fs) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      String key = JsonLinesFormat.key(path);
      String shown;
      try {
        shown = naming == null ? key : naming.sourceOf(key);
      } catch (RuntimeException unknown) {
        shown = key; // not a file the catalog knows: its plain path
      }
      FileNotFoundException named =
          new FileNotFoundException("cannot read " + shown + ": " + whyNotFound(path));
      named.addSuppressed(e);
      throw named;
    }
  }

  @Override
  protected void addSplitsForPath(
      FileStatus status, FileSystem fs, ArrayList<FileSourceSplit> target) throws IOException {
    if (!fileFilter.test(status.getPath())) {
      return;
    }
    LocalFileStatus local = status instanceof LocalFileStatus l ? l : null;
    java.nio.file.Path real =
        local == null ? null : InputFiles.realPathOf(local.getFile().toPath());
    if (real != null && isExcluded(real)) {
      skip(status.getPath(), "it lies inside a folder this job writes");
      return;
    }
    if (!status.isDir()) {
      if (local != null && !local.getFile().isFile()) {
        skip(status.getPath(), "not a regular file");
        return;
      }
      if (real != null && !found.add(real)) {
        return; // reached before in this listing, under another name (a link)
      }
      convertToSourceSplits(status, fs, target);
      return;
    }
    // Links to folders are followed, as by Flink's own enumerator; one back to a folder being
    // walked would repeat its files under ever longer names until the path is too long.
    if (real != null && !walking.add(real)) {
      skip(status.getPath(), "a link back to a folder that is being read");
      return;
    }
    try {
      for (FileStatus child : list(status.getPath(), fs)) {
        addSplitsForPath(child, fs, target);
      }
    } finally {
      if (real != null) {
        walking.remove(real);
      }
    }
  }

  /**
   * What a folder holds, by name (so that a file reached under two names is always found under the
   * same one), without what cannot be looked at; nothing if it cannot be listed.
   */
  private List<FileStatus> list(Path folder, FileSystem fs) {
    List<FileStatus> children = new ArrayList<>(listAsIs(folder, fs));
    children.sort(Comparator.comparing(child -> child.getPath().getName()));
    return children;
  }

  private List<FileStatus> listAsIs(Path folder, FileSystem fs) {
    try {
      FileStatus[] children = fs.listStatus(folder);
      if (children != null) {
        return Arrays.asList(children);
      }
      skip(folder, "the folder cannot be listed");
      return List.of();
    } catch (IOException e) {
      if (!(fs instanceof LocalFileSystem)) {
        skip(folder, "the folder cannot be listed: " + e.getMessage());
        return List.of();
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // Flink's local listing names each child Path(folder, name), which takes the "a" of
      // "a:b.jsonl" for a URI scheme and fails on it: such a folder is listed below.
      if (!(fs instanceof LocalFileSystem)) {
        throw e;
      }
    }
    // A local listing fails as a whole when one entry cannot be looked at: look at each alone,
    // its path built from its URI (where a colon is part of the name).
    File local = new File(folder.toUri());
    String[] names = local.list();
    if (names == null) {
      skip(folder, "the folder cannot be listed");
      return List.of();
    }
    List<FileStatus> children = new ArrayList<>();
    for (String name : names) {
      Path child = new Path(new File(local, name).toPath().toAbsolutePath().toUri());
      try {
        children.add(fs.getFileStatus(child));
      } catch (FileNotFoundException e) {
        skip(child, "it cannot be read: " + whyNotFound(child));
      } catch (IOException e) {
        skip(child, "it cannot be read: " + e.getMessage());
      }
    }
    return children;
  }

  /**
   * Why a file listed or named is not found. Java reads file names as UTF-8 (the launcher sees to
   * it): a name that is not valid UTF-8 comes back with U+FFFD in it, a name no file has.
   */
  static String whyNotFound(Path path) {
    return path.getName().indexOf('\uFFFD') >= 0
        ? "its name is not valid UTF-8 (Java reads file names as UTF-8 and cannot open it); rename"
            + " it"
        : "no such file, or no permission to reach it";
  }

  private void skip(Path path, String why) {
    if (warned.add(path)) {
      LOG.warn("Skipping {}: {}", path, why);
    }
  }

  @Override
  protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
      throws IOException {
    long size = file.getLen();
    boolean compressed = Decompression.isCompressed(file.getPath().getPath());
    int pieces =
        compressed ? 1 : (int) Math.max(1, Math.min(maxSplitsPerFile(), size / MIN_SPLIT_BYTES));
    long pieceSize = (size + pieces - 1) / Math.max(1, pieces);
    for (long offset = 0; offset < size || offset == 0; offset += pieceSize) {
      long length = Math.min(pieceSize, size - offset);
      target.add(
          new FileSourceSplit(
              getNextId(), file.getPath(), offset, length, file.getModificationTime(), size));
      if (length <= 0) {
        break;
      }
    }
  }
}
