package dev.dataevents.text;

/** String helpers where "characters" means Unicode code points, as the contract counts them. */
public final class Text {
  private static final char REPLACEMENT = '\uFFFD';

  private Text() {}

  public static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** The first {@code max} code points of {@code s}, never splitting a surrogate pair. */
  public static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int count = s.codePointCount(0, s.length());
    if (count <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max));
  }

  /**
   * Replaces unpaired surrogates (which JSON escapes like {@code "\ud800"} can produce) with
   * U+FFFD, so that every output stays valid UTF-8.
   */
  public static String wellFormed(String s) {
    int n = s.length();
    int first = 0;
    while (first < n && !Character.isSurrogate(s.charAt(first))) {
      first++; // the common case: every key and value is checked, few hold a surrogate at all
    }
    if (first == n) {
      return s;
    }
    StringBuilder out = null;
    for (int i = first; i < n; i++) {
      char c = s.charAt(i);
      boolean bad;
      if (Character.isHighSurrogate(c)) {
        bad = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (!bad) {
          if (out != null) {
            out.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        bad = Character.isLowSurrogate(c);
      }
      if (bad && out == null) {
        out = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (out != null) {
        out.append(bad ? REPLACEMENT : c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** Compares strings by Unicode code points (UTF-16 order differs above U+FFFF). */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
