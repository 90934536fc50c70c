package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What earlier runs left beside an output: a living run's staging folder refuses the output, a
 * killed run's is removed only when recognisably ours, and a set-aside earlier output is kept.
 */
class EarlierRunsTest extends OutputFixture {
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
}
