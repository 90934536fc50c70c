package dev.dataevents.model;

/**
 * An accepted event as a listing page shows it, and nothing more: no raw line, no source, no
 * counts. A stream keeps one per event of the last 90 days, so this is what its listing state
 * costs.
 *
 * @param workspaceId the contact's workspace
 * @param contactKey the contact's key (contacts whose key hashes collide share state)
 * @param eventName normalised event name
 * @param createdAt Unix seconds
 * @param userId the event's {@code user_id}, or null
 * @param id the event's {@code id}, or null
 * @param email the event's {@code email} as sent, or null
 * @param metadataJson the kept metadata as a JSON object, or null when none was kept
 */
public record ListedEvent(
    String workspaceId,
    String contactKey,
    String eventName,
    long createdAt,
    String userId,
    String id,
    String email,
    String metadataJson) {

  public static ListedEvent of(ContactRecord event) {
    return new ListedEvent(
        event.workspaceId(),
        event.contactKey(),
        event.eventName(),
        event.createdAt(),
        event.userId(),
        event.id(),
        event.email(),
        event.metadataJson());
  }
}
