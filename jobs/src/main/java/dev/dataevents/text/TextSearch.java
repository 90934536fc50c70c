package dev.dataevents.text;

/**
 * Finds one text in others in linear time (Knuth-Morris-Pratt). {@link String#indexOf} compares
 * naively: a token of half a mebibyte looked for in a line of a mebibyte could take 10^11 steps.
 */
public final class TextSearch {
  private final String pattern;
  private final int[] fallback;

  public TextSearch(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("nothing to search for");
    }
    this.pattern = pattern;
    this.fallback = new int[pattern.length()];
    int k = 0;
    for (int i = 1; i < pattern.length(); i++) {
      while (k > 0 && pattern.charAt(i) != pattern.charAt(k)) {
        k = fallback[k - 1];
      }
      if (pattern.charAt(i) == pattern.charAt(k)) {
        k++;
      }
      fallback[i] = k;
    }
  }

  /** Where the pattern first occurs in {@code text} at or after {@code from}, or -1. */
  public int indexIn(String text, int from) {
    int k = 0;
    for (int i = from; i < text.length(); i++) {
      while (k > 0 && text.charAt(i) != pattern.charAt(k)) {
        k = fallback[k - 1];
      }
      if (text.charAt(i) == pattern.charAt(k)) {
        k++;
      }
      if (k == pattern.length()) {
        return i - k + 1;
      }
    }
    return -1;
  }

  public boolean isIn(String text) {
    return text.length() >= pattern.length() && indexIn(text, 0) >= 0;
  }

  /** {@code text} with every occurrence of the pattern replaced, left to right. */
  public String replaceIn(String text, String replacement) {
    int at = text.length() >= pattern.length() ? indexIn(text, 0) : -1;
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (at >= 0) {
      out.append(text, copied, at).append(replacement);
      copied = at + pattern.length();
      at = indexIn(text, copied);
    }
    return out.append(text, copied, text.length()).toString();
  }
}
