package dev.dataevents.json;

import dev.dataevents.text.Text;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.StreamReadConstraints;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.StreamReadFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the project. Input lines are read by {@link JsonTreeReader} into
 * Jackson's tree, which keeps object keys in the order they were sent (truncation to the first keys
 * depends on it) and tells integers from floats; strict duplicate detection refuses {@code
 * {"a":1,"a":2}}. Flink's shaded Jackson is used so the job jar brings no Jackson of its own to a
 * cluster.
 */
public final class Json {
  /**
   * Deepest nesting of arrays and objects in a line, the line's own object counted. Deeper is
   * {@code invalid_json}: a line of a mebibyte of {@code [} would otherwise be a million nodes.
   */
  public static final int MAX_NESTING_DEPTH = 1000;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          // A line is bounded by --max-line-bytes already; Jackson's own limits on the length of
          // numbers, strings and names would turn valid (if odd) lines into invalid_json. Numbers
          // are never converted beyond 64 bits (see JsonTreeReader), so their length costs
          // nothing but reading them.
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNumberLength(Integer.MAX_VALUE)
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNameLength(Integer.MAX_VALUE)
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          // The mapper (outputs read back, e.g. a listing with a metadata Number of a million
          // digits) converts huge integers in sub-quadratic time.
          .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** For the project's own files (tokens, reports) and for writing JSON. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  static JsonFactory factory() {
    return FACTORY;
  }

  /**
   * A field's value, or null when it is absent or JSON {@code null} (the contract treats both
   * alike).
   */
  public static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /**
   * An integer that fits in 64 bits; anything larger is kept as text ({@link LargeIntegerNode}).
   */
  public static boolean isLong(JsonNode value) {
    return value.isIntegralNumber() && value.canConvertToLong();
  }

  private static final java.util.regex.Pattern JACKSON_LOCATION =
      java.util.regex.Pattern.compile("\\[Source: [^\\]]*?; line: \\d+, column: (\\d+)\\]");

  /** The one-line message of a parse error: Jackson's first line and the column. */
  static String describe(JsonProcessingException e, int column) {
    String first;
    if (e instanceof StreamConstraintsException
        && e.getOriginalMessage().contains("nesting depth")) {
      first = "arrays and objects nested deeper than " + MAX_NESTING_DEPTH + " levels";
    } else {
      String message = e.getOriginalMessage();
      int newline = message.indexOf('\n');
      first = newline < 0 ? message : message.substring(0, newline);
      // Jackson names a location inside its message as "[Source: REDACTED (...); line: 1,
      // column: 5]": of a one-line input only the column tells the user anything.
      first = JACKSON_LOCATION.matcher(first).replaceAll("column $1");
    }
    if (column > 0) {
      first = first + " at column " + column;
    }
    return "invalid JSON: " + Text.wellFormed(first);
  }
}
