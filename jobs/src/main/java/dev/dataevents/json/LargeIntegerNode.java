package dev.dataevents.json;

import java.io.IOException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.SerializerProvider;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeType;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ValueNode;

/**
 * A JSON integer beyond 64 bits, kept as the text it was sent as. No rule needs its value: such an
 * integer is no Unix time, amount or count, a {@code user_id} only as its decimal string (which
 * this text is: JSON integers have no leading zeros or plus sign), and a metadata Number is written
 * back as sent. Converting it instead ({@code BigInteger} of a million digits, and its {@code
 * toString} for a message) would cost seconds per line.
 *
 * <p>It is an integral number that cannot be converted: {@link #canConvertToLong()} is false and
 * the conversions throw, so a rule that forgets to check fails loudly ({@code internal_error})
 * rather than reading a made-up value.
 */
public final class LargeIntegerNode extends ValueNode {
  private static final long serialVersionUID = 1L;

  private final String text;

  LargeIntegerNode(String text) {
    this.text = text;
  }

  /** Digits, without the sign. */
  public int digits() {
    return text.startsWith("-") ? text.length() - 1 : text.length();
  }

  @Override
  public JsonNodeType getNodeType() {
    return JsonNodeType.NUMBER;
  }

  @Override
  public JsonToken asToken() {
    return JsonToken.VALUE_NUMBER_INT;
  }

  @Override
  public JsonParser.NumberType numberType() {
    return JsonParser.NumberType.BIG_INTEGER;
  }

  @Override
  public boolean isIntegralNumber() {
    return true;
  }

  @Override
  public boolean canConvertToInt() {
    return false;
  }

  @Override
  public boolean canConvertToLong() {
    return false;
  }

  @Override
  public boolean canConvertToExactIntegral() {
    return false;
  }

  @Override
  public Number numberValue() {
    throw unconverted();
  }

  @Override
  public int intValue() {
    throw unconverted();
  }

  @Override
  public long longValue() {
    throw unconverted();
  }

  @Override
  public double doubleValue() {
    throw unconverted();
  }

  @Override
  public java.math.BigInteger bigIntegerValue() {
    throw unconverted();
  }

  @Override
  public java.math.BigDecimal decimalValue() {
    throw unconverted();
  }

  private UnsupportedOperationException unconverted() {
    return new UnsupportedOperationException(
        "an integer of " + digits() + " digits is not converted");
  }

  @Override
  public String asText() {
    return text;
  }

  @Override
  public void serialize(JsonGenerator out, SerializerProvider provider) throws IOException {
    out.writeNumber(text);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LargeIntegerNode node && node.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
