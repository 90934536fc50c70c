package dev.dataevents.io;

import static dev.dataevents.io.Enumerations.flink;
import static dev.dataevents.io.Enumerations.paths;
import static dev.dataevents.io.Enumerations.watching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched folder: never inside what the stream writes, each file whole, changes told. */
class WatchedFolderEnumeratorTest {
  @TempDir Path dir;

  @Test
  void aLinkIntoAFolderTheStreamWritesIsNotFollowed() throws IOException {
    // A stream must not read its own output: its rejections would be read and rejected again.
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.jsonl"), "{}\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(out.resolve("rejected"));
    Files.writeString(out.resolve("rejected").resolve("part-0.jsonl"), "{}\n");
    Files.writeString(dir.resolve("x.jsonl"), "{}\n");
    Files.createSymbolicLink(in.resolve("loop"), out);
    Files.createSymbolicLink(in.resolve("inner"), out.resolve("rejected"));
    Files.createSymbolicLink(in.resolve("file.jsonl"), out.resolve("rejected/part-0.jsonl"));
    Files.createSymbolicLink(in.resolve("up"), dir); // holds out, and x.jsonl
    WatchedFolderEnumerator enumerator =
        new WatchedFolderEnumerator(
            p -> InputFiles.isInputName(Path.of(p.getName())),
            java.util.List.of(out.toRealPath().toString()));
    assertThat(
            paths(
                in, enumerator.enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(in)}, 1)))
        .containsExactly("a.jsonl", "up/x.jsonl");
  }

  /**
   * A watched folder reads each path once, as found: a file replaced or appended to later under a
   * name already read adds nothing, which the enumerator says (once per change) instead of saying
   * nothing.
   */
  @Test
  void aFileChangedAfterItWasFoundIsToldOnceAndAnUnchangedOneNever() throws Exception {
    Path a = Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    Path b = Files.writeString(dir.resolve("b.jsonl"), "{}\n");
    WatchedFolderEnumerator enumerator = watching();
    org.apache.flink.core.fs.Path[] watched = {flink(dir)};
    enumerator.enumerateSplits(watched, 1);
    enumerator.enumerateSplits(watched, 1);
    assertThat(enumerator.changedAfterFound()).isEmpty();

    Path staged = Files.writeString(dir.getParent().resolve("a-again.jsonl"), "{}\n{}\n");
    Files.move(staged, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(b, "{}\n", java.nio.file.StandardOpenOption.APPEND);
    enumerator.enumerateSplits(watched, 1);
    enumerator.enumerateSplits(watched, 1);
    assertThat(enumerator.changedAfterFound()).containsExactly(flink(a), flink(b));
  }

  /**
   * A bounded run splits a large plain file so that every core parses part of it; a watched folder
   * reads each file in one split, whatever parallelism it is asked for. A file removed while a
   * stream is down must give its one unreadable_file rejection at the line where reading stopped,
   * and only a file's first split knows its line numbers without reading what comes before it.
   */
  @Test
  void aBoundedRunSplitsALargeFileAndAWatchedFolderNever() throws IOException {
    Path large = dir.resolve("large.jsonl");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(large.toFile(), "rw")) {
      file.setLength(3 * LineSplittingEnumerator.MIN_SPLIT_BYTES); // sparse: only its length counts
    }
    org.apache.flink.core.fs.Path[] paths = {flink(large)};

    assertThat(new LineSplittingEnumerator().enumerateSplits(paths, 3)).hasSize(3);
    Collection<FileSourceSplit> watched = watching().enumerateSplits(paths, 3);
    assertThat(watched)
        .singleElement()
        .satisfies(
            split -> {
              assertThat(split.offset()).isZero();
              assertThat(split.length()).isEqualTo(3 * LineSplittingEnumerator.MIN_SPLIT_BYTES);
            });
  }
}
