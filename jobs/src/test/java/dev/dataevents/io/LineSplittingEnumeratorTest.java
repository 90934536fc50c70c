package dev.dataevents.io;

import static dev.dataevents.io.Enumerations.flink;
import static dev.dataevents.io.Enumerations.names;
import static dev.dataevents.io.Enumerations.paths;
import static dev.dataevents.io.Enumerations.watching;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery in a watched folder goes on past what it cannot read. */
class LineSplittingEnumeratorTest {
  @TempDir Path dir;

  @Test
  void anEntryThatCannotBeLookedAtIsSkippedAndTheRestIsFound() throws IOException {
    Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    Files.createSymbolicLink(dir.resolve("gone"), dir.resolve("nowhere"));
    Files.createSymbolicLink(dir.resolve("gone.jsonl"), dir.resolve("nowhere.jsonl"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub").resolve("b.jsonl"), "{}\n");
    assertThat(
            names(watching().enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(dir)}, 2)))
        .containsExactly("a.jsonl", "b.jsonl");
  }

  @Test
  void aFolderThatCannotBeListedIsSkippedAndTheRestIsFound() throws IOException {
    Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.writeString(locked.resolve("hidden.jsonl"), "{}\n");
    Files.createDirectories(dir.resolve("z"));
    Files.writeString(dir.resolve("z").resolve("c.jsonl"), "{}\n");
    // As root, permissions do not stop a listing: a file system that cannot list "locked" (as
    // Flink's local one answers for a folder without read permission: null).
    LocalFileSystem lockedOut =
        new LocalFileSystem() {
          @Override
          public FileStatus[] listStatus(org.apache.flink.core.fs.Path f) throws IOException {
            return f.getName().equals("locked") ? null : super.listStatus(f);
          }
        };
    WatchedFolderEnumerator enumerator = watching();
    ArrayList<FileSourceSplit> splits = new ArrayList<>();
    enumerator.addSplitsForPath(lockedOut.getFileStatus(flink(dir)), lockedOut, splits);
    assertThat(names(splits)).containsExactly("a.jsonl", "c.jsonl");
  }

  @Test
  void aFileThatIsNotARegularFileIsSkipped() throws Exception {
    Files.writeString(dir.resolve("a.jsonl"), "{}\n");
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe.jsonl").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    // A directory named like a file is looked into, as any folder.
    Files.createDirectories(dir.resolve("d.jsonl"));
    Files.writeString(dir.resolve("d.jsonl").resolve("e.jsonl"), "{}\n");
    assertThat(
            names(watching().enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(dir)}, 2)))
        .containsExactly("a.jsonl", "e.jsonl");
  }

  @Test
  void aColonInANameIsPartOfTheName() throws IOException {
    // Flink's Path(parent, "a:b.jsonl") would take "a" for a URI scheme: its local listing fails
    // on such a name, and with it the whole folder.
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a:b.jsonl"), "{}\n");
    Files.writeString(in.resolve("c.jsonl"), "{}\n");
    Files.createDirectories(in.resolve("x:y"));
    Files.writeString(in.resolve("x:y").resolve("d.jsonl"), "{}\n");
    assertThat(
            paths(
                in, watching().enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(in)}, 2)))
        .containsExactly("a:b.jsonl", "c.jsonl", "x:y/d.jsonl");
  }

  @Test
  void aLinkLoopEndsAndEachFileIsFoundOnceUnderItsFirstName() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.jsonl"), "{}\n");
    Files.createDirectories(in.resolve("sub"));
    Files.writeString(in.resolve("sub").resolve("b.jsonl"), "{}\n");
    Files.createSymbolicLink(in.resolve("sub").resolve("up"), in); // a loop
    Files.createSymbolicLink(in.resolve("again"), in.resolve("sub")); // a second name
    Files.writeString(dir.resolve("c.jsonl"), "{}\n");
    Files.createSymbolicLink(in.resolve("linked.jsonl"), dir.resolve("c.jsonl"));
    for (int scan = 0; scan < 2; scan++) {
      assertThat(
              paths(
                  in,
                  watching().enumerateSplits(new org.apache.flink.core.fs.Path[] {flink(in)}, 2)))
          .containsExactly("a.jsonl", "again/b.jsonl", "linked.jsonl");
    }
  }

  /**
   * A name that is not valid UTF-8 is listed with U+FFFD in it, a name no file has: the error says
   * why the file is not there, and what to do.
   */
  @Test
  void aFileWhoseNameIsNotUtf8IsNamedAsSuch() {
    org.apache.flink.core.fs.Path[] unreadable = {flink(dir.resolve("\uFFFD\uFFFD.jsonl"))};
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LineSplittingEnumerator().enumerateSplits(unreadable, 1))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining("its name is not valid UTF-8")
        .hasMessageContaining("rename it");
  }
}
