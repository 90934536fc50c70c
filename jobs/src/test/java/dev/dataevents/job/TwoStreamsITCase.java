package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.CheckpointFolders;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.StreamArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two streams never share an output or a checkpoint folder: the second would mix its part files and
 * report into the first's output, and, taking the checkpoint folder for its own, remove the running
 * first stream's checkpoints as an earlier run's. The second is refused before it creates anything;
 * the first runs on untouched.
 */
class TwoStreamsITCase {
  @TempDir Path tmp;

  @Test
  void aSecondStreamOnTheOutputOrTheCheckpointsOfARunningOneIsRefused() throws Exception {
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path output = tmp.resolve("out");
    Path checkpoints = tmp.resolve("checkpoints");
    try (LauncherProcess running =
        LauncherProcess.start(tmp, "first", args(watch, output, checkpoints))) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!CheckpointFolders.hasCompleted(checkpoints)) {
        assertThat(running.isAlive()).as(running.output()).isTrue();
        assertThat(System.nanoTime()).as(running.output()).isLessThan(deadline);
        Thread.sleep(100);
      }
      List<Path> jobs = jobFolders(checkpoints);

      LauncherProcess.Result sameOutput =
          LauncherProcess.run(tmp, args(watch, output, tmp.resolve("other-checkpoints")));
      assertThat(sameOutput.exitCode()).as(sameOutput.stderr()).isEqualTo(2);
      // One line: refused before the run says anything else (the launcher may first say that it
      // prepares its class-data archive).
      assertThat(sameOutput.stderr().lines().filter(l -> !l.startsWith("data-events: ")))
          .singleElement()
          .asString()
          .contains(output + " is the output of a stream that is running");
      assertThat(tmp.resolve("other-checkpoints")).doesNotExist();

      Path otherOutput = tmp.resolve("other-out");
      LauncherProcess.Result sameCheckpoints =
          LauncherProcess.run(tmp, args(watch, otherOutput, checkpoints));
      assertThat(sameCheckpoints.exitCode()).as(sameCheckpoints.stderr()).isEqualTo(2);
      assertThat(sameCheckpoints.stderr().lines().filter(l -> !l.startsWith("data-events: ")))
          .singleElement()
          .asString()
          .contains(checkpoints + " is the checkpoint folder of a stream that is running");
      assertThat(otherOutput).doesNotExist();

      assertThat(running.isAlive()).as(running.output()).isTrue();
      assertThat(jobFolders(checkpoints)).containsAll(jobs);
      running.stop(Duration.ofSeconds(30));
    }
  }

  private static String[] args(Path watch, Path output, Path checkpoints) {
    return StreamArgs.quick(
        "stream",
        "--watch",
        watch.toString(),
        "--output",
        output.toString(),
        "--checkpoint-dir",
        checkpoints.toString());
  }

  private static List<Path> jobFolders(Path checkpoints) throws Exception {
    try (Stream<Path> entries = Files.list(checkpoints)) {
      return entries.filter(Files::isDirectory).toList();
    }
  }
}
