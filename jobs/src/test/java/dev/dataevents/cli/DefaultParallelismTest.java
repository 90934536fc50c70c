package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefaultParallelismTest {
  private static final long MIB = 1L << 20;

  /** As the launcher runs the command: on the embedded mini-cluster unless it names a cluster. */
  @BeforeEach
  void launchedByTheLauncher() {
    System.setProperty(ConsoleLogging.LOCAL_PROPERTY, "true");
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(ConsoleLogging.LOCAL_PROPERTY);
  }

  private static InputFile file(String name, long size) {
    return new InputFile(name, "file:///in/" + name, SourceKind.EVENTS, size);
  }

  private static SourceCatalog catalog(InputFile... files) {
    return new SourceCatalog(List.of(files));
  }

  @Test
  void aSmallLocalRunLeavesOneCoreToTheCompilersAndFlinksThreads() {
    SourceCatalog small = catalog(file("a.jsonl", 200 * MIB), file("b.jsonl", 100 * MIB));
    assertThat(DefaultParallelism.bounded(2, RunTarget.EMBEDDED, small, false)).isEqualTo(1);
    assertThat(DefaultParallelism.bounded(8, RunTarget.EMBEDDED, small, false)).isEqualTo(7);
    assertThat(DefaultParallelism.bounded(1, RunTarget.EMBEDDED, small, false)).isEqualTo(1);
  }

  @Test
  void theLimitCountsEveryFileOfTheRun() {
    long limit = DefaultParallelism.SMALL_INPUT_BYTES;
    assertThat(
            DefaultParallelism.bounded(
                2, RunTarget.EMBEDDED, catalog(file("a.jsonl", limit - 2), file("b", 1)), false))
        .isEqualTo(1);
    assertThat(
            DefaultParallelism.bounded(
                2, RunTarget.EMBEDDED, catalog(file("a.jsonl", limit - 1), file("b", 1)), false))
        .isEqualTo(2);
  }

  @Test
  void largeInputsUseEveryCore() {
    SourceCatalog large = catalog(file("a.jsonl", 600 * MIB));
    assertThat(DefaultParallelism.bounded(2, RunTarget.EMBEDDED, large, false)).isEqualTo(2);
    assertThat(DefaultParallelism.bounded(16, RunTarget.EMBEDDED, large, false)).isEqualTo(16);
  }

  @Test
  void compressedFilesAndKafkaHaveNoKnownSizeAndUseEveryCore() {
    // A 10 MiB .gz may hold ten times as many lines; Kafka's records are counted, not sized.
    for (String name : List.of("a.jsonl.gz", "a.JSONL.GZIP", "a.jsonl.bz2", "a.jsonl.xz")) {
      SourceCatalog compressed = catalog(file("b.jsonl", MIB), file(name, 10 * MIB));
      assertThat(DefaultParallelism.bounded(2, RunTarget.EMBEDDED, compressed, false))
          .as(name)
          .isEqualTo(2);
    }
    assertThat(DefaultParallelism.bounded(2, RunTarget.EMBEDDED, catalog(file("a.jsonl", 1)), true))
        .isEqualTo(2);
  }

  @Test
  void aClusterRunUsesTheCoresAsBefore() {
    // The cluster's TaskManagers compile and sort on their own machines' cores.
    RunTarget cluster = RunTarget.of("127.0.0.1:8081", null);
    assertThat(DefaultParallelism.bounded(2, cluster, catalog(file("a.jsonl", MIB)), false))
        .isEqualTo(2);
  }

  /**
   * Under {@code flink run} (no launcher) the job goes to the cluster the client names, whose
   * TaskManagers compile on their own cores: it got one core less, as if it ran here.
   */
  @Test
  void aRunUnderFlinkRunUsesTheCores() {
    System.clearProperty(ConsoleLogging.LOCAL_PROPERTY);
    assertThat(
            DefaultParallelism.bounded(2, RunTarget.EMBEDDED, catalog(file("a.jsonl", MIB)), false))
        .isEqualTo(2);
  }

  @Test
  void neverAboveTheLargestParallelism() {
    // On a cluster (the embedded mini-cluster caps its own: RunTargetTest).
    System.clearProperty(ConsoleLogging.LOCAL_PROPERTY);
    SourceCatalog large = catalog(file("a.jsonl", 600 * MIB));
    assertThat(DefaultParallelism.bounded(4096, RunTarget.EMBEDDED, large, false))
        .isEqualTo(Converters.MAX_PARALLELISM);
    assertThat(DefaultParallelism.cores(4096)).isEqualTo(Converters.MAX_PARALLELISM);
  }
}
