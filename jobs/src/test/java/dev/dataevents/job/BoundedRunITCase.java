package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.FolderSnapshot;
import dev.dataevents.testing.MiniCluster;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded run is a handle: the caller watches it, then finishes it (BackfillITCase) or closes it.
 */
class BoundedRunITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  @Test
  void aRunClosedBeforeItFinishedLeavesNothing() throws Exception {
    Map<String, String> before = FolderSnapshot.of(tmp);
    BoundedRun.Running running =
        BoundedRun.start(
            Backfills.of(sampleData().resolve("events.jsonl")).request(tmp.resolve("out")),
            new Configuration(),
            null);
    running.close();
    assertThat(FolderSnapshot.of(tmp)).isEqualTo(before);
  }
}
