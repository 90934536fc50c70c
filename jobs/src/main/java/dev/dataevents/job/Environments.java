package dev.dataevents.job;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The execution environment of a run, for every place a job runs: the embedded mini-cluster, a
 * cluster's REST endpoint ({@code execution.target: remote}, see {@link #remote}), or the context
 * that {@code flink run} sets up.
 */
public final class Environments {
  /** The executor that submits to a running session cluster through its REST endpoint. */
  private static final String REMOTE = "remote";

  private Environments() {}

  /**
   * Points a configuration at a cluster: the job graph is built here and submitted, with the job
   * jar, to the JobManager's REST endpoint.
   *
   * @param config the configuration to change
   * @param host the JobManager's REST host
   * @param port its REST port
   * @param jobJar the jar holding the job's classes, shipped to the cluster
   */
  public static void remote(Configuration config, String host, int port, Path jobJar) {
    config.set(DeploymentOptions.TARGET, REMOTE);
    config.set(RestOptions.ADDRESS, host);
    config.set(RestOptions.PORT, port);
    config.set(PipelineOptions.JARS, List.of(jobJar.toAbsolutePath().toUri().toString()));
    // The launcher watches the job and writes report.json: it must wait for the result.
    config.set(DeploymentOptions.ATTACHED, true);
  }

  /** Whether a configuration submits to a cluster (see {@link #remote}). */
  public static boolean isRemote(Configuration config) {
    return REMOTE.equals(config.get(DeploymentOptions.TARGET));
  }

  /**
   * The environment for a configuration: a remote one when {@link #isRemote}, else the context's
   * ({@code flink run}) or a local mini-cluster.
   */
  static StreamExecutionEnvironment create(Configuration config) {
    if (isRemote(config)) {
      // getExecutionEnvironment would make a local environment of it, whatever the target says.
      return new StreamExecutionEnvironment(config);
    }
    return StreamExecutionEnvironment.getExecutionEnvironment(config);
  }
}
