package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.INVALID_METADATA;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_KEY;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_VALUE;

import dev.dataevents.json.Json;
import dev.dataevents.json.JsonBuilder;
import dev.dataevents.json.JsonBuilder.Name;
import dev.dataevents.json.LargeIntegerNode;
import dev.dataevents.text.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The metadata rules, in the contract's order: ignore null values, ignore later keys equal but for
 * case, keep the first N in sent order, then validate what is kept and cut long strings.
 */
public final class MetadataRules {
  public static final int MAX_KEY_LENGTH = 255;
  public static final int MAX_STRING_LENGTH = 255;

  private static final String FORBIDDEN_KEY_CHARACTERS = ".$~`!@#%^&*'\"{}|\\\0";

  /**
   * {@link #FORBIDDEN_KEY_CHARACTERS} as a table: every kept key's every character is looked up.
   */
  private static final boolean[] FORBIDDEN_IN_KEYS = new boolean[128];

  private static final Name URL = Name.of("url");
  private static final Name VALUE = Name.of("value");
  private static final Name AMOUNT = Name.of("amount");
  private static final Name CURRENCY = Name.of("currency");

  static {
    for (char c : FORBIDDEN_KEY_CHARACTERS.toCharArray()) {
      FORBIDDEN_IN_KEYS[c] = true;
    }
  }

  private MetadataRules() {}

  /**
   * What an event keeps of its metadata.
   *
   * @param utf8 the kept keys and values as a JSON object in UTF-8, or null when nothing is kept
   * @param keysDropped keys ignored by case folding or truncation
   * @param valuesTruncated string values cut to 255 characters
   */
  public record KeptMetadata(byte[] utf8, int keysDropped, int valuesTruncated) {
    static final KeptMetadata NONE = new KeptMetadata(null, 0, 0);

    /** The kept keys and values as JSON text, or null when nothing is kept. */
    public String json() {
      return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }
  }

