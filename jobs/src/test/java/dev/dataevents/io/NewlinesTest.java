package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NewlinesTest {

  @Test
  void countsEveryLineEndInAnyRangeOfAnyBytes() {
    Random rnd = new Random(9);
    // Bytes next to '\n' in value (\t \v, 0x8A, 0x00, 0xFF) are where a bit trick miscounts.
    byte[] alphabet = {'\n', '\n', 0x0B, 0x09, (byte) 0x8A, 0x00, (byte) 0xFF, 'a', 0x01, 0x7F};
    for (int round = 0; round < 2000; round++) {
      byte[] buffer = new byte[rnd.nextInt(70)];
      for (int i = 0; i < buffer.length; i++) {
        buffer[i] =
            rnd.nextBoolean() ? alphabet[rnd.nextInt(alphabet.length)] : (byte) rnd.nextInt();
      }
      int from = buffer.length == 0 ? 0 : rnd.nextInt(buffer.length + 1);
      int to = from + rnd.nextInt(buffer.length - from + 1);
      int expected = 0;
      for (int i = from; i < to; i++) {
        expected += buffer[i] == '\n' ? 1 : 0;
      }
      assertThat(Newlines.count(buffer, from, to)).as("round %d", round).isEqualTo(expected);
    }
  }
}
