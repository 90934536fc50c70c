package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.RunMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mini-cluster's working folder: one per run, marked with its process, and the folders of
 * killed runs (whose shutdown hook never ran) removed by the next run, nothing else.
 */
class EmbeddedClusterFolderTest {
  @TempDir Path tmp;

  /** A cluster folder as a run left it: its marker names a process, with files inside. */
  private Path leftBy(String name, String marker) throws IOException {
    Path folder = Files.createDirectories(tmp.resolve(name));
    Files.createDirectories(folder.resolve("io/spill"));
    Files.writeString(folder.resolve("io/spill/part"), "events");
    if (marker != null) {
      Files.writeString(folder.resolve(RunMarker.NAME), marker);
    }
    return folder;
  }

  private static long goneProcess() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  @Test
  void aRunMarksItsFolderAndRemovesOnlyTheFoldersOfRunsThatAreGone() throws Exception {
    Path killed = leftBy("data-events-cluster-1", "pid=" + goneProcess() + "\nstarted=1\n");
    Path living = tmp.resolve("data-events-cluster-2");
    Files.createDirectories(living);
    RunMarker.write(living); // this process: alive
    Path unmarked = leftBy("data-events-cluster-3", null); // an older version's, or not ours
    Path cutShort = leftBy("data-events-cluster-4", "pid=");
    Path otherName = leftBy("my-data-events-cluster-5", "pid=" + goneProcess() + "\nstarted=1\n");
    Path notAFolder = Files.writeString(tmp.resolve("data-events-cluster-6"), "x");

    Configuration config = new Configuration();
    Path mine = EmbeddedClusterFolder.use(config, tmp);

    assertThat(killed).doesNotExist();
    assertThat(living).exists();
    assertThat(unmarked.resolve("io/spill/part")).exists();
    assertThat(cutShort).exists();
    assertThat(otherName).exists();
    assertThat(notAFolder).exists();
    assertThat(mine.getParent()).isEqualTo(tmp);
    assertThat(mine.getFileName().toString()).startsWith("data-events-cluster-");
    assertThat(RunMarker.isAlive(mine.resolve(RunMarker.NAME))).isTrue();
    assertThat(config.get(ClusterOptions.PROCESS_WORKING_DIR_BASE)).isEqualTo(mine.toString());
  }
}
