package dev.dataevents.model;

import dev.dataevents.model.binary.PackedContactRecordSerializer;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A {@link ContactRecord} as the bytes its serializer writes, with its key beside them: what
 * crosses a bounded run's {@code keyBy}. A record crossing a BATCH {@code keyBy} is read from the
 * network, written into the sort buffer, copied when the buffer spills and read again for the
 * contact function: packed, each of those is one copy of its bytes, and its strings are decoded
 * once, by the contact function ({@link dev.dataevents.model.binary.ContactRecordPacker}).
 *
 * @param contactHash {@link ContactRecord#contactHash()}, the key
 * @param bytes the record as {@link dev.dataevents.model.binary.ContactRecordSerializer} writes it
 */
@TypeInfo(PackedContactRecordSerializer.Factory.class)
public record PackedContactRecord(long contactHash, byte[] bytes) {

  /** Equal keys and bytes (a record's own equals compares the array's reference). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PackedContactRecord r
        && contactHash == r.contactHash
        && Arrays.equals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(contactHash) + 31 * Arrays.hashCode(bytes);
  }

  /** The key and the size: the bytes are a record's fields, which may hold a secret's line. */
  @Override
  public String toString() {
    return "PackedContactRecord[contactHash=" + contactHash + ", " + bytes.length + " bytes]";
  }
}
