package dev.dataevents.json;

/**
 * Writes one compact JSON value into a {@link StringBuilder}, byte for byte as Jackson's generator
 * writes it with the project's settings (the outputs were written by Jackson before, and stay
 * identical): {@code "} and {@code \} escaped, control characters as {@code \b \t \n \f \r} or
 * {@code \}{@code u00XX}, everything else as is. Jackson's generator, writing through a {@code
 * StringWriter}, was a large part of a backfill's time; this is a plain append.
 *
 * <p>Commas and colons are placed as a generator places them: a value (or a field name) after a
 * value gets a comma first.
 */
public final class JsonBuilder {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** For each ASCII character: 0 as is, -1 as {@code \}{@code u00XX}, else the escape letter. */
  private static final int[] ESCAPES = new int[128];

  static {
    for (int c = 0; c < 32; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private final StringBuilder out;
  private boolean afterValue;

  public JsonBuilder(int capacity) {
    this.out = new StringBuilder(capacity);
  }

  public JsonBuilder startObject() {
    separate();
    out.append('{');
    afterValue = false;
    return this;
  }

  public JsonBuilder endObject() {
    out.append('}');
    afterValue = true;
    return this;
  }

  public JsonBuilder startArray() {
    separate();
    out.append('[');
    afterValue = false;
    return this;
  }

  public JsonBuilder endArray() {
    out.append(']');
    afterValue = true;
    return this;
  }

  /** A field name; its value follows. */
  public JsonBuilder name(String name) {
    separate();
    quoted(name);
    out.append(':');
    afterValue = false;
    return this;
  }

  /** A string; null is written as {@code null}, as Jackson does. */
  public JsonBuilder string(String value) {
    if (value == null) {
      return nullValue();
    }
    separate();
    quoted(value);
    afterValue = true;
    return this;
  }

  /** A string, or {@code null} when there is none. */
  public JsonBuilder stringOrNull(String value) {
    return value == null ? nullValue() : string(value);
  }

  public JsonBuilder number(long value) {
    separate();
    out.append(value);
    afterValue = true;
    return this;
  }

  /** A finite double, as Jackson writes it ({@link Double#toString(double)}). */
  public JsonBuilder number(double value) {
    separate();
    out.append(value);
    afterValue = true;
    return this;
  }

  public JsonBuilder nullValue() {
    separate();
    out.append("null");
    afterValue = true;
    return this;
  }

  /** A value that is valid JSON already (a number's text, an object rendered before). */
  public JsonBuilder raw(CharSequence json) {
    separate();
    out.append(json);
    afterValue = true;
    return this;
  }

  public JsonBuilder field(String name, String value) {
    return name(name).string(value);
  }

  public JsonBuilder field(String name, long value) {
    return name(name).number(value);
  }

  /** A string field, or nothing when there is no value. */
  public JsonBuilder fieldIfPresent(String name, String value) {
    return value == null ? this : name(name).string(value);
  }

  /** A string field, or the field with {@code null}. */
  public JsonBuilder fieldOrNull(String name, String value) {
    return name(name).stringOrNull(value);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void separate() {
    if (afterValue) {
      out.append(',');
    }
  }

  private void quoted(String value) {
    out.append('"');
    int n = value.length();
    int first = firstEscaped(value);
    if (first == n) {
      out.append(value).append('"'); // the common case: one block copy
      return;
    }
    int plain = 0;
    for (int i = first; i < n; i++) {
      char c = value.charAt(i);
      if (c < 128 && ESCAPES[c] != 0) {
        out.append(value, plain, i);
        int escape = ESCAPES[c];
        out.append('\\');
        if (escape < 0) {
          out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        } else {
          out.append((char) escape);
        }
        plain = i + 1;
      }
    }
    out.append(value, plain, n);
    out.append('"');
  }

  private static int firstEscaped(String value) {
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 128 && ESCAPES[c] != 0) {
        return i;
      }
    }
    return n;
  }
}
