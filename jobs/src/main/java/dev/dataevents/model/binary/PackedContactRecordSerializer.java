package dev.dataevents.model.binary;

import dev.dataevents.model.PackedContactRecord;
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
 * The serializer of {@link PackedContactRecord}: the key, the length, the bytes. Only a bounded run
 * uses it (between its tasks and in its sort), never a checkpoint.
 */
public final class PackedContactRecordSerializer extends CompactSerializer<PackedContactRecord> {
  private static final long serialVersionUID = 1L;

  /**
   * Picked up by {@code TypeInformation.of(PackedContactRecord.class)} through the record's
   * annotation.
   */
  public static final class Factory extends TypeInfoFactory<PackedContactRecord> {
    @Override
    public TypeInformation<PackedContactRecord> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new CompactTypeInfo<>(PackedContactRecord.class, PackedContactRecordSerializer::new);
    }
  }

  @Override
  public PackedContactRecordSerializer duplicate() {
    return new PackedContactRecordSerializer();
  }

  @Override
  public void serialize(PackedContactRecord r, DataOutputView out) throws IOException {
    out.writeLong(r.contactHash());
    out.writeInt(r.bytes().length);
    out.write(r.bytes());
  }

  @Override
  public PackedContactRecord deserialize(DataInputView in) throws IOException {
    long contactHash = in.readLong();
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new PackedContactRecord(contactHash, bytes);
  }

  @Override
  protected void copySerialized(DataInputView in, DataOutputView out) throws IOException {
    out.write(in, Long.BYTES);
    int length = in.readInt();
    out.writeInt(length);
    out.write(in, length);
  }

  @Override
  public TypeSerializerSnapshot<PackedContactRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * Restores the serializer from a snapshot (a bounded run takes none; Flink asks all the same).
   */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<PackedContactRecord> {
    public Snapshot() {
      super(PackedContactRecordSerializer::new);
    }
  }
}
