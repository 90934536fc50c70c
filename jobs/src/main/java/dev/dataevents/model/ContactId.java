package dev.dataevents.model;

import java.util.Comparator;

/** A contact within its workspace. */
public record ContactId(String workspaceId, String contactKey) {

  /** A fixed, deterministic order of contacts (for contacts that share a hash key). */
  public static final Comparator<ContactId> ORDER =
      Comparator.comparing(ContactId::workspaceId).thenComparing(ContactId::contactKey);

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /**
   * FNV-1a over the UTF-16 units of workspace, a separator and contact key, with a final mix so
   * that the key groups Flink derives from it spread evenly. Stable across JVMs and versions, as
   * savepoints need.
   */
  public static long hash(String workspaceId, String contactKey) {
    long h = FNV_OFFSET;
    for (int i = 0; i < workspaceId.length(); i++) {
      h = (h ^ workspaceId.charAt(i)) * FNV_PRIME;
    }
    h = (h ^ 0xFFFF) * FNV_PRIME;
    for (int i = 0; i < contactKey.length(); i++) {
      h = (h ^ contactKey.charAt(i)) * FNV_PRIME;
    }
    // The finaliser of MurmurHash3 (fmix64).
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
