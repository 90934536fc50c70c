package dev.dataevents.io;

import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enumerator of a stream's watched folder, listed again every second: the input files it
 * accepts, never inside the folders the stream writes, each file whole, and a warning for a file
 * that changed after it was read.
 */
public final class WatchedFolderEnumerator extends LineSplittingEnumerator {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedFolderEnumerator.class);

  /** Real paths of the folders the job writes: never read, whatever link leads there. */
  private final List<java.nio.file.Path> excluded;

  /**
   * The length and modification time of each file when first found, and the files found changed
   * since, in the order told. Flink's continuous discovery reads each path once, with what the file
   * held when found (the split's length): a file replaced, rewritten or appended to under that name
   * later adds nothing, which a warning says (once per file) rather than nothing.
   */
  private final Map<Path, List<Long>> firstFound = new HashMap<>();

  private final Set<Path> changed = new LinkedHashSet<>();

  /** Enumerates the files {@code filter} accepts, in folders not hidden. */
  public WatchedFolderEnumerator(Predicate<Path> filter) {
    this(filter, List.of());
  }

  /**
   * As {@link #WatchedFolderEnumerator(Predicate)}, never reading inside the folders at {@code
   * excludedRealPaths} (a stream's output and checkpoints): a link in a watched folder to its own
   * output would have it read its rejections and reject them again, forever.
   */
  public WatchedFolderEnumerator(Predicate<Path> filter, List<String> excludedRealPaths) {
    super(filter);
    excluded = excludedRealPaths.stream().map(java.nio.file.Path::of).toList();
  }

  @Override
  protected boolean isExcluded(java.nio.file.Path real) {
    return excluded.stream().anyMatch(real::startsWith);
  }

  /**
   * One split a file whatever the parallelism (Flink's continuous discovery asks for one, but that
   * is its choice to change): a stream that resumes after the file was removed or cut short reports
   * where reading stopped, and only a file's first split knows its line numbers without the bytes
   * before it.
   */
  @Override
  protected int maxSplitsPerFile() {
    return 1;
  }

  @Override
  protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
      throws IOException {
    noteChangesAfterFound(file);
    super.convertToSourceSplits(file, fs, target);
  }

  /** The files found changed after they were found (for tests). */
  Set<Path> changedAfterFound() {
    return Collections.unmodifiableSet(changed);
  }

  private void noteChangesAfterFound(FileStatus file) {
    List<Long> now = List.of(file.getLen(), file.getModificationTime());
    List<Long> first = firstFound.putIfAbsent(file.getPath(), now);
    if (first != null && !first.equals(now) && changed.add(file.getPath())) {
      firstFound.put(file.getPath(), now);
      LOG.warn(
          "{} changed after it was read (replaced, rewritten or appended to): a watched folder"
              + " reads each file name once, with what the file held when found, so the change is"
              + " not read; move new lines in whole, under a new name",
          file.getPath().toUri().getPath());
    }
  }
}
