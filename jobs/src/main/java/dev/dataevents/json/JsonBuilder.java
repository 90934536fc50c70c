package dev.dataevents.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one compact JSON value as UTF-8 bytes, byte for byte as Jackson's generator writes it with
 * the project's settings and as the outputs have always been written: {@code "} and {@code \}
 * escaped, control characters as {@code \b \t \n \f \r} or {@code \}{@code u00XX}, everything else
 * as is; a lone surrogate (which UTF-8 cannot hold) as {@code ?}, as Java's UTF-8 encoder writes
 * it. Jackson's generator, writing through a {@code StringWriter}, was a large part of a backfill's
 * time; so was building a {@code String} only to encode it again for the part file. Straight to
 * bytes, a line is encoded once, and UTF-8 text already encoded (kept metadata) is a block copy.
 *
 * <p>Commas and colons are placed as a generator places them: a value (or a field name) after a
 * value gets a comma first.
 */
public final class JsonBuilder {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

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

  /** A reused builder's buffer at the start, and the most it keeps between uses. */
  private static final int SCRATCH_CAPACITY = 1024;

  private static final int SCRATCH_KEPT = 64 * 1024;

  /**
   * Each thread's builder for {@link #borrow}. A new builder per line started small and grew,
   * copying, on most lines; and the growth path, taken often, was compiled into every write of
   * every rendering method (35 copies of {@code Arrays.copyOf} in one listing page's compiled
   * code), which made C2's largest compilations several times larger than the work they do. Flink
   * runs each task on a thread of its own that ends with the task, so a builder does not outlive
   * its job (nor keep its class loader).
   */
  private static final ThreadLocal<JsonBuilder> SCRATCH =
      ThreadLocal.withInitial(() -> new JsonBuilder(SCRATCH_CAPACITY));

  private byte[] buf;
  private int len;
  private boolean afterValue;
  private boolean borrowed;

  public JsonBuilder(int capacity) {
    this.buf = new byte[Math.max(16, capacity)];
  }

  /**
   * This thread's empty builder, to be handed back with {@link #release()} once its bytes are
   * taken; a new one while it is out (a rendering within a rendering).
   */
  public static JsonBuilder borrow() {
    JsonBuilder scratch = SCRATCH.get();
    if (scratch.borrowed) {
      return new JsonBuilder(SCRATCH_CAPACITY);
    }
    scratch.borrowed = true;
    return scratch;
  }

  /** Empties a builder from {@link #borrow()} for its next use; one that grew large shrinks. */
  public void release() {
    len = 0;
    afterValue = false;
    borrowed = false;
    if (buf.length > SCRATCH_KEPT) {
      buf = new byte[SCRATCH_CAPACITY];
    }
  }

  public JsonBuilder startObject() {
    separate();
    put((byte) '{');
    afterValue = false;
    return this;
  }

  public JsonBuilder endObject() {
    put((byte) '}');
    afterValue = true;
    return this;
  }

  public JsonBuilder startArray() {
    separate();
    put((byte) '[');
    afterValue = false;
    return this;
  }

  public JsonBuilder endArray() {
    put((byte) ']');
    afterValue = true;
    return this;
  }

  /**
   * A field name encoded once, with its quotes and colon: the keys of output lines are constants,
   * and copying their bytes is cheaper than escaping and encoding the same text on every line.
   */
  public static final class Name {
    private final byte[] bytes;

    private Name(byte[] bytes) {
      this.bytes = bytes;
    }

    public static Name of(String name) {
      return new Name(new JsonBuilder(name.length() + 3).name(name).toUtf8());
    }
  }

  /** A field name; its value follows. */
  public JsonBuilder name(Name name) {
    separate();
    put(name.bytes, 0, name.bytes.length);
    afterValue = false;
    return this;
  }

  public JsonBuilder field(Name name, String value) {
    return name(name).string(value);
  }

  public JsonBuilder field(Name name, long value) {
    return name(name).number(value);
  }

  /** A string field, or nothing when there is no value. */
  public JsonBuilder fieldIfPresent(Name name, String value) {
    return value == null ? this : name(name).string(value);
  }

  /** A string field, or the field with {@code null}. */
  public JsonBuilder fieldOrNull(Name name, String value) {
    return name(name).stringOrNull(value);
  }

  /** A field name that is not a constant (a metadata key); its value follows. */
  public JsonBuilder name(String name) {
    separate();
    quoted(name);
    put((byte) ':');
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
    digits(value);
    afterValue = true;
    return this;
  }

