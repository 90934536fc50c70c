package dev.dataevents.job;

/** A mistake in how the job was called (a missing input, an existing output): one line, exit 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
