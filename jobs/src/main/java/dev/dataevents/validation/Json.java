package dev.dataevents.validation;

import dev.dataevents.model.RejectionReason;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.StreamReadConstraints;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.StreamReadFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON reader of the project. Jackson's tree keeps object keys in the order they were sent
 * (truncation to the first keys depends on it), tells integers from floats, and with strict
 * duplicate detection refuses {@code {"a":1,"a":2}}. Flink's shaded Jackson is used so the job jar
 * brings no Jackson of its own to a cluster.
 */
public final class Json {
  private static final ObjectMapper MAPPER = createMapper();

  private static ObjectMapper createMapper() {
    // A line is bounded by --max-line-bytes already; Jackson's own limits on number length,
    // nesting and name length would turn valid (if odd) lines into invalid_json.
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            // Huge integers (a created_at of a thousand digits) parse in sub-quadratic time.
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .build();
    return JsonMapper.builder(factory)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses one line; a syntax error (or a repeated key) is {@code invalid_json}. */
  public static JsonNode parse(String line) throws RecordRejectedException {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node == null || node.isMissingNode()) {
        throw new RecordRejectedException(
            RejectionReason.INVALID_JSON, null, "the line holds no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RecordRejectedException(
          RejectionReason.INVALID_JSON, null, "invalid JSON: " + describe(e));
    }
  }

  /**
   * A field's value, or null when it is absent or JSON {@code null} (the contract treats both
   * alike).
   */
  public static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    if (e.getLocation() != null && e.getLocation().getColumnNr() > 0) {
      first = first + " at column " + e.getLocation().getColumnNr();
    }
    return Text.wellFormed(first);
  }
}
