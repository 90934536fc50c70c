package dev.dataevents.text;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Percent-escapes ({@code %41}) as links and JDBC URLs write characters. */
public final class PercentEncoding {
  private PercentEncoding() {}

  /**
   * {@code text} with its percent-escapes decoded as UTF-8; the text itself when it has none or a
   * malformed one. A {@code +} stays a {@code +} (only form encoding reads it as a space).
   */
  public static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }
}
