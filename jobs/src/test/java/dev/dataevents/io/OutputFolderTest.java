package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The tool replaces and removes only folders it recognisably wrote. */
class OutputFolderTest extends OutputFixture {
  @Test
  void anAbsentOrEmptyFolderNeedsNoOverwrite() throws IOException {
    assertThat(OutputFolder.checkTarget(dir.resolve("new"), false, LAYOUT))
        .isEqualTo(dir.resolve("new"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(OutputFolder.checkTarget(empty, false, LAYOUT)).isEqualTo(empty);
  }

  @Test
  void anEarlierOutputIsReplacedOnlyWithOverwrite() throws IOException {
    Path out = earlierOutput("out");
    assertThatThrownBy(() -> OutputFolder.checkTarget(out, false, LAYOUT))
        .isInstanceOf(OutputNotEmptyException.class)
        .hasMessage(out + " exists and is not empty");
    assertThat(OutputFolder.checkTarget(out, true, LAYOUT)).isEqualTo(out);
  }

  @Test
  void commitRefusesAnOutputAStreamStartedWritingIntoWhileTheJobRan() throws IOException {
    Path out = earlierOutput("out");
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    StreamMarker.mark(out);
    Map<String, String> before = FolderSnapshot.of(out);
    assertThatThrownBy(folder::commit)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(StreamMarker.NAME);
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
    folder.abort();
  }

  @Test
  void aFileIsRefused() throws IOException {
    Path file = write(dir.resolve("out"), "x");
    assertThatThrownBy(() -> OutputFolder.checkTarget(file, true, LAYOUT))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(file + " exists and is not a folder");
  }

  @Test
  void anOutputUnderAFileIsRefused() throws IOException {
    // A request that cannot be met whatever the disk holds: refused before anything runs.
    Path file = write(dir.resolve("notes.txt"), "x");
    for (Path out : new Path[] {file.resolve("out"), file.resolve("a/out")}) {
      assertThatThrownBy(() -> OutputFolder.checkTarget(out, true, LAYOUT))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage(out + " cannot be created: " + file + " is not a folder");
    }
  }

  @Test
  void aFileSystemErrorWhileStagingFailsTheRunAndLeavesNothingBehind() throws IOException {
    // A full disk cannot be made in a test (nor a read-only folder stop root): the failure is
    // injected where the staging folder and its subfolders are created.
    for (String failing : new String[] {"preparing", "events"}) {
      Path out = earlierOutput("out-" + failing);
      Map<String, String> before = FolderSnapshot.of(dir);
      OutputFolder.FolderCreator full =
          folder -> {
            if (folder.getFileName().toString().endsWith(failing)) {
              throw new FileSystemException(folder.toString(), null, "No space left on device");
            }
            Files.createDirectory(folder);
          };
      assertThatThrownBy(() -> OutputFolder.prepare(out, true, LAYOUT, full, "events"))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(FileSystemException.class)
          .hasMessageMatching(
              "cannot create "
                  + Pattern.quote(dir.resolve(".out-" + failing + ".staging-").toString())
                  + "[0-9a-f]{8}: No space left on device");
      assertThat(FolderSnapshot.of(dir)).isEqualTo(before);
    }
  }

  @Test
  void commitReplacesAnEarlierOutputWhole() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("duplicates/part-00003.jsonl"), "{}\n");
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events", "summaries");
    write(folder.staging().resolve("events/part-00000.jsonl"), "new\n");
    write(folder.staging().resolve("report.json"), REPORT);
    folder.commit();
    assertThat(FolderSnapshot.of(out))
        .containsOnlyKeys("", "events", "events/part-00000.jsonl", "summaries", "report.json")
        .containsEntry("events/part-00000.jsonl", "new\n");
    assertThat(FolderSnapshot.of(dir))
        .containsOnlyKeys(
            "",
            "out",
            "out/events",
            "out/events/part-00000.jsonl",
            "out/summaries",
            "out/report.json");
  }

  @Test
  void commitRefusesAFolderThatChangedWhileTheJobRan() throws IOException {
    Path out = earlierOutput("out");
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(out.resolve("notes.txt"), "written meanwhile\n");
    Map<String, String> before = FolderSnapshot.of(out);
    assertThatThrownBy(folder::commit)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("notes.txt");
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
    folder.abort();
    assertThat(folder.staging()).doesNotExist();
  }

  @Test
  void commitWithoutOverwriteRefusesAFolderCreatedMeanwhile() throws IOException {
    Path out = dir.resolve("out");
    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");
    write(out.resolve("notes.txt"), "written meanwhile\n");
    assertThatThrownBy(folder::commit).isInstanceOf(IOException.class);
    assertThat(out.resolve("notes.txt")).hasContent("written meanwhile");
  }

  @Test
  void theStagingFolderIsMarkedWithItsRunUntilCommitted() throws IOException {
    Path out = dir.resolve("out");
    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");
    Path marker = folder.staging().resolve(OutputFolder.RUN_MARKER);
    assertThat(marker).exists();
    assertThat(folder.staging().resolveSibling(folder.staging().getFileName() + ".preparing"))
        .doesNotExist();
    assertThat(RunMarker.isAlive(marker)).isTrue();
    folder.commit();
    assertThat(out.resolve(OutputFolder.RUN_MARKER)).doesNotExist();
    assertThat(out.resolve("events")).isDirectory();
  }

  /**
   * An output that cannot be listed when the job has run fails the run (exit 1, the output left as
   * it was), not the command line (exit 2, which says the options were wrong). Root lists any
   * folder: the test needs another user.
   */
  @Test
  void anOutputThatCannotBeListedAtCommitIsAFailureOfTheRun() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        "root".equals(System.getProperty("user.name")), "root lists any folder");
    Path out = earlierOutput("out");
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    Files.setPosixFilePermissions(out, java.util.Set.of());
    try {
      assertThatThrownBy(folder::commit)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot read " + out);
    } finally {
      Files.setPosixFilePermissions(
          out, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      folder.abort();
    }
  }
}
