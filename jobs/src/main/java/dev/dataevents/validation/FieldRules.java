package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.CREATED_AT_IN_FUTURE;
import static dev.dataevents.model.RejectionReason.CREATED_AT_IN_MILLISECONDS;
import static dev.dataevents.model.RejectionReason.INVALID_CREATED_AT;
import static dev.dataevents.model.RejectionReason.INVALID_EVENT_NAME;
import static dev.dataevents.model.RejectionReason.INVALID_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.INVALID_WORKSPACE_ID;
import static dev.dataevents.model.RejectionReason.MISSING_CREATED_AT;
import static dev.dataevents.model.RejectionReason.MISSING_EVENT_NAME;
import static dev.dataevents.model.RejectionReason.MISSING_IDENTIFIER;

import dev.dataevents.json.Json;
import dev.dataevents.json.LargeIntegerNode;
import dev.dataevents.model.Identifiers;
import dev.dataevents.text.Text;
import java.util.Locale;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-field rules of the input table, shared by events, imported summaries and the contacts
 * directory. Each returns the normalised value or throws for the first broken rule.
 */
public final class FieldRules {
  /** From here on a timestamp looks like milliseconds (year 5138 in seconds). */
  public static final long MILLISECONDS_THRESHOLD = 100_000_000_000L;

  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_IDENTIFIER_LENGTH = 255;

  private static final int MAX_WORKSPACE_ID_LENGTH = 64;

  private FieldRules() {}

