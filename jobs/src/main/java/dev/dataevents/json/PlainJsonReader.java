package dev.dataevents.json;

import java.util.Arrays;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.BooleanNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.DoubleNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.IntNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.LongNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.NullNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads the plain JSON that almost every input line is, without Jackson, and gives up ({@link
 * GiveUp}) at the first thing it is not sure of: the caller then reads the whole line again with
 * Jackson ({@link JsonTreeReader}), which decides it and words any error. So this reader never
 * decides a line differently; it only skips, for the lines it can read, what made Jackson's
 * streaming parser the largest cost of parsing a line (a parser, a symbol table, read contexts and
 * a duplicate detector with a hash set per object, for every line).
 *
 * <p>It reads exactly what Jackson accepts with the project's settings ({@link Json}), restricted
 * further: whitespace is space, tab, CR and LF; strings hold no raw control character and only the
 * escapes of RFC 8259; numbers follow RFC 8259's grammar; nesting is at most {@value #MAX_DEPTH}
 * deep and an object has at most {@value #MAX_MEMBERS} members. Values are built as {@link
 * JsonTreeReader} builds them (integers by size as Jackson types them, longer than 64 bits as
 * {@link LargeIntegerNode}; other numbers as doubles). It gives up on a duplicate key at any depth,
 * where Jackson's strict duplicate detection fails the line, and on a key with an escape (rare:
 * keys are then compared as they are written).
 */
