package dev.dataevents.validation;

import dev.dataevents.json.JsonTreeReader;
import dev.dataevents.model.RejectionReason;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/** The JSON of an input line: a line that is not valid JSON is rejected {@code invalid_json}. */
public final class InputJson {
  private InputJson() {}

  /**
   * Parses one line; a syntax error, a repeated key or nesting deeper than {@link
   * dev.dataevents.json.Json#MAX_NESTING_DEPTH} is {@code invalid_json}.
   */
  public static JsonNode parse(String line) throws RecordRejectedException {
    JsonTreeReader.Reading reading = JsonTreeReader.read(line, null);
    if (reading.error() != null) {
      throw invalid(reading.error());
    }
    return reading.root();
  }

  /** The rejection of a line that is not valid JSON, for the reader's one-line message. */
  static RecordRejectedException invalid(String message) {
    return new RecordRejectedException(RejectionReason.INVALID_JSON, null, message);
  }
}
