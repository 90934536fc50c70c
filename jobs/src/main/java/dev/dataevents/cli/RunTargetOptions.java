package dev.dataevents.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a job runs: {@code --jobmanager} (also accepted before the subcommand, as {@code
 * data-events --jobmanager HOST:PORT backfill ...}) and {@code --web-ui}.
 */
final class RunTargetOptions {
  static final String JOBMANAGER_DESCRIPTION =
      "Submit the job to a Flink 2.3 cluster (its JobManager's REST endpoint, e.g. localhost:8081,"
          + " as bin/local-cluster starts) instead of running it on an embedded mini-cluster."
          + " Paths must be the same for this machine and the cluster's TaskManagers.";

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--jobmanager", paramLabel = "HOST:PORT", description = JOBMANAGER_DESCRIPTION)
  String jobManager;

  @Option(
      names = "--web-ui",
      arity = "0..1",
      paramLabel = "PORT",
      fallbackValue = "8081",
      description =
          "Serve Flink's web UI on http://localhost:PORT while the job runs on the embedded"
              + " mini-cluster: job graph, back pressure, metrics (PORT default: 8081).")
  Integer webUi;

  /** The target these options (or the top-level {@code --jobmanager}) name. */
  RunTarget target() {
    String jobManagerOrParent = jobManager;
    if (jobManagerOrParent == null
        && command != null
        && command.parent() != null
        && command.parent().userObject() instanceof DataEventsCommand top) {
      jobManagerOrParent = top.jobManager;
    }
    return RunTarget.of(jobManagerOrParent, webUi);
  }
}
