package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.LauncherProcess;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/local-cluster}'s command line where no cluster is started: its exit codes, its
 * messages, and that it creates nothing it does not need (ClusterITCase starts a real one).
 */
class LocalClusterScriptITCase {
  @TempDir Path tmp;

  private record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void statusAndStopOfAFolderWhereNothingWasStartedCreateNothing() throws Exception {
    Path dir = tmp.resolve("never-started");
    Run status = run("status", "--dir", dir.toString());
    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.stdout()).isEmpty();
    assertThat(status.stderr()).contains("not running");
    Run stop = run("stop", "--dir", dir.toString());
    assertThat(stop.exitCode()).isZero();
    Run add = run("add-taskmanager", "--dir", dir.toString());
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(dir).doesNotExist();
  }

  @Test
  void wrongCommandLinesExitWith2AndOneLine() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"restart"},
            new String[] {"start", "--slots", "0"},
            new String[] {"start", "--taskmanagers", "many"},
            new String[] {"start", "--port"},
            new String[] {"status", "--slots", "2"},
            new String[] {"start", "--frobnicate"})) {
      Run run = run(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(run.stderr().lines()).as(run.stderr()).hasSize(1);
    }
    assertThat(run().exitCode()).isEqualTo(2);
    Run help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("add-taskmanager", "jobmanager|taskmanager PID LOGFILE");
  }

  @Test
  void aTakenPortIsRefusedBeforeAnythingStarts() throws Exception {
    Path dir = tmp.resolve("cluster");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run start =
          run("start", "--port", Integer.toString(taken.getLocalPort()), "--dir", dir.toString());
      assertThat(start.exitCode()).isEqualTo(1);
      assertThat(start.stderr()).contains("port " + taken.getLocalPort() + " is in use");
    }
    assertThat(run("status", "--dir", dir.toString()).exitCode()).isEqualTo(3);
  }

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(LauncherProcess.script().resolveSibling("local-cluster").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "run", ".out");
    Path err = Files.createTempFile(tmp, "run", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove("DATA_EVENTS_CLUSTER_DIR");
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("bin/local-cluster " + String.join(" ", args) + " hung");
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
