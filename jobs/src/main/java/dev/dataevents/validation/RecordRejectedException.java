package dev.dataevents.validation;

import dev.dataevents.model.RejectionReason;

/**
 * Thrown by a rule that a record breaks. Control flow for the first broken rule, so it carries no
 * stack trace: bad input is common and must stay cheap.
 */
public final class RecordRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final RejectionReason reason;
  private final String field;

  public RecordRejectedException(RejectionReason reason, String field, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.field = field;
  }

  public RejectionReason reason() {
    return reason;
  }

  /** The field the rule is about, or null. */
  public String field() {
    return field;
  }
}
