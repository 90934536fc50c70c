package dev.dataevents.io;

/**
 * An output folder that exists and holds an earlier output, refused because replacing it was not
 * asked for; the command line says how to ask.
 */
public final class OutputNotEmptyException extends RefusedPathException {
  private static final long serialVersionUID = 1L;

  public OutputNotEmptyException(String message) {
    super(message);
  }
}
