package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.job.BoundedRun;
import dev.dataevents.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool replaces and removes only folders it recognisably wrote. */
class OutputFolderTest {
  private static final OutputFolder.Layout LAYOUT = BoundedRun.LAYOUT;
  private static final String REPORT =
      "{\n  \"input_records\" : 3,\n  \"accepted\" : 2,\n  \"duplicates\" : 1,\n"
          + "  \"rejected\" : 0,\n  \"rejected_by_reason\" : { },\n  \"reference_time\" : 1\n}\n";

  @TempDir Path tmp;

  private Path dir;

  @BeforeEach
  void realTemp() throws IOException {
    dir = tmp.toRealPath();
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  /** An output as a bounded run leaves it. */
  private Path earlierOutput(String name) throws IOException {
    Path out = dir.resolve(name);
    write(out.resolve("report.json"), REPORT);
    write(out.resolve("events/part-00000.jsonl"), "{\"event_name\":\"a\"}\n");
    write(out.resolve("summaries/part-00001.jsonl"), "{}\n");
    Files.createDirectories(out.resolve("rejected"));
    Files.createDirectories(out.resolve("listings"));
    return out;
  }

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

  /**
   * An output as a stream with its checkpoints elsewhere leaves it (copied from a real run):
   * Flink's file sink's part files, finished and in progress, and its report.
   */
  private Path streamOutput(String name) throws IOException {
    Path out = dir.resolve(name);
    write(out.resolve("report.json"), REPORT);
    write(out.resolve("events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl"), "{}\n");
    write(out.resolve("summaries/part-92f7cb28-cbc5-4725-8ad7-2dbebe41d0d7-1.jsonl"), "{}\n");
    write(
        out.resolve(
            "listings/.part-66d60593-2f4b-45c0-a339-ba6e14d35306-2.jsonl.inprogress"
                + ".0f3c2a51-6c1e-4d1b-9a8e-2b7d5c3e1f00"),
        "{}\n");
    Files.createDirectories(out.resolve("rejected"));
    return out;
  }

  private void assertStreamOutputRefused(Path out, String why) {
    Map<String, String> before = FolderSnapshot.of(dir);
    for (boolean overwrite : new boolean[] {true, false}) {
      assertThatThrownBy(() -> OutputFolder.checkTarget(out, overwrite, LAYOUT))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage(out + " is a stream's output (" + why + "); a bounded run never replaces it");
      assertThatThrownBy(() -> OutputFolder.prepare(out, overwrite, LAYOUT, "events"))
          .isInstanceOf(RefusedPathException.class);
    }
    assertThat(FolderSnapshot.of(dir)).isEqualTo(before);
    assertThat(OutputFolder.checkReusable(out, LAYOUT)).as("a stream goes on").isEqualTo(out);
  }

  @Test
  void aStreamsOutputIsNeverReplacedByABoundedRun() throws IOException {
    // Its checkpoints lie elsewhere (--checkpoint-dir), so they do not give it away.
    Path out = streamOutput("out");
    assertStreamOutputRefused(
        out, "events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl is a stream's part file");

    Path writing = streamOutput("writing");
    Files.delete(writing.resolve("events/part-2a9d3ea4-a5eb-46fd-8220-a282b91ea6f1-0.jsonl"));
    Files.delete(writing.resolve("summaries/part-92f7cb28-cbc5-4725-8ad7-2dbebe41d0d7-1.jsonl"));
    assertStreamOutputRefused(
        writing,
        "listings/.part-66d60593-2f4b-45c0-a339-ba6e14d35306-2.jsonl.inprogress"
            + ".0f3c2a51-6c1e-4d1b-9a8e-2b7d5c3e1f00 is a stream's part file");
  }

  @Test
  void aStreamMarksItsOutputEvenBeforeItsFirstRecord() throws IOException {
    // What a stream that has read nothing yet holds is what a bounded run's output may hold.
    Path live = earlierOutput("live");
    OutputFolder.markStreamOutput(live);
    assertStreamOutputRefused(
        live, "a stream is writing into it: _data-events-stream names a running process");

    Path gone = earlierOutput("gone");
    write(gone.resolve(OutputFolder.STREAM_MARKER), "pid=999999999\nstarted=1\n");
    assertStreamOutputRefused(gone, "it holds _data-events-stream");
  }

  @Test
  void commitRefusesAnOutputAStreamStartedWritingIntoWhileTheJobRan() throws IOException {
    Path out = earlierOutput("out");
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    OutputFolder.markStreamOutput(out);
    Map<String, String> before = FolderSnapshot.of(out);
    assertThatThrownBy(folder::commit)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(OutputFolder.STREAM_MARKER);
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
    folder.abort();
  }

  @Test
  void otherHiddenFilesInsideTheSubfoldersAreTheUsersAndRefused() throws IOException {
    // Readers skip them, but the tool did not write them: a marker or notes of the user's.
    for (String name : new String[] {"_SUCCESS", "_my-notes.txt", ".keep"}) {
      Path out = earlierOutput("out-" + name.substring(1));
      write(out.resolve("rejected").resolve(name), "mine\n");
      assertRefusedAndUntouched(out, "rejected/" + name + " is not a part file");
    }
  }

  private void assertRefusedAndUntouched(Path out, String why) {
    Map<String, String> before = FolderSnapshot.of(out);
    assertThatThrownBy(() -> OutputFolder.checkTarget(out, true, LAYOUT))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            out
                + " is not an earlier output of data-events ("
                + why
                + "); it is never replaced"
                + " or deleted");
    assertThatThrownBy(() -> OutputFolder.prepare(out, true, LAYOUT, "events"))
        .isInstanceOf(RefusedPathException.class);
    assertThat(FolderSnapshot.of(out)).isEqualTo(before);
    assertThat(FolderSnapshot.of(dir).keySet()).noneMatch(p -> p.startsWith("."));
  }

