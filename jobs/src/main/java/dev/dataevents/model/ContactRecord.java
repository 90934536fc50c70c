package dev.dataevents.model;

import dev.dataevents.model.binary.ContactRecordSerializer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A valid input record on its way to its contact: an event, or a line of imported summaries. One
 * flat record type for both keeps one compact serializer ({@link ContactRecordSerializer}) on the
 * keyed edge of a stream and in a bounded run's packed records.
 *
 * @param workspaceId the workspace, defaulted
 * @param contactKey {@code user_id:...}, {@code id:...} or {@code email:...}
 * @param position the {@link InputPosition}; the smallest wins among duplicates
 * @param source the input file as users name it, kept (like {@code raw}) only where a later stage
 *     may reject or name the record: for the duplicates output, the contacts directory join and a
 *     stream's keyed stage; else null
 * @param summaryImport true for an imported-summaries line, false for an event
 * @param eventName normalised event name (events only)
 * @param createdAt Unix seconds (events only)
 * @param userId the event's {@code user_id} as a string, or null
 * @param id the event's {@code id}, or null
 * @param email the event's {@code email} as sent, or null
 * @param metadataUtf8 the kept metadata as a JSON object in UTF-8, or null when none was kept:
 *     rendered once by the parser and copied as it is into the output lines, never decoded on the
 *     way
 * @param metadataKeysDropped keys ignored by case folding and truncation
 * @param metadataValuesTruncated string values cut to 255 characters
 * @param summaryNames imported summaries: event names, normalised
 * @param summaryCounts imported summaries: counts
 * @param summaryFirsts imported summaries: first times, Unix seconds
 * @param summaryLasts imported summaries: last times, Unix seconds
 * @param raw the line as read (redacted under {@code --auth}), kept like {@code source}; else null
 * @param directoryUserId with a contacts directory: the resolved entry's {@code user_id}, or null
 * @param directoryId with a contacts directory: the resolved entry's {@code id}, or null
 * @param directoryEmail with a contacts directory: the resolved entry's {@code email}, or null
 */
@TypeInfo(ContactRecordSerializer.Factory.class)
public record ContactRecord(
    String workspaceId,
    String contactKey,
    long position,
    String source,
    boolean summaryImport,
    String eventName,
    long createdAt,
    String userId,
    String id,
    String email,
    byte[] metadataUtf8,
    int metadataKeysDropped,
    int metadataValuesTruncated,
    String[] summaryNames,
    long[] summaryCounts,
    long[] summaryFirsts,
    long[] summaryLasts,
    String raw,
    String directoryUserId,
    String directoryId,
    String directoryEmail) {

  /** Equal fields, arrays compared by their content (a record's own equals compares references). */
  @Override
  public boolean equals(Object o) {
    return o instanceof ContactRecord r
        && position == r.position
        && summaryImport == r.summaryImport
        && createdAt == r.createdAt
        && metadataKeysDropped == r.metadataKeysDropped
        && metadataValuesTruncated == r.metadataValuesTruncated
        && Objects.equals(workspaceId, r.workspaceId)
        && Objects.equals(contactKey, r.contactKey)
        && Objects.equals(source, r.source)
        && Objects.equals(eventName, r.eventName)
        && Objects.equals(userId, r.userId)
        && Objects.equals(id, r.id)
        && Objects.equals(email, r.email)
        && Arrays.equals(metadataUtf8, r.metadataUtf8)
        && Arrays.equals(summaryNames, r.summaryNames)
        && Arrays.equals(summaryCounts, r.summaryCounts)
        && Arrays.equals(summaryFirsts, r.summaryFirsts)
        && Arrays.equals(summaryLasts, r.summaryLasts)
        && Objects.equals(raw, r.raw)
        && Objects.equals(directoryUserId, r.directoryUserId)
        && Objects.equals(directoryId, r.directoryId)
        && Objects.equals(directoryEmail, r.directoryEmail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workspaceId, contactKey, position, eventName, createdAt)
        + 31 * Arrays.hashCode(metadataUtf8);
  }

  /** The fields, metadata as text and arrays by content. */
  @Override
  public String toString() {
    return "ContactRecord[workspaceId=%s, contactKey=%s, position=%d, source=%s, summaryImport=%s, eventName=%s, createdAt=%d, userId=%s, id=%s, email=%s, metadata=%s, metadataKeysDropped=%d, metadataValuesTruncated=%d, summaryNames=%s, summaryCounts=%s, summaryFirsts=%s, summaryLasts=%s, raw=%s, directoryUserId=%s, directoryId=%s, directoryEmail=%s]"
        .formatted(
            workspaceId,
            contactKey,
            position,
            source,
            summaryImport,
            eventName,
            createdAt,
            userId,
            id,
            email,
            metadataJson(),
            metadataKeysDropped,
            metadataValuesTruncated,
            Arrays.toString(summaryNames),
            Arrays.toString(summaryCounts),
            Arrays.toString(summaryFirsts),
            Arrays.toString(summaryLasts),
            raw,
            directoryUserId,
            directoryId,
            directoryEmail);
  }

  /** The kept metadata as JSON text, or null when none was kept. */
  public String metadataJson() {
    return metadataUtf8 == null ? null : new String(metadataUtf8, StandardCharsets.UTF_8);
  }

  /** The contact this record belongs to. */
  public ContactId contactId() {
    return new ContactId(workspaceId, contactKey);
  }

  /**
   * The key records are grouped by: a 64-bit hash of the contact. A fixed-length key lets Flink's
   * BATCH sort compare keys as plain bytes, which is several times faster than comparing two
   * serialized strings; contacts whose hashes collide share a key and are told apart by the keyed
   * function.
   */
  public long contactHash() {
    return ContactId.hash(workspaceId, contactKey);
  }

  public static ContactRecord event(
      String workspaceId,
      String contactKey,
      long position,
      String source,
      String eventName,
      long createdAt,
      String userId,
      String id,
      String email,
      byte[] metadataUtf8,
      int metadataKeysDropped,
      int metadataValuesTruncated,
      String raw) {
    return new ContactRecord(
        workspaceId,
        contactKey,
        position,
        source,
        false,
        eventName,
        createdAt,
        userId,
        id,
        email,
        metadataUtf8,
        metadataKeysDropped,
        metadataValuesTruncated,
        null,
        null,
        null,
        null,
        raw,
        null,
        null,
        null);
  }

  public static ContactRecord summaryImport(
      String workspaceId,
      String contactKey,
      long position,
      String source,
      String userId,
      String id,
      String email,
      String[] names,
      long[] counts,
      long[] firsts,
      long[] lasts,
      String raw) {
    return new ContactRecord(
        workspaceId,
        contactKey,
        position,
        source,
        true,
        null,
        0L,
        userId,
        id,
        email,
        null,
        0,
        0,
        names,
        counts,
        firsts,
        lasts,
        raw,
        null,
        null,
        null);
  }

  /**
   * This record resolved to a directory entry: its contact key becomes {@code id:<directory id>},
   * so one person sent by {@code user_id} and by {@code email} is one contact, and it carries the
   * entry's identifiers for the summary.
   */
  public ContactRecord resolvedTo(DirectoryEntry entry) {
    return new ContactRecord(
        workspaceId,
        ContactKey.ofId(entry.id()),
        position,
        source,
        summaryImport,
        eventName,
        createdAt,
        userId,
        id,
        email,
        metadataUtf8,
        metadataKeysDropped,
        metadataValuesTruncated,
        summaryNames,
        summaryCounts,
        summaryFirsts,
        summaryLasts,
        raw,
        entry.userId(),
        entry.id(),
        entry.email());
  }
}