  /** A finite double, as Jackson writes it ({@link Double#toString(double)}). */
  public JsonBuilder number(double value) {
    separate();
    encoded(Double.toString(value));
    afterValue = true;
    return this;
  }

  public JsonBuilder nullValue() {
    separate();
    put(NULL, 0, NULL.length);
    afterValue = true;
    return this;
  }

  /** A value that is valid JSON already (a number's text, an object rendered before). */
  public JsonBuilder raw(CharSequence json) {
    separate();
    if (json instanceof String text) {
      // The JDK's encoder writes the same bytes (a lone surrogate as '?') without a bounds check
      // per character: a listed event's metadata is hundreds of characters, often not Latin-1.
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      put(utf8, 0, utf8.length);
    } else {
      encoded(json);
    }
    afterValue = true;
    return this;
  }

  /** A value that is valid JSON already, as UTF-8 (an object rendered before): copied as is. */
  public JsonBuilder raw(byte[] utf8) {
    separate();
    put(utf8, 0, utf8.length);
    afterValue = true;
    return this;
  }

  /** What was written, as UTF-8: the bytes of the output line. */
  public byte[] toUtf8() {
    return Arrays.copyOf(buf, len);
  }

  /** What was written, as text (a lone surrogate reads back as {@code ?}). */
  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }

  private void separate() {
    if (afterValue) {
      put((byte) ',');
    }
  }

  private void quoted(String value) {
    int n = value.length();
    // Room for the common case (ASCII, nothing escaped) up front: one check, not one per byte.
    ensure(n + 2);
    byte[] b = buf;
    int at = len;
    b[at++] = '"';
    int i = 0;
    for (; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 128 || ESCAPES[c] != 0) {
        break;
      }
      b[at++] = (byte) c;
    }
    len = at;
    if (i < n) {
      escaped(value, i, n);
    }
    put((byte) '"');
  }

  /** The rest of a string from {@code from}: escapes and characters beyond ASCII. */
  private void escaped(String value, int from, int n) {
    for (int i = from; i < n; i++) {
      char c = value.charAt(i);
      if (c < 128) {
        int escape = ESCAPES[c];
        if (escape == 0) {
          put((byte) c);
        } else if (escape < 0) {
          ensure(6);
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 0xF];
        } else {
          ensure(2);
          buf[len++] = '\\';
          buf[len++] = (byte) escape;
        }
      } else {
        i = nonAscii(value, i, n);
      }
    }
  }

  /** Text written as is, encoded. */
  private void encoded(CharSequence text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 128) {
        put((byte) c);
      } else {
        i = nonAscii(text, i, n);
      }
    }
  }

  /**
   * Encodes the character at {@code i} (not ASCII) and returns the index of its last char: a
   * surrogate pair is one code point of four bytes.
   */
  private int nonAscii(CharSequence text, int i, int n) {
    char c = text.charAt(i);
    ensure(4);
    byte[] b = buf;
    if (c < 0x800) {
      b[len++] = (byte) (0xC0 | (c >> 6));
      b[len++] = (byte) (0x80 | (c & 0x3F));
      return i;
    }
    if (!Character.isSurrogate(c)) {
      b[len++] = (byte) (0xE0 | (c >> 12));
      b[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      b[len++] = (byte) (0x80 | (c & 0x3F));
      return i;
    }
    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
      int cp = Character.toCodePoint(c, text.charAt(i + 1));
      b[len++] = (byte) (0xF0 | (cp >> 18));
      b[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      b[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      b[len++] = (byte) (0x80 | (cp & 0x3F));
      return i + 1;
    }
    b[len++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
    return i;
  }

  private void digits(long value) {
    if (value == Long.MIN_VALUE) {
      put(MIN_LONG, 0, MIN_LONG.length);
      return;
    }
    ensure(20);
    if (value < 0) {
      buf[len++] = '-';
      value = -value;
    }
    int width = 1;
    for (long v = value; v >= 10; v /= 10) {
      width++;
    }
    int at = len + width;
    len = at;
    do {
      buf[--at] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void put(byte[] bytes, int from, int count) {
    ensure(count);
    System.arraycopy(bytes, from, buf, len, count);
    len += count;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      grow(more);
    }
  }

  /** Out of line: rare with a reused builder, and kept out of the compiled code of every write. */
  private void grow(int more) {
    buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
  }
}
