package dev.dataevents.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

/** The outputs were written by Jackson's generator; the builder writes them byte for byte alike. */
class JsonBuilderTest {

  @Test
  void stringsAreEscapedAsJacksonEscapesThem() throws Exception {
    Random rnd = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      String value =
          randomText(
              rnd,
              r ->
                  switch (r.nextInt(4)) {
                    case 0 -> (char) r.nextInt(0x80);
                    case 1 -> (char) r.nextInt(0x20);
                    case 2 -> (char) (0x80 + r.nextInt(0x3000));
                    default -> "\uD83D\uDE80\u2028\u2029\u007f\"\\/".charAt(r.nextInt(8));
                  });
      // The bytes of the output line: Jackson's text, encoded as the part files always were (a
      // lone surrogate as '?').
      assertThat(new JsonBuilder(16).string(value).toUtf8())
          .isEqualTo(jackson(out -> out.writeString(value)).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aNameEncodedOnceIsWrittenAsTheSameNameWrittenEachTime() {
    String name = "k\u00e9y \"\\\n\uD83D\uDE80";
    assertThat(new JsonBuilder(4).startObject().name(JsonBuilder.Name.of(name)).number(1L).toUtf8())
        .isEqualTo(new JsonBuilder(4).startObject().name(name).number(1L).toUtf8());
  }

  @Test
  void rawValuesAreCopiedAsTheyAre() {
    String text = "{\"k\":\"caf\u00e9 \u2603 \uD83D\uDE80\"}";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    JsonBuilder builder = new JsonBuilder(4).startArray().raw(utf8).raw(text).number(-42L);
    builder.number(Long.MIN_VALUE).number(0L).endArray();
    assertThat(builder.toString())
        .isEqualTo("[" + text + "," + text + ",-42,-9223372036854775808,0]");
    assertThat(builder.toUtf8()).isEqualTo(builder.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rawTextIsEncodedAsTheCharacterLoopEncodesIt() {
    Random rnd = new Random(6);
    for (int i = 0; i < 20_000; i++) {
      String text =
          randomText(
              rnd,
              r ->
                  switch (r.nextInt(4)) {
                    case 0 -> (char) r.nextInt(0x80);
                    case 1 -> (char) (0x80 + r.nextInt(0x780));
                    case 2 -> (char) (0x800 + r.nextInt(0xF000));
                    default -> "\uD83D\uDE80\uD800\uDFFF".charAt(r.nextInt(4)); // pairs, halves
                  });
      // A String goes through the JDK's encoder, any other text through the builder's own loop.
      assertThat(new JsonBuilder(4).raw(text).toUtf8())
          .isEqualTo(new JsonBuilder(4).raw(new StringBuilder(text)).toUtf8());
    }
  }

  @Test
  void aBorrowedBuilderStartsEmptyEachTimeAndARenderingWithinARenderingGetsItsOwn() {
    JsonBuilder first = JsonBuilder.borrow();
    first.startObject().name(JsonBuilder.Name.of("a")).number(1L).endObject();
    assertThat(JsonBuilder.borrow()).isNotSameAs(first); // still out: a new one
    first.release();

    JsonBuilder again = JsonBuilder.borrow();
    assertThat(again).isSameAs(first);
    assertThat(again.number(2L).toString()).isEqualTo("2"); // no comma: nothing before it
    again.release();

    // A value rendered while the thread's builder is out does not land in the outer line.
    byte[] outer =
        JsonWriter.render(
            out -> {
              out.startArray().string("x");
              byte[] inner = JsonWriter.render(in -> in.startArray().number(7L).endArray());
              out.raw(inner).endArray();
            });
    assertThat(new String(outer, StandardCharsets.UTF_8)).isEqualTo("[\"x\",[7]]");
    assertThat(JsonWriter.render(out -> out.string("y"))).isEqualTo("\"y\"".getBytes());
  }

  @Test
  void aLineLargerThanTheBuilderGrowsItAndTheNextLineIsWhole() {
    String big = "é".repeat(100_000); // two bytes each: past what a reused builder keeps
    byte[] line = JsonWriter.render(out -> out.string(big));
    assertThat(line).hasSize(200_002);
    assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo("\"" + big + "\"");
    assertThat(JsonWriter.render(out -> out.string("small"))).isEqualTo("\"small\"".getBytes());
  }

  @Test
  void numbersAndNestingAreWrittenAsJacksonWritesThem() throws Exception {
    Random rnd = new Random(4);
    for (int i = 0; i < 5_000; i++) {
      double d =
          switch (i % 4) {
            case 0 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20);
            case 1 -> -rnd.nextDouble();
            case 2 -> (double) rnd.nextInt();
            default -> Double.longBitsToDouble(rnd.nextLong());
          };
      if (!Double.isFinite(d)) {
        continue;
      }
      long l = rnd.nextLong();
      JsonBuilder ours = new JsonBuilder(16);
      ours.startObject()
          .name("a")
          .number(d)
          .field(JsonBuilder.Name.of("b"), l)
          .name("c")
          .startArray()
          .nullValue()
          .string(null)
          .raw("12345678901234567890123")
          .startObject()
          .endObject()
          .endArray()
          .fieldOrNull(JsonBuilder.Name.of("d"), null)
          .fieldIfPresent(JsonBuilder.Name.of("e"), null)
          .field(JsonBuilder.Name.of("f"), "x")
          .endObject();
      String theirs =
          jackson(
              out -> {
                out.writeStartObject();
                out.writeNumberField("a", d);
                out.writeNumberField("b", l);
                out.writeArrayFieldStart("c");
                out.writeNull();
                out.writeString((String) null);
                out.writeNumber("12345678901234567890123");
                out.writeStartObject();
                out.writeEndObject();
                out.writeEndArray();
                out.writeNullField("d");
                out.writeStringField("f", "x");
                out.writeEndObject();
              });
      assertThat(ours.toString()).isEqualTo(theirs);
    }
  }

  @Test
  void timesAreFormattedAsTheFormatterFormatsThem() {
    DateTimeFormatter iso =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    Random rnd = new Random(5);
    long[] edges = {
      0,
      1,
      86_399,
      86_400,
      951_782_400,
      4_107_542_399L,
      99_999_999_999L,
      253_402_300_799L,
      253_402_300_800L,
      -1,
      -86_401
    };
    for (long s : edges) {
      assertThat(JsonWriter.isoSeconds(s)).isEqualTo(iso.format(Instant.ofEpochSecond(s)));
    }
    for (int i = 0; i < 100_000; i++) {
      long s = Math.floorMod(rnd.nextLong(), 100_000_000_000L);
      assertThat(JsonWriter.isoSeconds(s)).isEqualTo(iso.format(Instant.ofEpochSecond(s)));
      long ms = Math.floorMod(rnd.nextLong(), 100_000_000_000_000L);
      assertThat(JsonWriter.isoMillis(ms)).isEqualTo(iso.format(Instant.ofEpochMilli(ms)));
    }
  }

  @FunctionalInterface
  private interface Writing {
    void write(JsonGenerator out) throws Exception;
  }

  private static String jackson(Writing writing) throws Exception {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = Json.mapper().getFactory().createGenerator(text)) {
      writing.write(out);
    }
    return text.toString();
  }

  /** Picks one character of a random text. */
  private interface CharPicker {
    char pick(Random rnd);
  }

  /** A text of 0-11 characters, each from {@code chars}. */
  private static String randomText(Random rnd, CharPicker chars) {
    StringBuilder s = new StringBuilder();
    int n = rnd.nextInt(12);
    for (int j = 0; j < n; j++) {
      s.append(chars.pick(rnd));
    }
    return s.toString();
  }
}
