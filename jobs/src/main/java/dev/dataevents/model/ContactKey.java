package dev.dataevents.model;

import java.util.Locale;

/**
 * The key of a contact within its workspace, the one place its form is written: {@code
 * user_id:<user_id>} when the contact has a {@code user_id}, else {@code id:<id>}, else {@code
 * email:<email, lower-cased>}. Records and state carry it as this text, so the form is part of the
 * checkpoint format: never change it.
 */
public final class ContactKey {
  private static final String USER_ID = "user_id:";
  private static final String ID = "id:";
  private static final String EMAIL = "email:";

  private ContactKey() {}

  /**
   * The key of a contact with these identifiers: by {@code user_id}, else {@code id}, else the
   * email; at least one of them is not null.
   */
  public static String of(String userId, String id, String email) {
    if (userId != null) {
      return ofUserId(userId);
    }
    if (id != null) {
      return ofId(id);
    }
    return ofEmail(email);
  }

  public static String ofUserId(String userId) {
    return USER_ID + userId;
  }

  public static String ofId(String id) {
    return ID + id;
  }

  /** Emails are case-insensitive: the key holds the email lower-cased. */
  public static String ofEmail(String email) {
    return EMAIL + email.toLowerCase(Locale.ROOT);
  }

  /** Whether a key is by {@code id} (the only identifier of a lead). */
  public static boolean isById(String key) {
    return key.startsWith(ID);
  }
}
