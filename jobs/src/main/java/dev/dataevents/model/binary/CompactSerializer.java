package dev.dataevents.model.binary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A Flink serializer for an immutable record type that writes its fields by hand: strings as UTF-8
 * bytes in one block copy, absent fields as one bit of a header. Flink's generic POJO serializer
 * writes a string a byte at a time through a virtual call and finds fields by reflection, which
 * made (de)serializing the records that cross a {@code keyBy} the largest cost of a backfill.
 *
 * <p>A string with an unpaired surrogate (which UTF-8 cannot hold) is written as its UTF-16 code
 * units instead, so every string reads back exactly as it was.
 *
 * @param <T> an immutable type: {@code copy} returns the same instance, and {@code deserialize}
 *     always creates a new one (safe with object reuse)
 */
public abstract class CompactSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  private static final int NULL = -1;

  @Override
  public final boolean isImmutableType() {
    return true;
  }

  /** Bytes of the string being read, reused: one copy (into the string) instead of two. */
  private transient byte[] scratch;

  /** A new instance per thread: the read buffer is not shared. */
  @Override
  public abstract TypeSerializer<T> duplicate();

  @Override
  public final T createInstance() {
    return null; // immutable: never deserialized into
  }

  @Override
  public final T copy(T from) {
    return from;
  }

  @Override
  public final T copy(T from, T reuse) {
    return from;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  /**
   * Copies one serialized record field by field, as bytes: Flink's BATCH sort copies every record
   * it spills, and building each record only to write it again was the largest cost of spilling.
   */
  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    copySerialized(source, target);
  }

  /**
   * Copies exactly the bytes {@code serialize} writes for one record from {@code in} to {@code
   * out}.
   */
  protected abstract void copySerialized(DataInputView in, DataOutputView out) throws IOException;

  @Override
  public final boolean equals(Object obj) {
    return obj != null && obj.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode();
  }

  /**
   * A string or null, as its UTF-8 length and bytes; -1 for null; {@code -2 - n} and n UTF-16 code
   * units for the rare string that UTF-8 cannot hold.
   */
  protected static void writeString(String value, DataOutputView out) throws IOException {
    if (value == null) {
      out.writeInt(NULL);
      return;
    }
    if (hasUnpairedSurrogate(value)) {
      out.writeInt(-2 - value.length());
      out.writeChars(value);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static boolean hasUnpairedSurrogate(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && !Character.isSurrogate(value.charAt(i))) {
      i++; // the common case: no surrogate at all
    }
    for (; i < n; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  protected final String readString(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    if (length < NULL) {
      return readChars(in, -2 - length);
    }
    if (scratch == null || scratch.length < length) {
      scratch = new byte[Math.max(length, 256)];
    }
    in.readFully(scratch, 0, length);
    return new String(scratch, 0, length, StandardCharsets.UTF_8);
  }

  /** The rare string written as UTF-16 code units (one that UTF-8 cannot hold). */
  private static String readChars(DataInputView in, int count) throws IOException {
    char[] chars = new char[count];
    for (int i = 0; i < count; i++) {
      chars[i] = in.readChar();
    }
    return new String(chars);
  }

  /** Copies a string written by {@link #writeString} as it is. */
  protected static void copyString(DataInputView in, DataOutputView out) throws IOException {
    int length = in.readInt();
    out.writeInt(length);
    if (length > 0) {
      out.write(in, length);
    } else if (length < NULL) {
      out.write(in, 2 * (-2 - length));
    }
  }

  /**
   * UTF-8 text kept as bytes, or null: written as {@link #writeString} writes the same text, so
   * that either reads what the other wrote (a checkpoint from before the text was kept as bytes).
   */
  protected static void writeUtf8(byte[] value, DataOutputView out) throws IOException {
    if (value == null) {
      out.writeInt(NULL);
      return;
    }
    out.writeInt(value.length);
    out.write(value);
  }

  protected static byte[] readUtf8(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    if (length < NULL) {
      return readChars(in, -2 - length).getBytes(StandardCharsets.UTF_8);
    }
    byte[] value = new byte[length];
    in.readFully(value);
    return value;
  }

  protected static void writeStrings(String[] values, DataOutputView out) throws IOException {
    if (values == null) {
      out.writeInt(NULL);
      return;
    }
    out.writeInt(values.length);
    for (String value : values) {
      writeString(value, out);
    }
  }

  protected final String[] readStrings(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    String[] values = new String[length];
    for (int i = 0; i < length; i++) {
      values[i] = readString(in);
    }
    return values;
  }

  /** Copies strings written by {@link #writeStrings} as they are. */
  protected static void copyStrings(DataInputView in, DataOutputView out) throws IOException {
    int length = in.readInt();
    out.writeInt(length);
    for (int i = 0; i < length; i++) {
      copyString(in, out);
    }
  }

  protected static void writeLongs(long[] values, DataOutputView out) throws IOException {
    if (values == null) {
      out.writeInt(NULL);
      return;
    }
    out.writeInt(values.length);
    for (long value : values) {
      out.writeLong(value);
    }
  }

  protected static long[] readLongs(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length == NULL) {
      return null;
    }
    long[] values = new long[length];
    for (int i = 0; i < length; i++) {
      values[i] = in.readLong();
    }
    return values;
  }

  /** Copies longs written by {@link #writeLongs} as they are. */
  protected static void copyLongs(DataInputView in, DataOutputView out) throws IOException {
    int length = in.readInt();
    out.writeInt(length);
    if (length > 0) {
      out.write(in, Long.BYTES * length);
    }
  }
}
