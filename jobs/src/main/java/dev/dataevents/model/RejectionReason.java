package dev.dataevents.model;

import java.util.Locale;

/**
 * Why a record was rejected, with the HTTP status the Data Events API would have answered. The
 * order of the constants is the order in which the rules are checked.
 */
public enum RejectionReason {
  /** Not a line: where a file could not be read on (a stream rejects it and goes on). */
  UNREADABLE_FILE(422),
  LINE_TOO_LONG(400),
  INVALID_JSON(400),
  NOT_AN_OBJECT(400),
  INVALID_WORKSPACE_ID(400),
  MISSING_EVENT_NAME(400),
  INVALID_EVENT_NAME(400),
  MISSING_CREATED_AT(400),
  INVALID_CREATED_AT(400),
  CREATED_AT_IN_MILLISECONDS(400),
  CREATED_AT_IN_FUTURE(400),
  MISSING_IDENTIFIER(400),
  INVALID_IDENTIFIER(400),
  INVALID_METADATA(400),
  INVALID_METADATA_KEY(400),
  INVALID_METADATA_VALUE(400),
  INVALID_EVENT_SUMMARIES(400),
  INVALID_CONTACT(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  CONTACT_NOT_FOUND(404),
  LEAD_REQUIRES_ID(404),
  OUTSIDE_DEDUP_HORIZON(422),
  INTERNAL_ERROR(500);

  private final int status;

  RejectionReason(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** The reason as written in outputs, e.g. {@code created_at_in_milliseconds}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
