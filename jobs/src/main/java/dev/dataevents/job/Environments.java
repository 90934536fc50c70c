package dev.dataevents.job;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.client.deployment.executors.LocalExecutor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
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

  /**
   * As {@link #create(Configuration)}; a local mini-cluster that the environment starts is also
   * handed to {@code started}, so that this process can ask it what Flink alone knows of the job
   * (its failures). Flink's local executor is made as Flink makes it, with a factory that keeps the
   * cluster it creates.
   */
  static StreamExecutionEnvironment create(Configuration config, Consumer<MiniCluster> started) {
    StreamExecutionEnvironment env = create(config);
    if (!(env instanceof LocalStreamEnvironment)) {
      return env; // a cluster's, or the context of flink run or of a test's shared cluster
    }
    Configuration local = new Configuration(config);
    local.set(DeploymentOptions.TARGET, LocalExecutor.NAME);
    local.set(DeploymentOptions.ATTACHED, true);
    local.set(CoreOptions.DEFAULT_PARALLELISM, env.getParallelism());
    PipelineExecutorFactory executors =
        new PipelineExecutorFactory() {
          @Override
          public String getName() {
            return LocalExecutor.NAME;
          }

          @Override
          public boolean isCompatibleWith(Configuration configuration) {
            return true;
          }

          @Override
          public PipelineExecutor getExecutor(Configuration configuration) {
            return LocalExecutor.createWithFactory(
                configuration,
                clusterConfig -> {
                  MiniCluster cluster = new MiniCluster(clusterConfig);
                  started.accept(cluster);
                  return cluster;
                });
          }
        };
    PipelineExecutorServiceLoader loader =
        new PipelineExecutorServiceLoader() {
          @Override
          public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return executors;
          }

          @Override
          public Stream<String> getExecutorNames() {
            return Stream.of(LocalExecutor.NAME);
          }
        };
    return new StreamExecutionEnvironment(loader, local, null);
  }
}