  public static boolean isValidWorkspaceId(String workspaceId) {
    // [A-Za-z0-9_-]{1,64}, checked on every line: a loop rather than a regex matcher.
    if (workspaceId == null
        || workspaceId.isEmpty()
        || workspaceId.length() > MAX_WORKSPACE_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < workspaceId.length(); i++) {
      char c = workspaceId.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /** {@code workspace_id}: optional, else the default; 1-64 of {@code [A-Za-z0-9_-]}. */
  public static String workspaceId(JsonNode object, String defaultWorkspace)
      throws RecordRejectedException {
    return workspaceIdValue(Json.field(object, "workspace_id"), defaultWorkspace);
  }

  /** The same rule for the field's value (null when absent). */
  static String workspaceIdValue(JsonNode value, String defaultWorkspace)
      throws RecordRejectedException {
    if (value == null) {
      return defaultWorkspace;
    }
    if (!value.isTextual() || !isValidWorkspaceId(value.textValue())) {
      throw new RecordRejectedException(
          INVALID_WORKSPACE_ID,
          "workspace_id",
          "workspace_id must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
    }
    return value.textValue();
  }

  /** {@code event_name}: required string, trimmed, 1-255 characters, normalised. */
  public static String eventName(JsonNode value, String field) throws RecordRejectedException {
    if (value == null) {
      throw new RecordRejectedException(MISSING_EVENT_NAME, field, field + " is required");
    }
    if (!value.isTextual()) {
      throw new RecordRejectedException(INVALID_EVENT_NAME, field, field + " must be a string");
    }
    String trimmed = Text.wellFormed(value.textValue()).strip();
    int length = Text.length(trimmed);
    if (length < 1 || length > MAX_NAME_LENGTH) {
      throw new RecordRejectedException(
          INVALID_EVENT_NAME,
          field,
          field + " must be 1-" + MAX_NAME_LENGTH + " characters after trimming, not " + length);
    }
    return normaliseEventName(trimmed);
  }

  /**
   * Event names are case-insensitive and {@code .} and {@code $} become {@code -}, as in the API.
   */
  public static String normaliseEventName(String trimmed) {
    return trimmed.toLowerCase(Locale.ROOT).replace('.', '-').replace('$', '-');
  }

  /**
   * {@code created_at} (and an imported summary's {@code first}/{@code last}): a JSON integer of
   * Unix seconds, positive, not milliseconds, not too far in the future.
   */
  public static long timestamp(JsonNode value, String field, ValidationSettings settings)
      throws RecordRejectedException {
    if (value == null) {
      throw new RecordRejectedException(MISSING_CREATED_AT, field, field + " is required");
    }
    if (!value.isIntegralNumber()) {
      throw new RecordRejectedException(
          INVALID_CREATED_AT,
          field,
          field + " must be an integer of Unix seconds, not " + describe(value));
    }
    if (!value.canConvertToLong()) {
      // Beyond 64 bits, and never converted (a million digits would take seconds to convert and
      // to print): positive, it is above the milliseconds threshold as the rule reads; negative,
      // it is <= 0.
      boolean negative = value.asText().startsWith("-");
      throw new RecordRejectedException(
          negative ? INVALID_CREATED_AT : CREATED_AT_IN_MILLISECONDS,
          field,
          negative
              ? field
                  + " must be a positive Unix time, not a negative integer of "
                  + digits(value)
                  + " digits"
              : field
                  + " must be Unix seconds; an integer of "
                  + digits(value)
                  + " digits looks like milliseconds");
    }
    long result = value.longValue();
    if (result <= 0) {
      throw new RecordRejectedException(
          INVALID_CREATED_AT, field, field + " must be a positive Unix time, not " + result);
    }
    if (result >= MILLISECONDS_THRESHOLD) {
      throw new RecordRejectedException(
          CREATED_AT_IN_MILLISECONDS,
          field,
          field + " must be Unix seconds; " + result + " looks like milliseconds");
    }
    long reference = settings.referenceTimeNow();
    long latest = reference + settings.maxFutureSeconds();
    if (result > latest) {
      throw new RecordRejectedException(
          CREATED_AT_IN_FUTURE,
          field,
          field
              + " "
              + result
              + " is more than "
              + settings.maxFutureSeconds()
              + " s after the reference time "
              + reference);
    }
    return result;
  }

  /**
   * The identifiers of a record as sent (an integer {@code user_id} as its decimal string): at
   * least one of {@code user_id}, {@code id}, {@code email}.
   */
  public static Identifiers identifiers(JsonNode object) throws RecordRejectedException {
    return identifiers(
        Json.field(object, "user_id"), Json.field(object, "id"), Json.field(object, "email"));
  }

  /** The same rules for the three fields' values (null when absent). */
  static Identifiers identifiers(JsonNode userId, JsonNode id, JsonNode email)
      throws RecordRejectedException {
    if (userId == null && id == null && email == null) {
      throw new RecordRejectedException(
          MISSING_IDENTIFIER, null, "one of user_id, id or email is required");
    }
    String userIdText = null;
    if (userId != null) {
      if (userId.isIntegralNumber()) {
        // Its decimal string: a long's, or beyond 64 bits the text as sent (never converted).
        userIdText =
            userId.canConvertToLong() ? Long.toString(userId.longValue()) : userId.asText();
      } else if (userId.isTextual()) {
        userIdText = Text.wellFormed(userId.textValue());
      } else {
        throw new RecordRejectedException(
            INVALID_IDENTIFIER,
            "user_id",
            "user_id must be a string or an integer, not " + describe(userId));
      }
      checkIdentifierLength(userIdText, "user_id");
    }
    String idText = null;
    if (id != null) {
      if (!id.isTextual()) {
        throw new RecordRejectedException(
            INVALID_IDENTIFIER, "id", "id must be a string, not " + describe(id));
      }
      idText = Text.wellFormed(id.textValue());
      checkIdentifierLength(idText, "id");
    }
    String emailText = null;
    if (email != null) {
      if (!email.isTextual()) {
        throw new RecordRejectedException(
            INVALID_IDENTIFIER, "email", "email must be a string, not " + describe(email));
      }
      emailText = Text.wellFormed(email.textValue());
      checkIdentifierLength(emailText, "email");
      if (emailText.indexOf('@') < 0) {
        throw new RecordRejectedException(INVALID_IDENTIFIER, "email", "email must contain @");
      }
    }
    return new Identifiers(userIdText, idText, emailText);
  }

  private static void checkIdentifierLength(String value, String field)
      throws RecordRejectedException {
    int length = Text.length(value);
    if (length < 1 || length > MAX_IDENTIFIER_LENGTH) {
      throw new RecordRejectedException(
          INVALID_IDENTIFIER,
          field,
          field + " must be 1-" + MAX_IDENTIFIER_LENGTH + " characters, not " + length);
    }
  }

  /** How many digits an integer has, without converting it. */
  static int digits(JsonNode integer) {
    if (integer instanceof LargeIntegerNode large) {
      return large.digits();
    }
    String text = integer.asText();
    return text.startsWith("-") ? text.length() - 1 : text.length();
  }

  /** A short description of a JSON value's type for messages. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      return "a string";
    }
    if (value.isFloatingPointNumber()) {
      return "a fraction (" + value.asText() + ")";
    }
    if (value.isNumber()) {
      return "a number";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isArray()) {
      return "an array";
    }
    if (value.isObject()) {
      return "an object";
    }
    return value.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
