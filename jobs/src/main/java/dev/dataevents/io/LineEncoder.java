package dev.dataevents.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.flink.api.common.serialization.Encoder;

/** Writes an output line (UTF-8 bytes) and its line end, for Flink's row-format file sink. */
public final class LineEncoder implements Encoder<byte[]> {
  private static final long serialVersionUID = 1L;

  @Override
  public void encode(byte[] line, OutputStream stream) throws IOException {
    stream.write(line);
    stream.write('\n');
  }
}
