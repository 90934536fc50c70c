package dev.dataevents.cli;

/**
 * A mistake in how a command was called (a wrong option, a missing input, an existing output), in
 * one line that names the option: printed without a stack trace, exit 2. Lower layers throw their
 * own exceptions with plain messages; the command line words them.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
