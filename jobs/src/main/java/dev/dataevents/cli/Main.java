package dev.dataevents.cli;

/**
 * Entry point of the job jar, locally ({@code bin/data-events}) and on a cluster ({@code flink run
 * <jar> backfill ...}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (!flinkIsThere()) {
      // The jar leaves Flink out, as a cluster has it: `java -jar` failed with a class not found.
      System.err.println(
          "data-events: this jar holds the jobs but not Flink: submit it with `flink run"
              + " data-events.jar <command> ...` to a Flink cluster, or run bin/data-events"
              + " <command> ... on an embedded one");
      System.exit(1);
    }
    int code = DataEventsCommand.commandLine().execute(args);
    if (ConsoleLogging.isLocal()) {
      // The embedded mini-cluster leaves non-daemon threads behind; a command line tool must end.
      System.exit(code);
    }
    if (code != 0) {
      // Under `flink run` (or in a JobManager) exiting the JVM is not ours to do: fail the
      // program instead, which the Flink client reports with a non-zero exit code.
      throw new IllegalStateException("data-events ended with exit code " + code);
    }
  }

  private static boolean flinkIsThere() {
    try {
      Class.forName(
          "org.apache.flink.core.execution.JobClient", false, Main.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
