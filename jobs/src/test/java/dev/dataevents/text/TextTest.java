package dev.dataevents.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** "Characters" are Unicode code points; every output is well-formed. */
class TextTest {
  static final String ROCKET = "\uD83D\uDE80"; // U+1F680
  static final char HIGH = '\uD83D';
  static final char LOW = '\uDE80';

  // ---------------------------------------------------------------- length

  static Stream<Arguments> lengths() {
    return Stream.of(
        arguments("", 0),
        arguments("a", 1),
        arguments("abc", 3),
        arguments("é", 1),
        arguments("\uFFFF", 1),
        arguments(ROCKET, 1),
        arguments("a" + ROCKET + "b", 3),
        arguments(ROCKET.repeat(255), 255),
        arguments(String.valueOf(HIGH), 1),
        arguments("" + LOW + HIGH, 2));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("lengths")
  void countsCodePoints(String s, int expected) {
    assertThat(Text.length(s)).isEqualTo(expected);
  }

  // ---------------------------------------------------------------- truncate

  static Stream<Arguments> truncations() {
    return Stream.of(
        arguments("", 3, ""),
        arguments("abc", 3, "abc"),
        arguments("abc", 5, "abc"),
        arguments("abcd", 3, "abc"),
        arguments("abc", 0, ""),
        arguments(ROCKET + ROCKET, 1, ROCKET),
        arguments("a" + ROCKET, 1, "a"),
        arguments("a" + ROCKET + "b", 2, "a" + ROCKET),
        // 4 UTF-16 chars but 3 code points: kept whole.
        arguments("a" + ROCKET + "b", 3, "a" + ROCKET + "b"),
        arguments("ab" + ROCKET, 3, "ab" + ROCKET),
        arguments(ROCKET.repeat(300), 255, ROCKET.repeat(255)),
        arguments("x".repeat(256), 255, "x".repeat(255)));
  }

  @ParameterizedTest(name = "[{index}] to {1}")
  @MethodSource("truncations")
  void truncatesToCodePoints(String s, int max, String expected) {
    String result = Text.truncate(s, max);
    assertThat(result).isEqualTo(expected);
    assertThat(Text.length(result)).isLessThanOrEqualTo(max);
    assertThat(Text.wellFormed(result)).isEqualTo(result);
  }

  @Test
  void truncateReturnsTheSameStringWhenShortEnough() {
    String s = "a" + ROCKET;
    assertThat(Text.truncate(s, 2)).isSameAs(s);
  }

  // ---------------------------------------------------------------- wellFormed

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        arguments("", ""),
        arguments("plain", "plain"),
        arguments("é" + ROCKET + "\uFFFF", "é" + ROCKET + "\uFFFF"),
        arguments(ROCKET + ROCKET, ROCKET + ROCKET),
        arguments(String.valueOf(HIGH), "\uFFFD"),
        arguments(String.valueOf(LOW), "\uFFFD"),
        arguments("a" + HIGH, "a\uFFFD"),
        arguments(HIGH + "a", "\uFFFDa"),
        arguments("a" + LOW + "b", "a\uFFFDb"),
        // Reversed pair: two lone surrogates.
        arguments("" + LOW + HIGH, "\uFFFD\uFFFD"),
        arguments("" + HIGH + HIGH + LOW, "\uFFFD" + ROCKET),
        arguments("" + HIGH + LOW + LOW, ROCKET + "\uFFFD"),
        arguments("x" + LOW + ROCKET + HIGH, "x\uFFFD" + ROCKET + "\uFFFD"),
        arguments(ROCKET + "a" + HIGH + "b" + ROCKET, ROCKET + "a\uFFFDb" + ROCKET));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("wellFormed")
  void replacesLoneSurrogatesAndKeepsPairs(String s, String expected) {
    String result = Text.wellFormed(s);
    assertThat(result).isEqualTo(expected);
    assertThat(result.codePoints())
        .noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
  }

  @Test
  void wellFormedReturnsTheSameStringWhenNothingIsWrong() {
    String s = "ok " + ROCKET;
    assertThat(Text.wellFormed(s)).isSameAs(s);
  }

  // ---------------------------------------------------------------- compareCodePoints

  static Stream<Arguments> comparisons() {
    return Stream.of(
        arguments("a", "a", 0),
        arguments("", "", 0),
        arguments("a", "b", -1),
        arguments("b", "a", 1),
        arguments("", "a", -1),
        arguments("a", "", 1),
        arguments("ab", "abc", -1),
        arguments("abc", "ab", 1),
        arguments("B", "a", -1),
        // UTF-16 would put the surrogate (0xD83D) before U+FFFF; code points put U+1F680 after.
        arguments("\uFFFF", ROCKET, -1),
        arguments(ROCKET, "\uFFFF", 1),
        arguments(ROCKET, "\uFB01", 1),
        arguments("x" + ROCKET, "x\uFFFD", 1),
        arguments(ROCKET + "a", ROCKET + "b", -1),
        arguments(ROCKET, ROCKET, 0));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("comparisons")
  void comparesByCodePoints(String a, String b, int expectedSign) {
    assertThat(Integer.signum(Text.compareCodePoints(a, b))).isEqualTo(expectedSign);
  }

  @Test
  void codePointOrderDiffersFromUtf16OrderAboveTheBmp() {
    assertThat("\uFFFF".compareTo(ROCKET)).isPositive();
    assertThat(Text.compareCodePoints("\uFFFF", ROCKET)).isNegative();
  }

  @Test
  void sortingByCodePointsMatchesSortingByCodePointArrays() {
    List<String> strings =
        new ArrayList<>(List.of("b", ROCKET, "\uFFFF", "a" + ROCKET, "a\uFFFF", "a", "", "\uE000"));
    Collections.sort(strings, Text::compareCodePoints);
    assertThat(strings)
        .containsExactly("", "a", "a\uFFFF", "a" + ROCKET, "b", "\uE000", "\uFFFF", ROCKET);
  }
}
