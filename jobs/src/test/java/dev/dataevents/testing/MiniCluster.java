package dev.dataevents.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The one mini-cluster setup of the integration tests: two slots, so parallelism 2 runs. */
public final class MiniCluster {
  public static final int SLOTS = 2;

  private MiniCluster() {}

  public static MiniClusterExtension extension() {
    Configuration config = new Configuration();
    // Any record type that fell back to Kryo fails the job.
    config.set(PipelineOptions.GENERIC_TYPES, false);
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(config)
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(SLOTS)
            .build());
  }
}
