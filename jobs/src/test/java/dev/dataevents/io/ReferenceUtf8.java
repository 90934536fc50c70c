package dev.dataevents.io;

/**
 * A UTF-8 decoder written from the Unicode Standard (chapter 3, table 3-7 of well-formed byte
 * sequences, and "U+FFFD substitution of maximal subparts"): slow and plain, to check the job's
 * decoding against.
 */
final class ReferenceUtf8 {
  private ReferenceUtf8() {}

  static String decode(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < bytes.length) {
      int b1 = bytes[i] & 0xFF;
      int needed;
      int low = 0x80;
      int high = 0xBF; // the allowed range of the second byte
      int cp;
      if (b1 < 0x80) {
        out.append((char) b1);
        i++;
        continue;
      } else if (b1 >= 0xC2 && b1 <= 0xDF) {
        needed = 1;
        cp = b1 & 0x1F;
      } else if (b1 >= 0xE0 && b1 <= 0xEF) {
        needed = 2;
        cp = b1 & 0x0F;
        if (b1 == 0xE0) {
          low = 0xA0;
        } else if (b1 == 0xED) {
          high = 0x9F;
        }
      } else if (b1 >= 0xF0 && b1 <= 0xF4) {
        needed = 3;
        cp = b1 & 0x07;
        if (b1 == 0xF0) {
          low = 0x90;
        } else if (b1 == 0xF4) {
          high = 0x8F;
        }
      } else {
        out.append('\uFFFD'); // never a lead byte
        i++;
        continue;
      }
      int j = i + 1;
      int read = 0;
      while (read < needed && j < bytes.length) {
        int b = bytes[j] & 0xFF;
        int lo = read == 0 ? low : 0x80;
        int hi = read == 0 ? high : 0xBF;
        if (b < lo || b > hi) {
          break;
        }
        cp = cp << 6 | (b & 0x3F);
        read++;
        j++;
      }
      if (read == needed) {
        out.appendCodePoint(cp);
      } else {
        out.append('\uFFFD'); // the maximal subpart: the lead byte and the bytes that fit it
      }
      i = j;
    }
    return out.toString();
  }
}
