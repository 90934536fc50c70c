package dev.dataevents.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-escapes ({@code %41}) as links and JDBC URLs write characters. */
public final class PercentEncoding {
  private PercentEncoding() {}

  /**
   * {@code text} with each valid percent-escape decoded (a run of them as UTF-8, as links encode
   * characters); a malformed one ({@code %zz}, a cut {@code %4}, a stray {@code %}) stays as
   * written, and so does everything else, {@code +} included (only form encoding reads it as a
   * space). The text itself when it has no escape.
   */
  public static String decode(String text) {
    int first = text.indexOf('%');
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = first;
    while (i < text.length()) {
      int value = escapeAt(text, i);
      if (value >= 0) {
        bytes.write(value);
        i += 3;
        continue;
      }
      if (bytes.size() > 0) {
        out.append(bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
      }
      out.append(text.charAt(i++));
    }
    if (bytes.size() > 0) {
      out.append(bytes.toString(StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /** The byte that a valid escape at {@code i} stands for, or -1. */
  private static int escapeAt(String text, int i) {
    if (text.charAt(i) != '%' || i + 2 >= text.length()) {
      return -1;
    }
    int hi = hexDigit(text.charAt(i + 1));
    int lo = hexDigit(text.charAt(i + 2));
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
  }

  /** An ASCII hex digit's value (Character.digit also takes other scripts' digits), or -1. */
  private static int hexDigit(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
  }
}
