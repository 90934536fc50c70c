package dev.dataevents.model.binary;

import dev.dataevents.model.ContactRecord;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of {@link ContactRecord}, the record that crosses the {@code keyBy} and is sorted
 * by it in a backfill: fixed fields first, then the strings, each field once and no reflection. The
 * format is part of a stream's checkpoints (records waiting in the directory join): a change needs
 * a new snapshot version.
 */
public final class ContactRecordSerializer extends CompactSerializer<ContactRecord> {
  private static final long serialVersionUID = 1L;

  /**
   * Picked up by {@code TypeInformation.of(ContactRecord.class)} through the record's annotation.
   */
  public static final class Factory extends TypeInfoFactory<ContactRecord> {
    @Override
    public TypeInformation<ContactRecord> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new CompactTypeInfo<>(ContactRecord.class, ContactRecordSerializer::new);
    }
  }

  @Override
  public ContactRecordSerializer duplicate() {
    return new ContactRecordSerializer();
  }

  @Override
  public void serialize(ContactRecord r, DataOutputView out) throws IOException {
    out.writeLong(r.position());
    out.writeLong(r.createdAt());
    out.writeBoolean(r.summaryImport());
    out.writeInt(r.metadataKeysDropped());
    out.writeInt(r.metadataValuesTruncated());
    writeString(r.workspaceId(), out);
    writeString(r.contactKey(), out);
    writeString(r.source(), out);
    writeString(r.eventName(), out);
    writeString(r.userId(), out);
    writeString(r.id(), out);
    writeString(r.email(), out);
    writeUtf8(r.metadataUtf8(), out);
    writeStrings(r.summaryNames(), out);
    writeLongs(r.summaryCounts(), out);
    writeLongs(r.summaryFirsts(), out);
    writeLongs(r.summaryLasts(), out);
    writeString(r.raw(), out);
    writeString(r.directoryUserId(), out);
    writeString(r.directoryId(), out);
    writeString(r.directoryEmail(), out);
  }

  @Override
  public ContactRecord deserialize(DataInputView in) throws IOException {
    long position = in.readLong();
    long createdAt = in.readLong();
    boolean summaryImport = in.readBoolean();
    int keysDropped = in.readInt();
    int valuesTruncated = in.readInt();
    return new ContactRecord(
        readString(in), // workspaceId
        readString(in), // contactKey
        position,
        readString(in), // source
        summaryImport,
        readString(in), // eventName
        createdAt,
        readString(in), // userId
        readString(in), // id
        readString(in), // email
        readUtf8(in), // metadataUtf8
        keysDropped,
        valuesTruncated,
        readStrings(in),
        readLongs(in),
        readLongs(in),
        readLongs(in),
        readString(in), // raw
        readString(in), // directoryUserId
        readString(in), // directoryId
        readString(in)); // directoryEmail
  }

  @Override
  protected void copySerialized(DataInputView in, DataOutputView out) throws IOException {
    // position, createdAt, summaryImport, metadataKeysDropped, metadataValuesTruncated
    out.write(in, Long.BYTES + Long.BYTES + 1 + Integer.BYTES + Integer.BYTES);
    for (int i = 0; i < 8; i++) {
      copyString(in, out); // workspaceId ... metadataJson
    }
    copyStrings(in, out);
    copyLongs(in, out);
    copyLongs(in, out);
    copyLongs(in, out);
    for (int i = 0; i < 4; i++) {
      copyString(in, out); // raw ... directoryEmail
    }
  }

  @Override
  public TypeSerializerSnapshot<ContactRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from a checkpoint. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ContactRecord> {
    public Snapshot() {
      super(ContactRecordSerializer::new);
    }
  }
}