  @Test
  void aStrayFileIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("notes.txt"), "mine\n");
    assertRefusedAndUntouched(out, "it holds notes.txt");
  }

  @Test
  void anUnknownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("photos"));
    assertRefusedAndUntouched(out, "it holds photos");
  }

  @Test
  void aHiddenEntryAtTheTopIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("_checkpoints/abc/chk-1"));
    assertRefusedAndUntouched(out, "it holds _checkpoints");
  }

  @Test
  void aForeignFileInsideAKnownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("events/notes.txt"), "mine\n");
    assertRefusedAndUntouched(out, "events/notes.txt is not a part file");
  }

  @Test
  void aFolderOrLinkInsideAKnownSubfolderIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.createDirectories(out.resolve("events/part-9.jsonl"));
    assertRefusedAndUntouched(out, "events/part-9.jsonl is not a part file");

    Path other = earlierOutput("other");
    Path mine = write(dir.resolve("mine.jsonl"), "{}\n");
    Files.createSymbolicLink(other.resolve("summaries/part-00005.jsonl"), mine);
    assertRefusedAndUntouched(other, "summaries/part-00005.jsonl is not a part file");
  }

  @Test
  void aKnownNameThatIsAFileIsRefused() throws IOException {
    Path out = earlierOutput("out");
    write(out.resolve("duplicates"), "not a folder\n");
    assertRefusedAndUntouched(out, "duplicates is not a folder");
  }

  @Test
  void noReportIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Files.delete(out.resolve("report.json"));
    assertRefusedAndUntouched(out, "it has no report.json");
  }

  @Test
  void aReportThatIsNotOursIsRefused() throws IOException {
    for (String report :
        new String[] {
          "{\"name\":\"my project\"}",
          "not json",
          "{\"input_records\":3,\"accepted\":2,\"duplicates\":1}",
          "{\"input_records\":\"3\",\"accepted\":2,\"duplicates\":1,\"rejected\":0}",
          "{\"input_records\":3,\"accepted\":2,\"duplicates\":1,\"rejected\":0} trailing",
          "[" + "[".repeat(100_000)
        }) {
      Path out = earlierOutput("out");
      write(out.resolve("report.json"), report);
      assertRefusedAndUntouched(out, "report.json is not a data-events report");
      OutputFolder.deleteRecursively(out);
    }
  }

  @Test
  void aReportThatIsALinkIsRefused() throws IOException {
    Path out = earlierOutput("out");
    Path elsewhere = write(dir.resolve("elsewhere.json"), REPORT);
    Files.delete(out.resolve("report.json"));
    Files.createSymbolicLink(out.resolve("report.json"), elsewhere);
    assertRefusedAndUntouched(out, "report.json is not a data-events report");
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
  void aReplacedOutputKeepsWhoMayReadIt() throws IOException {
    Path out = earlierOutput("out");
    assertThat(permissionsAfterOverwrite(out, "rwx------")).isEqualTo("rwx------");
    // One its owner made read-only is still written (the owner's rights are the run's).
    assertThat(permissionsAfterOverwrite(out, "r-xr-x---")).isEqualTo("rwxr-x---");
  }

  /**
   * A folder prepared for a team (its group, and the setgid bit that gives new files that group)
   * keeps both when a run's output takes its place: an empty one as much as an earlier output.
   */
  @Test
  void aReplacedFolderKeepsItsGroupAndSetgidBit() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("empty"));
    GroupPrincipal other = anotherGroup(out);
    if (other != null) {
      Files.getFileAttributeView(out, PosixFileAttributeView.class).setGroup(other);
    }
    GroupPrincipal group = Files.readAttributes(out, PosixFileAttributes.class).group();
    Files.setAttribute(out, "unix:mode", 02770);

    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    folder.commit();

    assertThat(Files.readAttributes(out, PosixFileAttributes.class).group()).isEqualTo(group);
    assertThat((Integer) Files.getAttribute(out, "unix:mode") & 07777).isEqualTo(02770);
    assertThat(Files.readAttributes(out.resolve("events"), PosixFileAttributes.class).group())
        .as("the group of what the run created inside")
        .isEqualTo(group);
  }

  /**
   * A group other than the one new folders get here, that this user may give a folder (any, for
   * root; else one of the user's), or null when there is none: the test then checks the bit alone.
   */
  private static GroupPrincipal anotherGroup(Path folder) throws IOException {
    GroupPrincipal own = Files.readAttributes(folder, PosixFileAttributes.class).group();
    UserPrincipalLookupService lookup = folder.getFileSystem().getUserPrincipalLookupService();
    for (String name : new String[] {"daemon", "users", "nogroup", "adm"}) {
      try {
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(name);
        if (!group.equals(own)) {
          Path probe = Files.createDirectories(folder.resolveSibling("probe-" + name));
          try {
            Files.getFileAttributeView(probe, PosixFileAttributeView.class).setGroup(group);
            return group;
          } catch (IOException notMine) {
            // not a group of this user's
          } finally {
            Files.delete(probe);
          }
        }
      } catch (IOException unknown) {
        // no such group here
      }
    }
    return null;
  }

  /** The permissions of {@code out} (given {@code before}) once a run replaced it. */
  private String permissionsAfterOverwrite(Path out, String before) throws IOException {
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(before));
    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");
    write(folder.staging().resolve("report.json"), REPORT);
    folder.commit();
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(out));
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

  // --- leftovers of killed runs ---

  /** A staging folder as a run killed mid-way leaves it. */
  private Path killedStaging(String name) throws IOException {
    Path staging = dir.resolve(name);
    write(staging.resolve("events/part-00000.jsonl"), "{}\n");
    Files.createDirectories(staging.resolve("summaries"));
    write(staging.resolve(OutputFolder.RUN_MARKER), "pid=999999999\nstarted=1\n");
    return staging;
  }

  @Test
  void leftoversOfKilledRunsAreRemovedByTheNextRunToTheSameOutput() throws IOException {
    Path out = earlierOutput("out");
    Path staging = killedStaging(".out.staging-0a1b2c3d");
    Path preparedByTheDead = killedStaging(".out.staging-2a1b2c3d.preparing");

    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");

    assertThat(staging).doesNotExist();
    assertThat(preparedByTheDead).doesNotExist();
    assertThat(folder.staging()).isDirectory();
    assertThat(out.resolve("report.json")).exists();
  }

  @Test
  void aStagingFolderWithoutACompleteMarkerIsKept() throws IOException {
    // Output-shaped, but nothing says a run of the tool wrote it, nor that that run is gone.
    Path out = earlierOutput("out");
    Path unmarked = dir.resolve(".out.staging-00000000");
    write(unmarked.resolve("events/part-00000.jsonl"), "{\"my\":1}\n");
    Path emptyMarker = Files.createDirectories(dir.resolve(".out.staging-77777777"));
    write(emptyMarker.resolve(OutputFolder.RUN_MARKER), "");
    Path cutShort = killedStaging(".out.staging-88888888");
    write(cutShort.resolve(OutputFolder.RUN_MARKER), "pid=999999999\n");
    Map<String, String> before = FolderSnapshot.of(dir);

    OutputFolder folder = OutputFolder.prepare(out, true, LAYOUT, "events");

    Map<String, String> after = FolderSnapshot.of(dir);
    after.keySet().removeIf(p -> p.startsWith(dir.relativize(folder.staging()).toString()));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void anOutputSetAsideByAKilledRunIsKept() throws IOException {
    // Killed between its two renames, the run left the user's previous output only there.
    Path out = dir.resolve("out");
    Path setAside = earlierOutput(".out.old-0a1b2c3d");
    Path emptySetAside = Files.createDirectories(dir.resolve(".out.old-12345678"));
    Map<String, String> before = FolderSnapshot.of(dir);

    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");

    Map<String, String> after = FolderSnapshot.of(dir);
    after.keySet().removeIf(p -> p.startsWith(dir.relativize(folder.staging()).toString()));
    assertThat(after).isEqualTo(before);
    assertThat(setAside.resolve("report.json")).exists();
    assertThat(emptySetAside).isDirectory();
  }

  @Test
  void lookalikesAreKept() throws IOException {
    Path out = dir.resolve("out");
    Path foreign = killedStaging(".out.staging-0a1b2c3d");
    write(foreign.resolve("notes.txt"), "mine\n");
    Path foreignInside = killedStaging(".out.staging-1a1b2c3d");
    write(foreignInside.resolve("events/notes.txt"), "mine\n");
    Path badReport = earlierOutput(".out.old-0a1b2c3d");
    write(badReport.resolve("report.json"), "{}");
    Path otherOutput = killedStaging(".other.staging-0a1b2c3d");
    Path otherName = killedStaging(".out.staging-0A1B2C3D");
    Path longer = killedStaging(".out.staging-0a1b2c3d4");
    Path prefix = killedStaging(".outer.staging-0a1b2c3d");
    Path file = write(dir.resolve(".out.old-2a1b2c3d"), "a file\n");
    Path link = Files.createSymbolicLink(dir.resolve(".out.old-3a1b2c3d"), foreign);
    // A staging folder being created: its marker is not written yet.
    Path preparing = Files.createDirectories(dir.resolve(".out.staging-4a1b2c3d.preparing"));
    Map<String, String> before = FolderSnapshot.of(dir);

    OutputFolder folder = OutputFolder.prepare(out, false, LAYOUT, "events");

    Map<String, String> after = FolderSnapshot.of(dir);
    after.keySet().removeIf(p -> p.startsWith(dir.relativize(folder.staging()).toString()));
    before.remove("out");
    after.remove("out");
    assertThat(after).isEqualTo(before);
    for (Path kept :
        new Path[] {foreign, foreignInside, badReport, otherOutput, otherName, longer, prefix}) {
      assertThat(kept).isDirectory();
    }
    assertThat(file).isRegularFile();
    assertThat(link).isSymbolicLink();
    assertThat(preparing).isDirectory();
  }

  @Test
  void theStagingFolderOfARunStillAliveIsKept() throws IOException {
    Path out = dir.resolve("out");
    OutputFolder running = OutputFolder.prepare(out, false, LAYOUT, "events");
    OutputFolder next = OutputFolder.prepare(out, false, LAYOUT, "events");
    assertThat(running.staging()).isDirectory();
    assertThat(next.staging()).isDirectory();
    assertThat(Set.of(running.staging(), next.staging())).hasSize(2);
  }

  /**
   * Two runs started on one new output: the second is refused before it reads anything, instead of
   * failing after all its work when the first has put its output in place.
   */
  @Test
  void aSecondRunToAnOutputThatAnotherLiveRunWritesIsRefused() throws Exception {
    Path out = dir.resolve("out");
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Path staging = Files.createDirectories(dir.resolve(".out.staging-0123abcd"));
      long started =
          other.toHandle().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
      Files.writeString(
          staging.resolve(RunMarker.NAME), "pid=" + other.pid() + "\nstarted=" + started + "\n");
      assertThatThrownBy(() -> OutputFolder.prepare(out, true, LAYOUT, "events"))
          .isInstanceOf(RefusedPathException.class)
          .hasMessage(
              out
                  + " is being written by another run now (process "
                  + other.pid()
                  + "): wait for it to end, or write elsewhere");
      // Also by the check before the run starts (before it prints anything but the error).
      assertThatThrownBy(() -> OutputFolder.checkTarget(out, false, LAYOUT))
          .isInstanceOf(RefusedPathException.class)
          .hasMessageContaining("is being written by another run now");
      assertThat(staging).isDirectory();
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).containsExactly(staging);
      }
    } finally {
      other.destroyForcibly().waitFor();
    }
  }

  @Test
  void aMarkerOfAProcessThatIsGoneOrUnreadableIsNoLongerAlive() throws IOException {
    Path marker = dir.resolve("marker");
    Files.writeString(marker, "pid=" + ProcessHandle.current().pid() + "\nstarted=1\n");
    assertThat(RunMarker.isAlive(marker)).as("same pid, other start").isFalse();
    Files.writeString(marker, "pid=999999999\nstarted=1\n");
    assertThat(RunMarker.isAlive(marker)).isFalse();
    Files.writeString(marker, "pid=12");
    assertThat(RunMarker.isAlive(marker)).as("cut short").isFalse();
    assertThat(RunMarker.isAlive(dir.resolve("none"))).isFalse();
  }

  // --- a stream's output, kept across runs ---

  @Test
  void aStreamWritesIntoAnEmptyFolderOrItsOwnEarlierOutputOnly() throws IOException {
    assertThat(OutputFolder.checkReusable(dir.resolve("new"), LAYOUT))
        .isEqualTo(dir.resolve("new"));
    Path stream = dir.resolve("live");
    write(stream.resolve("events/part-2b1f0e3c-0.jsonl"), "{}\n");
    write(stream.resolve("events/.part-2b1f0e3c-1.jsonl.inprogress.77"), "");
    Files.createDirectories(stream.resolve("_checkpoints/2b1f/chk-1"));
    write(stream.resolve(".report.json.tmp"), "");
    assertThat(OutputFolder.checkReusable(stream, LAYOUT))
        .as("before its first report")
        .isEqualTo(stream);
    write(stream.resolve("report.json"), REPORT);
    assertThat(OutputFolder.checkReusable(stream, LAYOUT)).isEqualTo(stream);
    Path bounded = earlierOutput("out");
    assertThatThrownBy(() -> OutputFolder.checkReusable(bounded, LAYOUT))
        .as("a bounded run's output: its report.json is its own")
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            bounded
                + " is the output of a backfill or recompute, not of a stream; give an empty or"
                + " new folder");

    write(stream.resolve("notes.txt"), "mine\n");
    assertThatThrownBy(() -> OutputFolder.checkReusable(stream, LAYOUT))
        .isInstanceOf(RefusedPathException.class)
        .hasMessage(
            stream
                + " is not an earlier output of data-events (it holds notes.txt); give an empty or"
                + " new folder");
  }

  /**
   * A file of the user's under the stream marker's name is never replaced: only a marker (or what a
   * kill left of one while it was written) is.
   */
  @Test
  void theStreamMarkerReplacesOnlyAMarker() throws IOException {
    Path mine = dir.resolve("mine");
    write(mine.resolve(OutputFolder.STREAM_MARKER), "my stuff\n");
    assertThatThrownBy(() -> OutputFolder.markStreamOutput(mine))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("is not a marker of data-events");
    assertThat(Files.readString(mine.resolve(OutputFolder.STREAM_MARKER))).isEqualTo("my stuff\n");

    for (String earlier : new String[] {"pid=1\nstarted=2\n", "pid=12", "", "pid=1\nsta"}) {
      Path ours = dir.resolve("ours-" + earlier.length());
      write(ours.resolve(OutputFolder.STREAM_MARKER), earlier);
      OutputFolder.markStreamOutput(ours);
      assertThat(Files.readString(ours.resolve(OutputFolder.STREAM_MARKER)))
          .startsWith("pid=" + ProcessHandle.current().pid());
    }
  }
}
