package dev.dataevents.output;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What every output stream carries: one JSON line as UTF-8 bytes, without its line end. Rendered
 * straight to bytes ({@link dev.dataevents.json.JsonBuilder}), a line is encoded once, where a
 * {@code String} was built, copied when it held text beyond Latin-1, and encoded again by the sink.
 */
public final class OutputLine {
  /** Flink's own serializer for byte arrays: a length and one block copy. */
  public static final TypeInformation<byte[]> TYPE =
      PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

  private OutputLine() {}
}
