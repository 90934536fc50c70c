package dev.dataevents.model.binary;

import dev.dataevents.model.Rejection;
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
 * The serializer of {@link Rejection}, which crosses a {@code keyBy} (by input position) and is
 * sorted by it; its {@code raw} line is most of its size.
 */
public final class RejectionSerializer extends CompactSerializer<Rejection> {
  private static final long serialVersionUID = 1L;

  /** Picked up by {@code TypeInformation.of(Rejection.class)} through the record's annotation. */
  public static final class Factory extends TypeInfoFactory<Rejection> {
    @Override
    public TypeInformation<Rejection> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new CompactTypeInfo<>(Rejection.class, RejectionSerializer::new);
    }
  }

  @Override
  public RejectionSerializer duplicate() {
    return new RejectionSerializer();
  }

  @Override
  public void serialize(Rejection r, DataOutputView out) throws IOException {
    out.writeLong(r.position());
    out.writeInt(r.status());
    out.writeLong(r.line());
    writeString(r.reason(), out);
    writeString(r.field(), out);
    writeString(r.message(), out);
    writeString(r.source(), out);
    writeString(r.raw(), out);
  }

  @Override
  public Rejection deserialize(DataInputView in) throws IOException {
    long position = in.readLong();
    int status = in.readInt();
    long line = in.readLong();
    return new Rejection(
        position,
        status,
        readString(in), // reason
        readString(in), // field
        readString(in), // message
        readString(in), // source
        line,
        readString(in)); // raw
  }

  @Override
  protected void copySerialized(DataInputView in, DataOutputView out) throws IOException {
    out.write(in, Long.BYTES + Integer.BYTES + Long.BYTES); // position, status, line
    for (int i = 0; i < 5; i++) {
      copyString(in, out); // reason ... raw
    }
  }

  @Override
  public TypeSerializerSnapshot<Rejection> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from a checkpoint. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Rejection> {
    public Snapshot() {
      super(RejectionSerializer::new);
    }
  }
}
