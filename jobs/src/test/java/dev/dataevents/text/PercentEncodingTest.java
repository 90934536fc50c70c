package dev.dataevents.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentEncodingTest {
  @Test
  void decodesEscapesAsUtf8AndLeavesEverythingElse() {
    assertThat(PercentEncoding.decode("a%2Db%5Fc")).isEqualTo("a-b_c");
    assertThat(PercentEncoding.decode("caf%C3%A9+x")).isEqualTo("café+x");
    assertThat(PercentEncoding.decode("plain")).isSameAs("plain");
  }

  /**
   * A malformed escape (a stray '%', a cut one) stays as written, and the valid ones beside it are
   * still decoded: a token percent-encoded after "5%&" got past a decoder that gave up on the whole
   * string.
   */
  @Test
  void aMalformedEscapeStaysAndTheOthersAreDecoded() {
    assertThat(PercentEncoding.decode("p=5%&t=%73ecret")).isEqualTo("p=5%&t=secret");
    assertThat(PercentEncoding.decode("%zz%41%4")).isEqualTo("%zzA%4");
    assertThat(PercentEncoding.decode("%")).isEqualTo("%");
  }
}
