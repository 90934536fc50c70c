package dev.dataevents.io;

/**
 * A path the tool will not read or write: a missing input, an output folder that holds something
 * the tool did not write, a checkpoint folder of another stream command. The message is one plain
 * line for a person that names no option; where it is about one, the command line names it.
 */
public class RefusedPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RefusedPathException(String message) {
    super(message);
  }
}
