package dev.dataevents.model;

/**
 * A contact's identifiers, as a record sends them or as its summary and listing show them.
 *
 * @param userId {@code user_id} (an integer as its decimal string), or null
 * @param id {@code id} ({@code intercom_user_id} in outputs), or null
 * @param email {@code email} as sent, or null
 */
public record Identifiers(String userId, String id, String email) {

  /** The {@link ContactKey} they give: by {@code user_id}, else {@code id}, else the email. */
  public String contactKey() {
    return ContactKey.of(userId, id, email);
  }
}
