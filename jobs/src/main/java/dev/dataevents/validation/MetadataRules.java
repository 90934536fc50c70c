package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.INVALID_METADATA;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_KEY;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_VALUE;

import dev.dataevents.json.Json;
import dev.dataevents.text.Text;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The metadata rules, in the contract's order: ignore null values, ignore later keys equal but for
 * case, keep the first N in sent order, then validate what is kept and cut long strings.
 */
public final class MetadataRules {
  public static final int MAX_KEY_LENGTH = 255;
  public static final int MAX_STRING_LENGTH = 255;

  private static final String FORBIDDEN_KEY_CHARACTERS = ".$~`!@#%^&*'\"{}|\\\0";

  private MetadataRules() {}

  /**
   * What an event keeps of its metadata.
   *
   * @param json the kept keys and values as a JSON object, or null when nothing is kept
   * @param keysDropped keys ignored by case folding or truncation
   * @param valuesTruncated string values cut to 255 characters
   */
  public record KeptMetadata(String json, int keysDropped, int valuesTruncated) {
    static final KeptMetadata NONE = new KeptMetadata(null, 0, 0);
  }

  /** Applies the rules to an event's {@code metadata} value (null when absent). */
  public static KeptMetadata keep(JsonNode metadata, int maxKeys) throws RecordRejectedException {
    if (metadata == null) {
      return KeptMetadata.NONE;
    }
    if (!metadata.isObject()) {
      throw new RecordRejectedException(
          INVALID_METADATA,
          "metadata",
          "metadata must be an object, not " + FieldRules.describe(metadata));
    }
    List<Map.Entry<String, JsonNode>> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int dropped = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getValue().isNull()) {
        continue;
      }
      // Compare keys as they will be written: unpaired surrogates already replaced.
      String key = Text.wellFormed(entry.getKey());
      if (!seen.add(fold(key)) || kept.size() >= maxKeys) {
        dropped++;
        continue;
      }
      kept.add(Map.entry(key, entry.getValue()));
    }
    if (kept.isEmpty()) {
      return new KeptMetadata(null, dropped, 0);
    }
    int truncated = 0;
    StringWriter json = new StringWriter();
    // The key rule comes before the value rule (the contract's order of rules): every kept key
    // is checked before any value.
    for (Map.Entry<String, JsonNode> entry : kept) {
      checkKey(entry.getKey());
    }
    try (JsonGenerator out = Json.mapper().getFactory().createGenerator(json)) {
      out.writeStartObject();
      for (Map.Entry<String, JsonNode> entry : kept) {
        String key = entry.getKey();
        out.writeFieldName(key);
        truncated += writeValue(key, entry.getValue(), out);
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KeptMetadata(json.toString(), dropped, truncated);
  }

  /** Case folding for key comparison; upper then lower folds e.g. "ß" and "SS" together. */
  static String fold(String key) {
    return key.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
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
      if (FORBIDDEN_KEY_CHARACTERS.indexOf(c) >= 0) {
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
  private static int writeValue(String key, JsonNode value, JsonGenerator out)
      throws RecordRejectedException, IOException {
    String field = "metadata." + key;
    if (key.toLowerCase(Locale.ROOT).endsWith("_date")) {
      if (!Json.isLong(value)
          || value.longValue() <= 0
          || value.longValue() >= FieldRules.MILLISECONDS_THRESHOLD) {
        throw invalidValue(
            field, "a _date key needs an integer of Unix seconds, 0 < value < 100000000000");
      }
      out.writeNumber(value.longValue());
      return 0;
    }
    if (value.isNumber()) {
      if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
        throw invalidValue(field, "a number must be finite");
      }
      // An integer beyond 64 bits is written back as the text it was sent as (LargeIntegerNode).
      out.writeTree(value);
      return 0;
    }
    if (value.isTextual()) {
      String text = Text.wellFormed(value.textValue());
      if (looksLikeLink(text) && !isHttpUri(text)) {
        throw invalidValue(field, "a link must be an absolute http(s) URI with a host");
      }
      String kept = Text.truncate(text, MAX_STRING_LENGTH);
      if (kept.length() != text.length() && looksLikeLink(text)) {
        kept = withoutPartialEscape(kept);
      }
      out.writeString(kept);
      return kept.length() == text.length() ? 0 : 1;
    }
    if (value.isObject() && hasExactly(value, "url", "value")) {
      JsonNode url = value.get("url");
      JsonNode label = value.get("value");
      if (!url.isTextual() || !isHttpUri(url.textValue()) || !label.isTextual()) {
        throw invalidValue(field, "a rich link needs url (an http(s) URI) and value (a string)");
      }
      out.writeStartObject();
      out.writeStringField("url", Text.wellFormed(url.textValue()));
      out.writeStringField("value", Text.wellFormed(label.textValue()));
      out.writeEndObject();
      return 0;
    }
    if (value.isObject() && hasExactly(value, "amount", "currency")) {
      JsonNode amount = value.get("amount");
      JsonNode currency = value.get("currency");
      if (!Json.isLong(amount)
          || amount.longValue() < 0
          || !currency.isTextual()
          || !isCurrencyCode(currency.textValue())) {
        throw invalidValue(
            field,
            "a monetary amount needs amount (an integer >= 0, in cents) and currency (an ISO 4217 code)");
      }
      out.writeStartObject();
      out.writeNumberField("amount", amount.longValue());
      out.writeStringField("currency", currency.textValue());
      out.writeEndObject();
      return 0;
    }
    throw invalidValue(
        field,
        "metadata values must be a string, number, Unix date, link, rich link or monetary amount, not "
            + FieldRules.describe(value));
  }

  /**
   * A Link cut inside a percent-escape ({@code ...%4}) would no longer parse as a URI, and the
   * accepted event would not be valid input again: the partial escape is dropped too.
   */
  static String withoutPartialEscape(String link) {
    int n = link.length();
    if (n >= 1 && link.charAt(n - 1) == '%') {
      return link.substring(0, n - 1);
    }
    if (n >= 2 && link.charAt(n - 2) == '%') {
      return link.substring(0, n - 2);
    }
    return link;
  }

  private static RecordRejectedException invalidValue(String field, String message) {
    return new RecordRejectedException(INVALID_METADATA_VALUE, field, message);
  }

  private static boolean hasExactly(JsonNode object, String a, String b) {
    return object.size() == 2 && object.has(a) && object.has(b);
  }

  private static boolean looksLikeLink(String text) {
    return text.regionMatches(true, 0, "http://", 0, 7)
        || text.regionMatches(true, 0, "https://", 0, 8);
  }

  /** An absolute http or https URI with a host. */
  public static boolean isHttpUri(String text) {
    if (!looksLikeLink(text)) {
      return false;
    }
    try {
      URI uri = new URI(text);
      // java.net.URI finds no host in names with '_', which RFC 3986 allows: take the authority
      // (less user info and port) as the host then.
      String host = uri.getHost();
      if (host == null && uri.getRawAuthority() != null) {
        host = uri.getRawAuthority().replaceFirst("^[^@]*@", "").replaceFirst(":\\d*$", "");
      }
      return uri.isAbsolute() && host != null && !host.isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** An ISO 4217 code, in any case, as the JDK's currency table knows them. */
  public static boolean isCurrencyCode(String code) {
    if (code.length() != 3) {
      return false;
    }
    try {
      Currency.getInstance(code.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
