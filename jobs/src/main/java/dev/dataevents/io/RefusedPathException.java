package dev.dataevents.io;

/**
 * A path the tool will not read or write: a missing input, an output folder that holds something
 * the tool did not write. The message is one plain line for a person; where it is about an option,
 * the command line names the option.
 */
public final class RefusedPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RefusedPathException(String message) {
    super(message);
  }
}
