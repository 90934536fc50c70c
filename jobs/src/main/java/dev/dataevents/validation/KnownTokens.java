package dev.dataevents.validation;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dataevents.text.Sha256;
import java.io.Serializable;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The tokens of a tokens file, found in any text as words of their own. Only their SHA-256 hashes
 * are known (lower-case hex), so each word of a text is hashed and looked up; a token is cut out of
 * what is shown of a line and of messages wherever it stands, whether the line parses or not.
 */
final class KnownTokens implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The tokens' SHA-256, as lower-case hex. */
  private final HashSet<String> tokenHashes;

  KnownTokens(Set<String> hashes) {
    this.tokenHashes = new HashSet<>(hashes);
  }

  /**
   * {@code text} with every known token that stands in it as a word of its own replaced by {@code
   * [redacted]}. Redaction by position finds only the value of an {@code access_token} key the
   * parser reached; a token also turns up where no such key leads to it: before the key in a line
   * that does not parse, alone on a line of pretty-printed JSON, under another key, pasted into a
   * text. Only hashes are known here, so each word (a run of characters between white space, quotes
   * and JSON's punctuation, also without the full stops or marks that may end a sentence after it)
   * is hashed and looked up, and so is each part of a word between the characters that separate a
   * link's parts ({@code =&?#/@}). A token written with escapes, or run together with other
   * characters, is not found this way.
   */
  String withoutKnownTokens(String text) {
    if (tokenHashes.isEmpty()) {
      return text;
    }
    WordHashes hashes = wordHashes();
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (isWordBreak(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && !isWordBreak(text.charAt(i))) {
        i++;
      }
      int end = knownTokenEnd(hashes, text, start, i);
      if (end > start) {
        out = out == null ? new StringBuilder(n) : out;
        out.append(text, copied, start).append(SecretRedaction.REST);
        copied = end;
        continue;
      }
      // Not a token as a whole: maybe one inside a link's parts (?access_token=TOKEN&...). A
      // word without such breaks is its only part, looked up already.
      int part = start;
      for (int k = start; k <= i; k++) {
        if (k == i || isLinkBreak(text.charAt(k))) {
          int partEnd =
              k > part && !(part == start && k == i) ? knownTokenEnd(hashes, text, part, k) : -1;
          if (partEnd > part) {
            out = out == null ? new StringBuilder(n) : out;
            out.append(text, copied, part).append(SecretRedaction.REST);
            copied = partEnd;
          }
          part = k + 1;
        }
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  /** What separates the parts of a link or a query: a token may stand between two of them. */
  private static final String LINK_BREAKS = "=&?#/@";

  /** What ends a word besides white space: quotes and JSON's punctuation. */
  private static final String WORD_BREAKS = "\"',:;{}[]()<>";

  /**
   * The ASCII characters of {@link #WORD_BREAKS} and {@link #LINK_BREAKS}, and white space, as
   * tables: every character of a line is classified a few times, and a search of the break strings
   * for each was most of the time an {@code --auth} line took.
   */
  private static final boolean[] ASCII_WORD_BREAK = new boolean[128];

  private static final boolean[] ASCII_LINK_BREAK = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_WORD_BREAK[c] = Character.isWhitespace(c) || WORD_BREAKS.indexOf(c) >= 0;
      ASCII_LINK_BREAK[c] = LINK_BREAKS.indexOf(c) >= 0;
    }
  }

  /** Whether any word of {@code text} is a known token (see {@link #withoutKnownTokens}). */
  boolean holdsKnownToken(String text) {
    return withoutKnownTokens(text) != text;
  }

  /**
   * Where the known token that the word [start, end) is ends, or -1: the word itself, or the word
   * without some of the marks that may end a sentence after it ({@code .!?}), the longest first.
   */
  private int knownTokenEnd(WordHashes hashes, String text, int start, int end) {
    int core = end;
    while (core > start + 1 && isSentenceMark(text.charAt(core - 1))) {
      core--;
    }
    return core == end
        ? (hashes.isKnown(text, start, end) ? end : -1)
        : hashes.longestKnown(text, start, core, end);
  }

  private static boolean isSentenceMark(char c) {
    return c == '.' || c == '!' || c == '?';
  }

  /**
   * The first 8 bytes of each known token's SHA-256, sorted: most words are told apart from every
   * token by these, without the digest's hex text and a map lookup.
   */
  private transient long[] prefixes;

  private long[] prefixes() {
    if (prefixes == null) {
      prefixes =
          tokenHashes.stream()
              .mapToLong(hex -> Long.parseUnsignedLong(hex.substring(0, 16), 16))
              .sorted()
              .toArray();
    }
    return prefixes;
  }

  /**
   * This thread's word hasher. A line's every key and value is looked through for tokens, each
   * through its own call here: a digest made for each call (the JDK finds its provider every time)
   * cost more than the hashing.
   */
  private transient ThreadLocal<WordHashes> wordHashes;

  private WordHashes wordHashes() {
    if (wordHashes == null) {
      wordHashes = ThreadLocal.withInitial(WordHashes::new);
    }
    return wordHashes.get();
  }

  /**
   * Hashes the words of a text (dozens a line) without a byte array for each, and each word once:
   * SHA-256 of each word was most of the time an {@code --auth} line took. A line's keys and values
   * are looked through one by one, then the line as shown, then the record's normalised fields, and
   * most of their words are the same; and keys, workspaces, event names and many values recur from
   * line to line.
   */
  private final class WordHashes {
    /** Past this many, the words remembered are dropped and remembered afresh. */
    private static final int REMEMBERED_WORDS = 1 << 14;

    /**
     * Longer words are hashed each time, never remembered: what recurs is short (keys, names,
     * identifiers), and remembering long ones (encoded blobs, a hostile line's one huge word) would
     * hold megabytes per thread.
     */
    private static final int REMEMBERED_WORD_CHARS = 256;

    private final MessageDigest digest = Sha256.digest();
    private final byte[] sum = new byte[32];
    private byte[] bytes = new byte[128];

    /**
     * Short words found to be no known token, kept from line to line: never a known token, and the
     * line's own token only when the line does not name it by its key (a text holding a copy of a
     * named token is found by that copy first, see {@code SecretRedaction#contains}). This
     * process's memory only: nothing here reaches an output, a log, state or a checkpoint.
     */
    private HashSet<String> notTokens = new HashSet<>();

    private long rememberedChars;

    boolean isKnown(String text, int start, int end) {
      if (end - start > REMEMBERED_WORD_CHARS) {
        update(text, start, end);
        return finishIsKnown(digest);
      }
      String word = text.substring(start, end);
      if (notTokens.contains(word)) {
        return false;
      }
      update(text, start, end);
      boolean known = finishIsKnown(digest);
      if (!known) {
        if (notTokens.size() >= REMEMBERED_WORDS) {
          notTokens = new HashSet<>();
          rememberedChars = 0;
        }
        notTokens.add(word);
        rememberedChars += word.length();
      }
      return known;
    }

    /**
     * The largest {@code e} in [{@code core}, {@code end}] for which [{@code start}, {@code e}) is
     * a known token, or -1; the characters from {@code core} on are ASCII marks. One pass: the hash
     * of the core is extended a mark at a time (a copy of the digest finishes each form), so a word
     * ending in a run of marks costs its length, not its length times the run's.
     */
    int longestKnown(String text, int start, int core, int end) {
      update(text, start, core);
      int found = -1;
      for (int e = core; ; e++) {
        MessageDigest form;
        try {
          form = (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException ex) {
          throw new IllegalStateException("the JDK's SHA-256 can be copied", ex);
        }
        if (finishIsKnown(form)) {
          found = e;
        }
        if (e == end) {
          digest.reset();
          return found;
        }
        digest.update((byte) text.charAt(e));
      }
    }

    /** Feeds the UTF-8 of [start, end) to the digest (an unpaired surrogate as '?'). */
    private void update(String text, int start, int end) {
      int n = 0;
      for (int i = start; i < end && n >= 0; i++) {
        char c = text.charAt(i);
        if (c >= 0x80) {
          n = -1; // not ASCII: encoded as a whole below
        } else {
          if (n == bytes.length) {
            bytes = Arrays.copyOf(bytes, 2 * n);
          }
          bytes[n++] = (byte) c;
        }
      }
      if (n >= 0) {
        digest.update(bytes, 0, n);
      } else {
        digest.update(text.substring(start, end).getBytes(UTF_8));
      }
      if (bytes.length > 4096) {
        bytes = new byte[128]; // a long word's buffer is not kept for the next
      }
    }

    /** Finishes {@code digest} (which is reset) and looks its sum up. */
    private boolean finishIsKnown(MessageDigest digest) {
      try {
        digest.digest(sum, 0, sum.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 is 32 bytes", e);
      }
      return Arrays.binarySearch(prefixes(), Sha256.first8Bytes(sum)) >= 0
          && tokenHashes.contains(HexFormat.of().formatHex(sum));
    }
  }

  /** The characters of the words this thread remembers (for tests of its bounds). */
  long rememberedChars() {
    return wordHashes().rememberedChars;
  }

  static boolean isWordBreak(char c) {
    return c < 128 ? ASCII_WORD_BREAK[c] : Character.isWhitespace(c);
  }

  private static boolean isLinkBreak(char c) {
    return c < 128 && ASCII_LINK_BREAK[c];
  }
}