public final class PlainJsonReader {
  /** This reader cannot vouch for the line: read it with Jackson. Thrown without a stack trace. */
  public static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private GiveUp() {
      super("not plain JSON: read with Jackson", null, false, false);
    }
  }

  private static final GiveUp GIVE_UP = new GiveUp();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Deepest nesting read here (Jackson reads up to {@link Json#MAX_NESTING_DEPTH}). */
  static final int MAX_DEPTH = 32;

  /** Most members of one object read here (each name is compared with those before it). */
  static final int MAX_MEMBERS = 64;

  /** Longest text of an integer that may fit in 64 bits, as in {@link JsonTreeReader}. */
  private static final int LONG_CHARS = 20;

  /** The characters of a longer line are not kept for the next one. */
  private static final int KEPT_CHARS = 64 * 1024;

  private char[] line = new char[1024];
  private int end;
  private int at;

  /** Open objects and arrays. */
  private int depth;

  /**
   * Where the names read so far in the object open at each depth lie in the line (start, end and
   * hash: three ints a name), for duplicate detection: a name's characters are its text, since a
   * name with an escape is left to Jackson.
   */
  private int[][] names = new int[4][];

  private int[] counts = new int[4];

  private int nameStart;
  private int nameEnd;
  private int nameHash;

  /** A reader for one line after another ({@link #reset}); not shared between threads. */
  public PlainJsonReader() {}

  /**
   * Starts reading {@code line}. Its characters are copied into the reader's own array, then read
   * from it: String.charAt checks the string's encoding and bounds on every character.
   */
  public PlainJsonReader reset(String line) {
    int length = line.length();
    if (length > this.line.length || this.line.length > KEPT_CHARS) {
      this.line = new char[Math.max(length, 1024)];
    }
    line.getChars(0, length, this.line, 0);
    end = length;
    at = 0;
    depth = 0;
    return this;
  }

  /** Opens the object that starts at the next non-whitespace character. */
  public void beginObject() {
    skipWhitespace();
    expect('{');
    open();
  }

  /** Whether the next value is an object (the reader stands on it after {@link #nextMember}). */
  public boolean atObject() {
    return at < end && line[at] == '{';
  }

  /** Whether the next value is {@code null}. */
  public boolean atNull() {
    return at < end && line[at] == 'n';
  }

  /**
   * Reads the next member's name in the innermost open object, the reader then on its value; or
   * returns false at the object's end, which closes it.
   */
  public boolean nextMember() {
    skipWhitespace();
    char c = charAt(at);
    int count = counts[depth];
    if (c == '}') {
      at++;
      depth--;
      return false;
    }
    if (count > 0) {
      expect(',');
      skipWhitespace();
      c = charAt(at);
    }
    if (c != '"' || count == MAX_MEMBERS) {
      throw GIVE_UP;
    }
    int start = ++at;
    char[] chars = line;
    int i = start;
    int hash = 0;
    while (i < end && (c = chars[i]) != '"' && c != '\\' && c >= 0x20) {
      hash = 31 * hash + c; // String.hashCode's, so names compare by hash first
      i++;
    }
    if (i == end || c != '"') {
      throw GIVE_UP; // cut short, an escaped name (rare), or a control character
    }
    at = i + 1;
    int length = i - start;
    int[] seen = names[depth];
    for (int k = 0; k < 3 * count; k += 3) {
      int from = seen[k];
      if (seen[k + 2] == hash
          && seen[k + 1] - from == length
          && Arrays.equals(chars, from, from + length, chars, start, i)) {
        throw GIVE_UP; // a duplicate key: Jackson fails the line
      }
    }
    if (3 * count == seen.length) {
      names[depth] = seen = Arrays.copyOf(seen, seen.length * 2);
    }
    seen[3 * count] = start;
    seen[3 * count + 1] = i;
    seen[3 * count + 2] = hash;
    counts[depth] = count + 1;
    nameStart = start;
    nameEnd = i;
    nameHash = hash;
    skipWhitespace();
    expect(':');
    skipWhitespace();
    return true;
  }

  /** The name {@link #nextMember} read. */
  public String name() {
    return new String(line, nameStart, nameEnd - nameStart);
  }

  /**
   * Which of {@code candidates} the name {@link #nextMember} read is, or -1; {@code hashes} are
   * their {@link String#hashCode}s.
   */
  public int nameIn(char[][] candidates, int[] hashes) {
    int length = nameEnd - nameStart;
    for (int i = 0; i < candidates.length; i++) {
      if (hashes[i] == nameHash
          && candidates[i].length == length
          && Arrays.equals(candidates[i], 0, length, line, nameStart, nameEnd)) {
        return i;
      }
    }
    return -1;
  }

  /** The value the reader stands on, as a tree; the reader then stands after it. */
  public JsonNode value() {
    return read(true);
  }

  /** Passes over the value the reader stands on, checking it as {@link #value} does. */
  public void skipValue() {
    read(false);
  }

  /** Whether nothing but whitespace follows. */
  public boolean atEnd() {
    skipWhitespace();
    return at == end;
  }

  private JsonNode read(boolean build) {
    char c = charAt(at);
    switch (c) {
      case '"' -> {
        at++;
        String text = string(build);
        return build ? TextNode.valueOf(text) : null;
      }
      case '{' -> {
        at++;
        open();
        ObjectNode object = build ? NODES.objectNode() : null;
        while (nextMember()) {
          String name = build ? name() : null;
          JsonNode value = read(build);
          if (build) {
            object.set(name, value);
          }
        }
        return object;
      }
      case '[' -> {
        return array(build);
      }
      case 't' -> {
        literal("true");
        return BooleanNode.TRUE;
      }
      case 'f' -> {
        literal("false");
        return BooleanNode.FALSE;
      }
      case 'n' -> {
        literal("null");
        return NullNode.getInstance();
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number(build);
        }
        throw GIVE_UP;
      }
    }
  }

  private JsonNode array(boolean build) {
    at++;
    if (++depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    ArrayNode array = build ? NODES.arrayNode() : null;
    skipWhitespace();
    if (charAt(at) == ']') {
      at++;
      depth--;
      return array;
    }
    while (true) {
      JsonNode value = read(build);
      if (build) {
        array.add(value);
      }
      skipWhitespace();
      char c = charAt(at++);
      if (c == ']') {
        depth--;
        return array;
      }
      if (c != ',') {
        throw GIVE_UP;
      }
      skipWhitespace();
    }
  }

  /** Opens an object whose brace was just read: a new set of names at a new depth. */
  private void open() {
    if (++depth > MAX_DEPTH) {
      throw GIVE_UP;
    }
    if (depth == names.length) {
      names = Arrays.copyOf(names, depth * 2);
      counts = Arrays.copyOf(counts, depth * 2);
    }
    if (names[depth] == null) {
      names[depth] = new int[24];
    }
    counts[depth] = 0;
  }

  /**
   * The string whose opening quote was just read, the reader then after its closing quote; its text
   * only when {@code build}.
   */
  private String string(boolean build) {
    int start = at;
    char[] chars = line;
    int i = at;
    char c = 0;
    while (i < end && (c = chars[i]) != '"' && c != '\\' && c >= 0x20) {
      i++;
    }
    at = i;
    if (i == end || c < 0x20) {
      throw GIVE_UP; // cut short, or a raw control character: Jackson fails the line
    }
    if (c == '\\') {
      return escaped(start, build);
    }
    at++;
    return build ? new String(chars, start, i - start) : null;
  }

  /** The rest of a string from its first escape (rare: the slower path). */
  private String escaped(int start, boolean build) {
    StringBuilder text = build ? new StringBuilder(at - start + 16) : null;
    if (build) {
      text.append(line, start, at - start);
    }
    while (true) {
      char c = charAt(at++);
      if (c == '"') {
        return build ? text.toString() : null;
      }
      if (c < 0x20) {
        throw GIVE_UP;
      }
      if (c == '\\') {
        c =
            switch (charAt(at++)) {
              case '"' -> '"';
              case '\\' -> '\\';
              case '/' -> '/';
              case 'b' -> '\b';
              case 'f' -> '\f';
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'u' -> unicodeEscape();
              default -> throw GIVE_UP;
            };
      }
      if (build) {
        text.append(c);
      }
    }
  }

  private char unicodeEscape() {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      char c = charAt(at++);
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        throw GIVE_UP; // only ASCII hex digits, as Jackson reads them
      }
      value = value << 4 | digit;
    }
    return (char) value;
  }

  /** A number by RFC 8259's grammar, followed by a character that may follow a value. */
  private JsonNode number(boolean build) {
    int start = at;
    boolean negative = line[at] == '-';
    if (negative) {
      at++;
    }
    int digitsFrom = at;
    char c = charAt(at);
    if (c == '0') {
      at++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw GIVE_UP;
    }
    int digitsTo = at;
    boolean integer = true;
    if (at < end && line[at] == '.') {
      at++;
      integer = false;
      if (digits() == 0) {
        throw GIVE_UP;
      }
    }
    if (at < end && (line[at] == 'e' || line[at] == 'E')) {
      at++;
      integer = false;
      if (at < end && (line[at] == '+' || line[at] == '-')) {
        at++;
      }
      if (digits() == 0) {
        throw GIVE_UP;
      }
    }
    endOfValue();
    if (!build) {
      return null;
    }
    if (integer && digitsTo - digitsFrom <= 18) {
      // Most integers: no text, no parse. Eighteen digits always fit in 64 bits.
      long value = 0;
      for (int i = digitsFrom; i < digitsTo; i++) {
        value = value * 10 + (line[i] - '0');
      }
      value = negative ? -value : value;
      return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }
    String text = new String(line, start, at - start);
    if (!integer) {
      return DoubleNode.valueOf(Double.parseDouble(text));
    }
    if (text.length() <= LONG_CHARS) {
      long value;
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        return new LargeIntegerNode(text); // beyond 64 bits
      }
      return value == (int) value ? IntNode.valueOf((int) value) : LongNode.valueOf(value);
    }
    return new LargeIntegerNode(text);
  }

  private int digits() {
    int from = at;
    while (at < end && line[at] >= '0' && line[at] <= '9') {
      at++;
    }
    return at - from;
  }

  private void literal(String word) {
    int n = word.length();
    if (at + n > end) {
      throw GIVE_UP;
    }
    for (int i = 0; i < n; i++) {
      if (line[at + i] != word.charAt(i)) {
        throw GIVE_UP;
      }
    }
    at += n;
    endOfValue();
  }

  /** A value ends at whitespace, a comma, a closing bracket or the end of the line. */
  private void endOfValue() {
    if (at < end) {
      char c = line[at];
      if (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        throw GIVE_UP;
      }
    }
  }

  private void skipWhitespace() {
    while (at < end) {
      char c = line[at];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private void expect(char c) {
    if (charAt(at) != c) {
      throw GIVE_UP;
    }
    at++;
  }

  /** The character at {@code i}, or gives up past the end of the line (it was cut short). */
  private char charAt(int i) {
    if (i >= end) {
      throw GIVE_UP;
    }
    return line[i];
  }
}
