package dev.dataevents.contact;

import dev.dataevents.model.ContactId;

/**
 * Keys of keyed map state made of several parts (a contact's workspace and key, an event's name),
 * joined by NUL, which no workspace id holds. Contacts whose key hashes collide share a Flink key,
 * so every entry names its contact. The joined form is part of the checkpoint format: never change
 * it.
 */
final class StateKey {
  private static final String SEPARATOR = "\u0000";

  private StateKey() {}

  static String of(String... parts) {
    return String.join(SEPARATOR, parts);
  }

  /** A contact in state: its workspace and contact key. */
  static String contact(String workspaceId, String contactKey) {
    return of(workspaceId, contactKey);
  }

  /** The contact of a key made by {@link #contact}: the first NUL ends its workspace. */
  static ContactId contactOf(String key) {
    int split = key.indexOf(SEPARATOR);
    return new ContactId(key.substring(0, split), key.substring(split + 1));
  }

  /** What follows {@code parent} and a separator in {@code key}, or null when nothing does. */
  static String below(String key, String parent) {
    String prefix = parent + SEPARATOR;
    return key.startsWith(prefix) ? key.substring(prefix.length()) : null;
  }
}