  /** Applies the rules to an event's {@code metadata} value (null when absent). */
  public static KeptMetadata keep(JsonNode metadata, int maxKeys) throws RecordRejectedException {
    if (metadata == null) {
      return KeptMetadata.NONE;
    }
    checkObject(metadata);
    Selection selection = new Selection(maxKeys);
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isNull() && selection.offer(entry.getKey())) {
        selection.value(entry.getValue());
      }
    }
    return selection.validate();
  }

  /** A {@code metadata} value that is not an object is {@code invalid_metadata}. */
  static void checkObject(JsonNode metadata) throws RecordRejectedException {
    if (!metadata.isObject()) {
      throw new RecordRejectedException(
          INVALID_METADATA,
          "metadata",
          "metadata must be an object, not " + FieldRules.describe(metadata));
    }
  }

  /**
   * Rules 1-3 applied as the keys of one metadata object go by, in the order they were sent: which
   * keys are kept (and so whose values are needed at all), and how many were ignored. The caller
   * skips null values (rule 1), offers each other key, and gives the value of each kept one.
   */
  static final class Selection {
    private int maxKeys;
    private final List<String> keys = new ArrayList<>();
    private final List<String> folded = new ArrayList<>();
    private final List<JsonNode> values = new ArrayList<>();
    private Set<String> foldedSet;
    private int dropped;

    Selection(int maxKeys) {
      this.maxKeys = maxKeys;
    }

    /**
     * This selection emptied for the next event's metadata: a backfill selects keys for millions of
     * events, and three new lists for each (grown on their first key) were a twentieth of parsing.
     */
    Selection reset(int maxKeys) {
      this.maxKeys = maxKeys;
      keys.clear();
      folded.clear();
      values.clear();
      foldedSet = null;
      dropped = 0;
      return this;
    }

    /**
     * The next key whose value is not null; true when it is kept, and its value must follow through
     * {@link #value}.
     */
    boolean offer(String sentKey) {
      if (keys.size() >= maxKeys) {
        // Every later key is ignored, a repeat or not.
        dropped++;
        return false;
      }
      // Compare keys as they will be written: unpaired surrogates already replaced.
      String key = Text.wellFormed(sentKey);
      String fold = fold(key);
      if (seen(fold)) {
        dropped++;
        return false;
      }
      keys.add(key);
      folded.add(fold);
      if (foldedSet != null) {
        foldedSet.add(fold);
      }
      return true;
    }

    void value(JsonNode value) {
      values.add(value);
    }

    /** A few keys are compared one by one; many (a raised --max-metadata-keys) through a set. */
    private boolean seen(String fold) {
      if (foldedSet == null && folded.size() > 16) {
        foldedSet = new HashSet<>(folded);
      }
      return foldedSet != null ? foldedSet.contains(fold) : folded.contains(fold);
    }

    /** Rule 4: checks the kept keys, then their values in order, and writes what is kept. */
    KeptMetadata validate() throws RecordRejectedException {
      if (keys.isEmpty()) {
        return dropped == 0 ? KeptMetadata.NONE : new KeptMetadata(null, dropped, 0);
      }
      // The key rule comes before the value rule (the contract's order of rules): every kept key
      // is checked before any value.
      for (String key : keys) {
        checkKey(key);
      }
      int truncated = 0;
      JsonBuilder json = JsonBuilder.borrow();
      try {
        json.startObject();
        for (int i = 0; i < keys.size(); i++) {
          String key = keys.get(i);
          json.name(key);
          truncated += writeValue(key, values.get(i), json);
        }
        json.endObject();
        return new KeptMetadata(json.toUtf8(), dropped, truncated);
      } finally {
        json.release();
      }
    }
  }

  /**
   * Case folding for key comparison: lower, upper, then lower again folds "ß", "ẞ" (U+1E9E, whose
   * upper case is itself) and "SS" together, as Unicode's full case folding does.
   */
  static String fold(String key) {
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) >= 0x80) {
        return key.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
      }
    }
    return key.toLowerCase(Locale.ROOT); // the same for ASCII, one copy fewer
  }

  private static void checkKey(String key) throws RecordRejectedException {
    int length = Text.length(key);
    if (length < 1 || length > MAX_KEY_LENGTH) {
      throw new RecordRejectedException(
          INVALID_METADATA_KEY,
          "metadata." + key,
          "metadata keys must be 1-" + MAX_KEY_LENGTH + " characters, not " + length);
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 128 && FORBIDDEN_IN_KEYS[c]) {
        throw new RecordRejectedException(
            INVALID_METADATA_KEY,
            "metadata." + key,
            "metadata key must not contain "
                + (c == 0 ? "NUL" : "'" + c + "'")
                + " (nor any of . $ ~ ` ! @ # % ^ & * ' \" { } | \\)");
      }
    }
  }

  /** Validates and writes one kept value; returns 1 when a string was truncated. */
  private static int writeValue(String key, JsonNode value, JsonBuilder out)
      throws RecordRejectedException {
    if (endsWithDate(key)) {
      if (!Json.isLong(value)
          || value.longValue() <= 0
          || value.longValue() >= FieldRules.MILLISECONDS_THRESHOLD) {
        throw invalidValue(
            key, "a _date key needs an integer of Unix seconds, 0 < value < 100000000000");
      }
      out.number(value.longValue());
      return 0;
    }
    if (value.isNumber()) {
      if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
        throw invalidValue(key, "a number must be finite");
      }
      writeNumber(value, out);
      return 0;
    }
    if (value.isTextual()) {
      // A Link or, failing its rule, "any other string": a String. No string is invalid (but under
      // a _date key), and both are cut to their first 255 characters. A Link cut inside a
      // percent-escape is no longer a URI, so read again it is a String, kept as it is.
      String text = Text.wellFormed(value.textValue());
      String kept = Text.truncate(text, MAX_STRING_LENGTH);
      out.string(kept);
      return kept.length() == text.length() ? 0 : 1;
    }
    if (value.isObject() && hasExactly(value, "url", "value")) {
      JsonNode url = value.get("url");
      JsonNode label = value.get("value");
      if (!url.isTextual() || !isHttpUri(url.textValue()) || !label.isTextual()) {
        throw invalidValue(key, "a rich link needs url (an http(s) URI) and value (a string)");
      }
      out.startObject()
          .field(URL, Text.wellFormed(url.textValue()))
          .field(VALUE, Text.wellFormed(label.textValue()))
          .endObject();
      return 0;
    }
    if (value.isObject() && hasExactly(value, "amount", "currency")) {
      JsonNode amount = value.get("amount");
      JsonNode currency = value.get("currency");
      // An integer >= 0 of any size: the contract sets no upper bound, and one beyond 64 bits
      // is written back as sent, as a Number is (its sign read from its text, never converted).
      if (!amount.isIntegralNumber()
          || (amount.canConvertToLong() ? amount.longValue() < 0 : amount.asText().startsWith("-"))
          || !currency.isTextual()
          || !isCurrencyCode(currency.textValue())) {
        throw invalidValue(
            key,
            "a monetary amount needs amount (an integer >= 0, in cents) and currency (an ISO 4217 code)");
      }
      out.startObject().name(AMOUNT);
      writeNumber(amount, out);
      out.field(CURRENCY, currency.textValue()).endObject();
      return 0;
    }
    throw invalidValue(
        key,
        "metadata values must be a string, number, Unix date, link, rich link or monetary amount, not "
            + FieldRules.describe(value));
  }

  /**
   * A Number as it was read: an integer as its digits (beyond 64 bits the text it was sent as, a
   * {@link LargeIntegerNode}), a fraction as Java (and Jackson) print a double.
   */
  private static void writeNumber(JsonNode value, JsonBuilder out) {
    if (value instanceof LargeIntegerNode) {
      out.raw(value.asText());
    } else if (value.isIntegralNumber()) {
      out.number(value.longValue());
    } else {
      out.number(value.doubleValue());
    }
  }

  /** The rejection of a kept key's value; its field is built only then (most values are good). */
  private static RecordRejectedException invalidValue(String key, String message) {
    return new RecordRejectedException(INVALID_METADATA_VALUE, "metadata." + key, message);
  }

  /**
   * Whether a key ends with {@code _date} in any case, as {@code key.toLowerCase(Locale.ROOT)
   * .endsWith("_date")} says without copying the key: no character but these five lower-cases to
   * one of them, and none of them lower-cases to more than one character.
   */
  static boolean endsWithDate(String key) {
    int n = key.length();
    if (n < 5) {
      return false;
    }
    for (int i = 0; i < 5; i++) {
      if (Character.toLowerCase(key.charAt(n - 5 + i)) != "_date".charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasExactly(JsonNode object, String a, String b) {
    return object.size() == 2 && object.has(a) && object.has(b);
  }

  private static boolean looksLikeLink(String text) {
    // Most values do not begin with an h (nothing but 'h' and 'H' matches it ignoring case): one
    // comparison before the case-insensitive matches, which look up every character's case.
    if (text.length() < 7 || (text.charAt(0) | 0x20) != 'h') {
      return false;
    }
    return text.regionMatches(true, 0, "http://", 0, 7)
        || text.regionMatches(true, 0, "https://", 0, 8);
  }

  /** An absolute http or https URI with a host. */
  public static boolean isHttpUri(String text) {
    if (!looksLikeLink(text)) {
      return false;
    }
    if (isPlainHttpUri(text)) {
      return true;
    }
    try {
      URI uri = new URI(text);
      // java.net.URI finds no host in names with '_', which RFC 3986 allows: take the authority
      // (less user info and port) as the host then. A port is digits: what is left with a ':' is
      // no host.
      String host = uri.getHost();
      if (host == null && uri.getRawAuthority() != null) {
        host = uri.getRawAuthority().replaceFirst("^[^@]*@", "").replaceFirst(":\\d*$", "");
        if (host.indexOf(':') >= 0) {
          return false;
        }
      }
      return uri.isAbsolute() && host != null && !host.isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * The common link, {@code http(s)://host.name/path?a=b}, told from its characters alone, without
   * {@link URI}'s parser (a backfill checks millions of links). Only text that {@link URI} surely
   * takes as absolute with a host passes: a host of dot-separated labels of letters, digits and
   * inner hyphens whose last label starts with a letter, no port, and a path and query of
   * unreserved characters, {@code /}, {@code =} and {@code &}. Anything else goes to the parser.
   */
  static boolean isPlainHttpUri(String text) {
    int n = text.length();
    int i = text.charAt(4) == ':' ? 7 : 8; // looksLikeLink: "http://" or "https://"
    int labelStart = i;
    int lastLabelStart = i;
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c == '.') {
        if (i == labelStart || text.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
        lastLabelStart = labelStart;
      } else if (c == '/' || c == '?') {
        break;
      } else if (c == '-') {
        if (i == labelStart) {
          return false;
        }
      } else if (!isAsciiLetterOrDigit(c)) {
        return false;
      }
    }
    int hostEnd = i;
    if (hostEnd == labelStart
        || text.charAt(hostEnd - 1) == '-'
        || !isAsciiLetter(text.charAt(lastLabelStart))) {
      return false; // an empty or trailing label, or a last label starting with a digit
    }
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 128 || !PLAIN_PATH[c]) {
        return false;
      }
    }
    return true;
  }

  /** What a plain link's path and query may hold: ASCII letters, digits and {@code -._~/?=&}. */
  private static final boolean[] PLAIN_PATH = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      PLAIN_PATH[c] = isAsciiLetterOrDigit(c) || "-._~/?=&".indexOf(c) >= 0;
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
  }

  /** An ISO 4217 code, in any case, as the JDK's currency table knows them. */
  public static boolean isCurrencyCode(String code) {
    if (code.length() != 3) {
      return false;
    }
    // ASCII letters only: Java upper-cases some other letters into ASCII (the dotless i to I, the
    // long s to S), which would make "ınr" the code INR.
    for (int i = 0; i < 3; i++) {
      if (!isAsciiLetter(code.charAt(i))) {
        return false;
      }
    }
    try {
      Currency.getInstance(code.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
