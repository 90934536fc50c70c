package dev.dataevents.model;

import java.util.List;
import java.util.Map;

/**
 * Everything a database holds about one contact: what its {@code event.summary} and its {@code
 * event.list} pages show, in columns rather than rendered. A bounded run emits one per contact at
 * end of input; a stream one per snapshot, the contact's whole state, which replaces the previous
 * one.
 *
 * @param workspaceId the contact's workspace
 * @param contactKey the contract's contact key ({@code user_id:...}, {@code id:...}, {@code
 *     email:...})
 * @param userId the {@code user_id} its outputs show, or null
 * @param id the {@code intercom_user_id} its outputs show, or null
 * @param email the {@code email} its outputs show, or null
 * @param eventNames the summary's event names, in code point order
 * @param counts per name, its count
 * @param firsts per name, its first time, Unix seconds
 * @param lasts per name, its last time, Unix seconds
 * @param listed the events its listing shows, newest first (ties by name)
 * @param updatedAtMillis what time it is as of: a stream snapshot's time, a bounded run's reference
 *     time (so that a run's rows are the same on every run)
 */
public record ContactState(
    String workspaceId,
    String contactKey,
    String userId,
    String id,
    String email,
    String[] eventNames,
    long[] counts,
    long[] firsts,
    long[] lasts,
    ListedEvent[] listed,
    long updatedAtMillis) {

  /**
   * The state of a contact.
   *
   * @param byName name -> {@code [count, first, last]}, iterated in name order
   */
  public static ContactState of(
      ContactId contact,
      Identifiers ids,
      Map<String, long[]> byName,
      List<ListedEvent> listed,
      long updatedAtMillis) {
    int n = byName.size();
    String[] names = new String[n];
    long[] counts = new long[n];
    long[] firsts = new long[n];
    long[] lasts = new long[n];
    int i = 0;
    for (Map.Entry<String, long[]> e : byName.entrySet()) {
      names[i] = e.getKey();
      counts[i] = e.getValue()[NameCounts.COUNT];
      firsts[i] = e.getValue()[NameCounts.FIRST];
      lasts[i] = e.getValue()[NameCounts.LAST];
      i++;
    }
    return new ContactState(
        contact.workspaceId(),
        contact.contactKey(),
        ids.userId(),
        ids.id(),
        ids.email(),
        names,
        counts,
        firsts,
        lasts,
        listed.toArray(ListedEvent[]::new),
        updatedAtMillis);
  }
}
