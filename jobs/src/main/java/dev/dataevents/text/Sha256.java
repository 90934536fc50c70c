package dev.dataevents.text;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every Java platform has, and a digest's first 8 bytes as a number. */
public final class Sha256 {
  private Sha256() {}

  /** A new digest (not shared between threads). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The first 8 bytes of {@code sum}, big-endian: enough to tell contents apart in practice. */
  public static long first8Bytes(byte[] sum) {
    long prefix = 0;
    for (int i = 0; i < 8; i++) {
      prefix = prefix << 8 | (sum[i] & 0xff);
    }
    return prefix;
  }
}
