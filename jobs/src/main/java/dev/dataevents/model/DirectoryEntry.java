package dev.dataevents.model;

/**
 * A contacts-directory line ({@code --contacts}), or one of its identifiers on the way to the join:
 * an entry is indexed once per identifier it has, so that events sent with any of them meet it
 * under the same key.
 *
 * @param workspaceId the workspace, defaulted
 * @param id the directory's contact id
 * @param userId its {@code user_id}, or null
 * @param email its {@code email} as given, or null
 * @param lead whether its role is {@code lead} (then only its {@code id} identifies it)
 * @param position its input position; the smaller wins where entries share an identifier
 * @param source the directory file as users name it
 * @param raw the line as read, kept for the duplicates output, or null
 * @param indexKey the {@link ContactKey} this copy is indexed under, or null before indexing
 */
public record DirectoryEntry(
    String workspaceId,
    String id,
    String userId,
    String email,
    boolean lead,
    long position,
    String source,
    String raw,
    String indexKey) {

  /** The key that finds duplicates: an entry's workspace and id. */
  public long idHash() {
    return ContactId.hash(workspaceId, ContactKey.ofId(id));
  }

  /** The key of the join: the same hash as an event's contact key. */
  public long indexHash() {
    return ContactId.hash(workspaceId, indexKey);
  }

  public DirectoryEntry indexedAs(String key) {
    return new DirectoryEntry(workspaceId, id, userId, email, lead, position, source, raw, key);
  }
}
