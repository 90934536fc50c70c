package dev.dataevents.contact;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Identifiers;

/**
 * A stream's running "latest non-null identifier" of a contact: each value with the {@code
 * created_at} it was seen at; a later arrival wins a tie, as input position does in a bounded run.
 */
public record LatestIdentifiers(
    String userId,
    long userIdAt,
    String id,
    long idAt,
    String email,
    long emailAt,
    String directoryUserId,
    String directoryId,
    String directoryEmail) {

  public static final LatestIdentifiers NONE =
      new LatestIdentifiers(
          null, Long.MIN_VALUE, null, Long.MIN_VALUE, null, Long.MIN_VALUE, null, null, null);

  /** These identifiers after an accepted event. */
  public LatestIdentifiers with(ContactRecord event) {
    long t = event.createdAt();
    boolean u = event.userId() != null && t >= userIdAt;
    boolean i = event.id() != null && t >= idAt;
    boolean e = event.email() != null && t >= emailAt;
    return new LatestIdentifiers(
        u ? event.userId() : userId,
        u ? t : userIdAt,
        i ? event.id() : id,
        i ? t : idAt,
        e ? event.email() : email,
        e ? t : emailAt,
        event.directoryUserId() != null ? event.directoryUserId() : directoryUserId,
        event.directoryId() != null ? event.directoryId() : directoryId,
        event.directoryEmail() != null ? event.directoryEmail() : directoryEmail);
  }

  /** What a snapshot shows: the events' latest values, else the contacts directory's. */
  public Identifiers shown() {
    return new Identifiers(
        userId != null ? userId : directoryUserId,
        id != null ? id : directoryId,
        email != null ? email : directoryEmail);
  }
}
