package dev.dataevents.model.binary;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.PackedContactRecord;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Packs {@link ContactRecord}s into {@link PackedContactRecord}s and back, with buffers reused from
 * record to record: one instance per parallel function instance, not shared between threads.
 */
public final class ContactRecordPacker {
  private final ContactRecordSerializer serializer = new ContactRecordSerializer();
  private static final int KEPT_BUFFER_BYTES = 64 * 1024;

  private DataOutputSerializer out = new DataOutputSerializer(512);
  private final DataInputDeserializer in = new DataInputDeserializer();

  public PackedContactRecord pack(ContactRecord record) {
    out.clear();
    try {
      serializer.serialize(record, out);
    } catch (IOException e) {
      // Into memory, so only a record too large to hold (over 2 GB): the record's fault, and so
      // thrown without the IOException, which would make it the job's (RecordFaults).
      throw new IllegalStateException("the record could not be packed: " + e.getMessage());
    }
    PackedContactRecord packed =
        new PackedContactRecord(record.contactHash(), out.getCopyOfBuffer());
    if (out.length() > KEPT_BUFFER_BYTES) {
      out = new DataOutputSerializer(512); // a huge record's buffer is not kept for the next
    }
    return packed;
  }

  public ContactRecord unpack(PackedContactRecord packed) {
    in.setBuffer(packed.bytes());
    try {
      ContactRecord record = serializer.deserialize(in);
      if (in.available() != 0) {
        throw new IllegalStateException(
            "a packed record has " + in.available() + " bytes after its fields");
      }
      return record;
    } catch (IOException e) {
      throw new IllegalStateException("a packed record ends within its fields", e);
    }
  }
}
