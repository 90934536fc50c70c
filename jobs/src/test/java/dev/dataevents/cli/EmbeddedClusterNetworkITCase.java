package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.job.StreamRun;
import dev.dataevents.testing.CheckpointFolders;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.ListeningSockets;
import dev.dataevents.testing.Records;
import dev.dataevents.testing.StreamArgs;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local run's embedded mini-cluster listens on this machine only. Its REST endpoint takes job
 * submissions and cancellations, and its BLOB server takes files, both without authentication:
 * reachable from the network, anyone there could run code in the user's backfill or stream.
 */
class EmbeddedClusterNetworkITCase {
  @TempDir Path tmp;

  @Test
  void aLocalBackfillListensOnLoopbackOnly() throws Exception {
    Path in = tmp.resolve("events.jsonl");
    EventGenerator.write(in, 60_000, 5);
    assertLoopbackOnly(
        socketsOfARun(
            "backfill",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--as-of",
            Long.toString(Records.AS_OF)));
  }

  @Test
  void aLocalStreamListensOnLoopbackOnly() throws Exception {
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Set<InetSocketAddress> seen = new LinkedHashSet<>();
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick(
                "stream",
                "--watch",
                watch.toString(),
                "--output",
                tmp.resolve("out").toString()))) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      // Until the job runs: by then the cluster has started every server it has.
      while (stream.isAlive()
          && !stream.stderr().contains("stream: running")
          && System.nanoTime() < deadline) {
        seen.addAll(ListeningSockets.of(stream.pid()));
        Thread.sleep(5);
      }
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      seen.addAll(ListeningSockets.of(stream.pid()));
      stream.stop(Duration.ofSeconds(30));
    }
    assertLoopbackOnly(seen);
  }

  @Test
  void aReportListensOnLoopbackOnly() throws Exception {
    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path out = tmp.resolve("out");
    Path checkpoints = out.resolve(StreamRun.CHECKPOINTS);
    try (LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick("stream", "--watch", watch.toString(), "--output", out.toString()))) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (stream.isAlive() && !CheckpointFolders.hasCompleted(checkpoints)) {
        assertThat(System.nanoTime()).as(stream.output()).isLessThan(deadline);
        Thread.sleep(100);
      }
      stream.stop(Duration.ofSeconds(30));
    }
    assertLoopbackOnly(
        socketsOfARun(
            "report",
            "--checkpoint-dir",
            checkpoints.toString(),
            "--output",
            tmp.resolve("report").toString()));
  }

  /**
   * Every address a run of {@code bin/data-events args...} listened on, polled until it ended
   * (every few milliseconds: some sockets live for a moment only); the run must succeed.
   */
  private Set<InetSocketAddress> socketsOfARun(String... args) throws Exception {
    Set<InetSocketAddress> seen = new LinkedHashSet<>();
    try (LauncherProcess run = LauncherProcess.start(tmp, args[0], args)) {
      while (run.isAlive()) {
        seen.addAll(ListeningSockets.of(run.pid()));
        Thread.sleep(5);
      }
      LauncherProcess.Result result = run.await(Duration.ofMinutes(1));
      assertThat(result.exitCode()).as(result.stderr()).isZero();
    }
    return seen;
  }

  private static void assertLoopbackOnly(Set<InetSocketAddress> seen) {
    // The REST endpoint and the BLOB server at least: the probe saw the cluster's servers.
    assertThat(seen).as("the sockets the run listened on").hasSizeGreaterThanOrEqualTo(2);
    assertThat(seen)
        .as("the sockets the run listened on")
        .allSatisfy(address -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
  }
}
