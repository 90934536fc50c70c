package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunTargetTest {
  @TempDir Path tmp;

  @Test
  void jobManagerIsHostAndPortOfTheRestEndpoint() {
    assertThat(RunTarget.of("localhost:8081", null))
        .isEqualTo(new RunTarget("localhost", 8081, null));
    assertThat(RunTarget.of("http://flink.example.org:18081/", null))
        .isEqualTo(new RunTarget("flink.example.org", 18081, null));
    assertThat(RunTarget.of("[::1]:8081", null)).isEqualTo(new RunTarget("[::1]", 8081, null));
    assertThat(RunTarget.of(null, null)).isEqualTo(RunTarget.EMBEDDED);
    assertThat(RunTarget.EMBEDDED.remote()).isFalse();
    assertThat(RunTarget.EMBEDDED.describe()).isNull();
  }

  @Test
  void aJobManagerWithoutAPortOrWithABadOneIsAUsageError() {
    for (String bad :
        List.of("localhost", "localhost:", ":8081", "localhost:http", "h:70000", "h:0")) {
      assertThatThrownBy(() -> RunTarget.of(bad, null))
          .as(bad)
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith("--jobmanager");
    }
  }

  @Test
  void theWebUiIsForTheEmbeddedMiniClusterOnly() {
    assertThatThrownBy(() -> RunTarget.of("localhost:8081", 8082))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--web-ui");
    assertThatThrownBy(() -> RunTarget.of(null, 0)).isInstanceOf(UsageException.class);
    assertThatThrownBy(() -> RunTarget.of(null, 65536)).isInstanceOf(UsageException.class);
  }

  @Test
  void aRemoteTargetSubmitsTheJobJarToTheRestEndpoint() throws Exception {
    Path jar = Files.writeString(tmp.resolve("job.jar"), "not really a jar");
    withProperty(
        RunTarget.JOB_JAR_PROPERTY,
        jar.toString(),
        () -> {
          Configuration config = new Configuration();
          RunTarget.of("jm.example.org:18081", null).configure(config, 2);
          assertThat(config.get(DeploymentOptions.TARGET)).isEqualTo("remote");
          assertThat(config.get(RestOptions.ADDRESS)).isEqualTo("jm.example.org");
          assertThat(config.get(RestOptions.PORT)).isEqualTo(18081);
          assertThat(config.get(PipelineOptions.JARS)).containsExactly(jar.toUri().toString());
          assertThat(config.get(DeploymentOptions.ATTACHED)).isTrue();
        });
  }

  @Test
  void withoutAJobJarARemoteRunIsRefused() {
    // The tests run from target/classes, not from a jar.
    assertThatThrownBy(() -> RunTarget.of("localhost:8081", null).configure(new Configuration(), 2))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("job jar");
  }

  @Test
  void theEmbeddedMiniClusterRefusesAParallelismItCannotRunAndCapsItsDefault() throws Exception {
    withProperty(
        ConsoleLogging.LOCAL_PROPERTY,
        "true",
        () -> {
          assertThat(RunTarget.EMBEDDED.checkParallelism(16)).isEqualTo(16);
          assertThatThrownBy(() -> RunTarget.EMBEDDED.checkParallelism(17))
              .isInstanceOf(UsageException.class)
              .hasMessageContaining("--parallelism 17")
              .hasMessageContaining("at most 16")
              .hasMessageContaining("--jobmanager");
          assertThat(RunTarget.EMBEDDED.withinLimit(64)).isEqualTo(16);
          assertThat(RunTarget.EMBEDDED.withinLimit(2)).isEqualTo(2);
          // A cluster runs what its slots allow.
          RunTarget cluster = RunTarget.of("localhost:8081", null);
          assertThat(cluster.checkParallelism(1024)).isEqualTo(1024);
          assertThat(cluster.withinLimit(64)).isEqualTo(64);
        });
    // Inside `flink run` (no launcher) the job goes to that cluster: no limit here.
    assertThat(RunTarget.EMBEDDED.checkParallelism(1024)).isEqualTo(1024);
  }

  @Test
  void theEmbeddedNetworkMemoryGrowsWithTheSquareOfTheParallelism() throws Exception {
    assertThat(RunTarget.networkMebibytes(1)).isEqualTo(64);
    assertThat(RunTarget.networkMebibytes(8)).isEqualTo(64);
    assertThat(RunTarget.networkMebibytes(12)).isEqualTo(108);
    assertThat(RunTarget.networkMebibytes(16)).isEqualTo(192);
    withProperty(
        ConsoleLogging.LOCAL_PROPERTY,
        "true",
        () -> {
          Configuration config = new Configuration();
          RunTarget.EMBEDDED.configure(config, 16);
          assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MIN))
              .isEqualTo(MemorySize.ofMebiBytes(192));
          assertThat(config.get(TaskManagerOptions.NETWORK_MEMORY_MAX))
              .isEqualTo(MemorySize.ofMebiBytes(192));
        });
  }

  @Test
  void aWebUiPortInUseIsAUsageErrorBeforeTheRunStarts() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> RunTarget.of(null, port).checkReachable())
          .isInstanceOf(UsageException.class)
          .hasMessage(
              "--web-ui "
                  + port
                  + ": the port is in use on 127.0.0.1; choose another with"
                  + " --web-ui=PORT");
    }
    int free;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    RunTarget.of(null, free).checkReachable(); // nothing listens there now
    RunTarget.EMBEDDED.checkReachable();
  }

  @Test
  void theWebUiBindsToThisMachineOnly() {
    Configuration config = new Configuration();
    new RunTarget(null, 0, 18082).configure(config, 2);
    assertThat(config.get(RestOptions.BIND_PORT)).isEqualTo("18082");
    assertThat(config.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(config.contains(DeploymentOptions.TARGET)).isFalse();
  }

  @Test
  void theJobManagerMayComeBeforeOrAfterTheSubcommand() {
    for (String[] args :
        List.of(
            new String[] {"--jobmanager", "h:1", "backfill", "--input", "x", "--output", "y"},
            new String[] {"backfill", "--jobmanager", "h:1", "--input", "x", "--output", "y"})) {
      CommandLine line = DataEventsCommand.commandLine();
      CommandLine.ParseResult parsed = line.parseArgs(args);
      BackfillCommand backfill = (BackfillCommand) parsed.subcommand().commandSpec().userObject();
      assertThat(backfill.where.target()).isEqualTo(new RunTarget("h", 1, null));
    }
    CommandLine line = DataEventsCommand.commandLine();
    StreamCommand stream =
        (StreamCommand)
            line.parseArgs("stream", "--watch", "x", "--output", "y", "--web-ui")
                .subcommand()
                .commandSpec()
                .userObject();
    assertThat(stream.where.target()).isEqualTo(new RunTarget(null, 0, 8081));
  }

  @Test
  void aJobManagerThatDoesNotAnswerIsAUsageErrorBeforeAnythingIsSubmitted() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, null)) {
      port = socket.getLocalPort(); // closed again: nothing listens there now
    }
    RunTarget target = RunTarget.of("127.0.0.1:" + port, null);
    long start = System.nanoTime();
    assertThatThrownBy(target::checkReachable)
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(
            "--jobmanager 127.0.0.1:" + port + ": no Flink JobManager answers there (");
    assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
    RunTarget.EMBEDDED.checkReachable(); // nothing to reach
  }

  /** Runs {@code body} with a system property set, then restores it. */
  private static void withProperty(String name, String value, ThrowingRunnable body)
      throws Exception {
    String before = System.setProperty(name, value);
    try {
      body.run();
    } finally {
      if (before == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, before);
      }
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
