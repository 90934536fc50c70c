package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/** The gzip reader: every member, every byte before damage, and an error for any damage. */
class StrictGzipInputStreamTest {
  private static final Random RANDOM = new Random(42);

  private static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.writeBytes(part);
    }
    return bytes.toByteArray();
  }

  /** Text that compresses, then random bytes that do not. */
  private static byte[] content(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size / 2; i++) {
      bytes[i] = (byte) ('a' + i % 7);
    }
    byte[] noise = new byte[size - size / 2];
    RANDOM.nextBytes(noise);
    System.arraycopy(noise, 0, bytes, size / 2, noise.length);
    return bytes;
  }

  private static StrictGzipInputStream open(byte[] file, int bufferBytes) throws IOException {
    return new StrictGzipInputStream(new ByteArrayInputStream(file), bufferBytes);
  }

  /** Reads in chunks of {@code chunk}, keeping what came before an error in {@code into}. */
  private static void readAll(InputStream in, int chunk, ByteArrayOutputStream into)
      throws IOException {
    byte[] buffer = new byte[chunk];
    for (int n = in.read(buffer, 0, chunk); n >= 0; n = in.read(buffer, 0, chunk)) {
      into.write(buffer, 0, n);
    }
  }

  private static byte[] readAll(byte[] file, int bufferBytes, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = open(file, bufferBytes)) {
      readAll(in, chunk, out);
    }
    return out.toByteArray();
  }

  @Test
  void readsOneOrSeveralMembersWhateverTheBufferAndReadSizes() throws IOException {
    byte[] a = content(200_000);
    byte[] b = content(1);
    byte[] c = content(70_000);
    byte[] empty = new byte[0];
    for (int buffer : new int[] {1, 7, 512, 64 * 1024}) {
      for (int chunk : new int[] {1, 13, 8192, 300_000}) {
        assertThat(readAll(gzip(a), buffer, chunk)).isEqualTo(a);
        assertThat(readAll(concat(gzip(a), gzip(b), gzip(empty), gzip(c)), buffer, chunk))
            .as("buffer %d, chunk %d", buffer, chunk)
            .isEqualTo(concat(a, b, c));
      }
    }
    assertThat(readAll(gzip(empty), 64, 64)).isEmpty();
  }

  @Test
  void singleByteReadsGiveTheSameBytes() throws IOException {
    byte[] a = content(5000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = open(concat(gzip(a), gzip(a)), 100)) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        out.write(b);
      }
      assertThat(in.available()).isZero();
    }
    assertThat(out.toByteArray()).isEqualTo(concat(a, a));
  }

  @Test
  void everyCutOfATwoMemberFileFailsAfterGivingAtLeastWhatJavasReaderGives() throws IOException {
    byte[] a = content(3000);
    byte[] b = content(2000);
    byte[] first = gzip(a);
    byte[] file = concat(first, gzip(b));
    for (int cut = 0; cut < file.length; cut++) {
      byte[] cutFile = Arrays.copyOf(file, cut);
      if (cut == first.length) {
        assertThat(readAll(cutFile, 256, 1000)).as("cut at %d", cut).isEqualTo(a);
        continue;
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      int at = cut;
      assertThatThrownBy(
              () -> {
                try (InputStream in = open(cutFile, 256)) {
                  readAll(in, 1000, got);
                }
              })
          .as("cut at %d", cut)
          .isInstanceOf(EOFException.class);
      byte[] whole = concat(a, b);
      assertThat(got.toByteArray())
          .as("cut at %d", at)
          .isEqualTo(Arrays.copyOf(whole, got.size()))
          .hasSizeGreaterThanOrEqualTo(javaReadsBeforeFailing(cutFile));
    }
  }

  /** What {@code GZIPInputStream} gives, a byte at a time, before it fails or ends. */
  private static int javaReadsBeforeFailing(byte[] file) {
    int n = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file))) {
      while (in.read() >= 0) {
        n++;
      }
    } catch (IOException e) {
      // the count so far is the answer
    }
    return n;
  }

  @Test
  void bytesAfterTheLastMemberAreAnErrorAfterItsContent() throws IOException {
    byte[] a = content(3000);
    byte[] member = gzip(a);
    for (byte[] tail :
        new byte[][] {
          {0}, {0, 0, 0, 0}, "garbage".getBytes(StandardCharsets.UTF_8), {0x1f, 0x00, 8, 0}
        }) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertThatThrownBy(
              () -> {
                try (InputStream in = open(concat(member, tail), 512)) {
                  readAll(in, 1000, got);
                }
              })
          .isInstanceOf(ZipException.class)
          .hasMessage("Not in GZIP format after gzip member 1 (at byte " + member.length + ")");
      assertThat(got.toByteArray()).isEqualTo(a);
    }
  }

  @Test
  void theErrorStaysForEveryLaterRead() throws IOException {
    byte[] file = concat(gzip(content(10)), new byte[] {1, 2, 3});
    InputStream in = open(file, 64);
    byte[] buffer = new byte[100];
    assertThat(in.read(buffer, 0, 100)).isEqualTo(10);
    assertThatThrownBy(() -> in.read(buffer, 0, 100)).isInstanceOf(ZipException.class);
    assertThatThrownBy(() -> in.read(buffer, 0, 100)).isInstanceOf(ZipException.class);
    assertThat(in.available()).isZero();
  }

  @Test
  void aWrongChecksumOrSizeInATrailerIsAnError() throws IOException {
    byte[] a = content(1000);
    byte[] crc = gzip(a);
    crc[crc.length - 8] ^= 1;
    assertThatThrownBy(() -> readAll(crc, 512, 512))
        .isInstanceOf(ZipException.class)
        .hasMessage("Corrupt GZIP trailer (CRC-32 mismatch in gzip member 1)");
    byte[] size = gzip(a);
    size[size.length - 1] ^= 1;
    assertThatThrownBy(() -> readAll(concat(gzip(a), size), 512, 512))
        .isInstanceOf(ZipException.class)
        .hasMessage("Corrupt GZIP trailer (size mismatch in gzip member 2)");
  }

  /** What the reader gives before it fails, read {@code chunk} bytes at a time. */
  private static byte[] readBeforeFailing(byte[] file, int chunk) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (InputStream in = open(file, 64 * 1024)) {
      readAll(in, chunk, got);
    } catch (IOException e) {
      // what came before is the answer
    }
    return got.toByteArray();
  }

  @Test
  void damagedCompressedDataGivesEveryByteBeforeItWhateverTheReadSize() throws IOException {
    StringBuilder lines = new StringBuilder();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      lines.append("{\"id\":").append(i).append(",\"v\":\"");
      lines.append(Long.toHexString(random.nextLong() >>> random.nextInt(60))).append("\"}\n");
    }
    byte[] content = lines.toString().getBytes(StandardCharsets.UTF_8);
    byte[] good = gzip(content);
    int formatErrors = 0;
    for (int at = good.length / 2; at < good.length / 2 + 4000 && formatErrors < 5; at += 7) {
      byte[] bad = good.clone();
      bad[at] = (byte) 0xFF;
      boolean formatError;
      try (InputStream in = open(bad, 64 * 1024)) {
        readAll(in, 64 * 1024, new ByteArrayOutputStream());
        continue; // undamaged after all (a cut exactly at a byte that was 0xFF already)
      } catch (ZipException e) {
        formatError = !e.getMessage().startsWith("Corrupt GZIP trailer");
      }
      if (!formatError) {
        continue; // found by the checksum only: nothing more to compare
      }
      formatErrors++;
      byte[] bulk = readBeforeFailing(bad, 64 * 1024);
      // (Not always a prefix of the content: damaged data can decode to wrong bytes before zlib
      // meets a code that cannot be, as with Java's own reader; the trailer's CRC-32 is never
      // reached.)
      assertThat(bulk)
          .as("damage at byte %d: 64 KiB reads give what single bytes give", at)
          .isEqualTo(readBeforeFailing(bad, 1));
    }
    assertThat(formatErrors).as("damaged places that break the deflate data").isEqualTo(5);
  }

  @Test
  void damagedCompressedDataIsAnError() throws IOException {
    byte[] file = gzip(content(1000));
    file[10] = (byte) 0xFF; // the first deflate block: type 3 does not exist
    assertThatThrownBy(() -> readAll(file, 512, 512)).isInstanceOf(ZipException.class);
  }

  @Test
  void whatIsNotGzipFailsWhenOpened() {
    assertThatThrownBy(() -> open("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), 64))
        .isInstanceOf(ZipException.class)
        .hasMessage("Not in GZIP format");
    assertThatThrownBy(() -> open(new byte[0], 64))
        .isInstanceOf(EOFException.class)
        .hasMessage("Empty gzip file");
    assertThatThrownBy(() -> open(new byte[] {0x1f, (byte) 0x8b, 7, 0}, 64))
        .isInstanceOf(ZipException.class)
        .hasMessage("Unsupported compression method");
  }

  /** A member with every optional header field, written by hand (Java's writer sets none). */
  private static byte[] memberWithAllHeaderFields(byte[] content, int flags, boolean goodHeaderCrc)
      throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, 3});
    header.write(new byte[] {5, 0, 'x', 'x', 'x', 'x', 'x'}); // FEXTRA: length 5, data
    header.write("name.jsonl\0".getBytes(StandardCharsets.US_ASCII)); // FNAME
    header.write("a comment\0".getBytes(StandardCharsets.US_ASCII)); // FCOMMENT
    CRC32 headerCrc = new CRC32();
    headerCrc.update(header.toByteArray());
    int crc16 = (int) headerCrc.getValue() & 0xFFFF ^ (goodHeaderCrc ? 0 : 1);
    header.write(crc16 & 0xFF);
    header.write(crc16 >>> 8);

    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out =
        new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
      out.write(content);
    }
    CRC32 crc = new CRC32();
    crc.update(content);
    byte[] trailer = new byte[8];
    for (int i = 0; i < 4; i++) {
      trailer[i] = (byte) (crc.getValue() >>> 8 * i);
      trailer[4 + i] = (byte) (content.length >>> 8 * i);
    }
    return concat(header.toByteArray(), deflated.toByteArray(), trailer);
  }

  @Test
  void optionalHeaderFieldsAreSkippedAndTheHeaderChecksumChecked() throws IOException {
    byte[] a = content(4000);
    int all = 2 | 4 | 8 | 16;
    byte[] member = memberWithAllHeaderFields(a, all, true);
    assertThat(readAll(concat(gzip(a), member, gzip(a)), 16, 999)).isEqualTo(concat(a, a, a));
    // Java's own reader agrees that the member is well formed.
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
      assertThat(in.readAllBytes()).isEqualTo(a);
    }
    assertThatThrownBy(() -> readAll(memberWithAllHeaderFields(a, all, false), 64, 64))
        .isInstanceOf(ZipException.class)
        .hasMessage("Corrupt GZIP header");
    assertThatThrownBy(() -> readAll(memberWithAllHeaderFields(a, all | 0x20, true), 64, 64))
        .isInstanceOf(ZipException.class)
        .hasMessage("Reserved gzip header flags set");
    byte[] first = gzip(a);
    assertThatThrownBy(
            () -> readAll(concat(first, memberWithAllHeaderFields(a, all | 0x20, true)), 64, 64))
        .isInstanceOf(ZipException.class)
        .hasMessage(
            "Reserved gzip header flags set of gzip member 2 (at byte " + first.length + ")");
  }
}
