package dev.dataevents.validation;

/**
 * A tokens file that cannot be used (unreadable, not JSON, a malformed grant): one line for a
 * person, naming the file and what is wrong, never a token.
 */
public final class TokensFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TokensFileException(String message) {
    super(message);
  }
}
