package dev.dataevents.io;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Splits large uncompressed files into at most as many splits as the source has subtasks, so that
 * one big export is parsed on every core. Not Flink's block-splitting enumerator: a split's reader
 * must count the lines before it to number its own, and with many small splits that counting would
 * grow with the square of the file size. Compressed files are one split each.
 */
public final class LineSplittingEnumerator extends NonSplittingRecursiveEnumerator {
  /** Files smaller than twice this are not split: counting lines would cost more than it saves. */
  static final long MIN_SPLIT_BYTES = 8L * 1024 * 1024;

  private int desiredSplits = 1;

  public LineSplittingEnumerator() {
    super();
  }

  /**
   * Enumerates only the files {@code filter} accepts, in folders not hidden (names starting with
   * {@code .} or {@code _}, as Flink's default filter skips).
   */
  public LineSplittingEnumerator(java.util.function.Predicate<Path> filter) {
    super(
        path ->
            !path.getName().startsWith(".")
                && !path.getName().startsWith("_")
                && (isFolder(path) || filter.test(path)));
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
    return super.enumerateSplits(paths, minDesiredSplits);
  }

  @Override
  protected void convertToSourceSplits(FileStatus file, FileSystem fs, List<FileSourceSplit> target)
      throws IOException {
    long size = file.getLen();
    boolean compressed =
        StandardDeCompressors.getDecompressorForFileName(
                file.getPath().getPath().toLowerCase(java.util.Locale.ROOT))
            != null;
    int pieces =
        compressed ? 1 : (int) Math.max(1, Math.min(desiredSplits, size / MIN_SPLIT_BYTES));
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
