package dev.dataevents.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.streaming.runtime.tasks.ExceptionInChainedOperatorException;

/**
 * Tells a record's fault from the job's. A record that makes this project's code throw is rejected
 * {@code internal_error} and the job goes on: a restart would meet the record again. But an
 * exception that comes back from what receives a function's output is no fault of the record: a
 * sink that cannot write (a full disk, its folder replaced by a file) throws its {@link
 * IOException} through the operators chained before it ({@link
 * ExceptionInChainedOperatorException}), the network stack an {@link UncheckedIOException}.
 * Rejected, such a record would count as accepted and rejected both, and every later record would
 * be rejected the same way while nothing is written. The job must fail instead, and a stream
 * restarts from its last checkpoint.
 */
public final class RecordFaults {
  private RecordFaults() {}

  /**
   * Throws {@code e} again unless it is the record's own fault; call first in a {@code catch} that
   * rejects a record (or skips an output) on a {@link RuntimeException}.
   */
  public static void rethrowIfNotTheRecords(RuntimeException e) {
    if (e instanceof UncheckedIOException
        || (e instanceof ExceptionInChainedOperatorException && causedByInputOutput(e))) {
      throw e;
    }
  }

  /**
   * Whether reading or writing failed under {@code e}. A chained operator of this project's own
   * that throws on the record (a bug of it) is the record's fault as much as the function itself
   * throwing; a sink's file system failing is not.
   */
  private static boolean causedByInputOutput(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof UncheckedIOException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
