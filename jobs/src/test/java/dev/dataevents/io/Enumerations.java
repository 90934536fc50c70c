package dev.dataevents.io;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.connector.file.src.FileSourceSplit;

/** What the enumerators' tests share: paths as Flink names them, and the splits found, by name. */
final class Enumerations {
  private Enumerations() {}

  static org.apache.flink.core.fs.Path flink(Path path) {
    return new org.apache.flink.core.fs.Path(path.toUri());
  }

  /** A watched folder's enumerator taking the input file names, as a stream's does. */
  static WatchedFolderEnumerator watching() {
    return new WatchedFolderEnumerator(p -> InputFiles.isInputName(Path.of(p.getName())));
  }

  /** The file names of the splits, sorted. */
  static List<String> names(Collection<FileSourceSplit> splits) {
    return splits.stream().map(s -> s.path().getName()).sorted().toList();
  }

  /** The splits' paths relative to {@code root}, sorted. */
  static List<String> paths(Path root, Collection<FileSourceSplit> splits) {
    return splits.stream()
        .map(s -> root.relativize(Path.of(s.path().toUri())).toString())
        .sorted()
        .toList();
  }
}
