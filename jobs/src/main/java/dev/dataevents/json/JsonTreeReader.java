package dev.dataevents.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.BooleanNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ContainerNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.DoubleNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.IntNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.LongNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.NullNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads one line, once, token by token with Jackson's streaming parser, and builds its tree without
 * recursion. Two things Jackson's own tree reader cannot do are done on the way:
 *
 * <ul>
 *   <li>Integers beyond 64 bits stay text ({@link LargeIntegerNode}): a million digits are not
 *       converted to a {@code BigInteger} that no rule needs.
 *   <li>Given a secret key, where each of its values lies in the line (at any depth, whatever the
 *       escaping of the key, whatever the type of the value), the top-level members, and how far
 *       reading got when the line is not valid JSON: what is needed to show the line without its
 *       secrets.
 * </ul>
 */
public final class JsonTreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Longest text of an integer that may fit in 64 bits ({@code -9223372036854775808}). */
  private static final int LONG_CHARS = 20;

  private JsonTreeReader() {}

  /** Characters {@code [start, end)} of the line. */
  public record Range(int start, int end) {}

  /**
   * A member of the line's top-level object: where its name begins, and where its value lies.
   *
   * @param value its tree
   */
  public record Member(String name, int nameStart, int valueStart, int valueEnd, JsonNode value) {}

  /** What one reading of a line found. */
  public static final class Reading {
    private JsonNode root;
    private String error;
    private final List<Range> secretValues = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private int openSecretFrom = -1;
    private int unreadFrom = 0;
    private String token;
    private String tokenAsWritten;

    /** The tree, or null when the line is not valid JSON. */
    public JsonNode root() {
      return root;
    }

    /** Why the line is not valid JSON, one line ({@code invalid JSON: ...}), or null. */
    public String error() {
      return error;
    }

    /** Every complete value of a secret key, in line order. */
    public List<Range> secretValues() {
      return secretValues;
    }

    /** Complete members of a top-level object, in line order (noted with a secret key only). */
    public List<Member> members() {
      return members;
    }

    /** Where a secret value began that the error cut short, or -1. */
    public int openSecretFrom() {
      return openSecretFrom;
    }

    /** Where the last token that was read began: for an invalid line, nothing after it is known. */
    public int unreadFrom() {
      return unreadFrom;
    }

    /**
     * The decoded text of the top-level member named exactly as the secret key when it is a string
     * or a number (the secret whose copies must go too), or null.
     */
    public String token() {
      return token;
    }

    /** The same as it is written in the line (escapes as sent), or null. */
    public String tokenAsWritten() {
      return tokenAsWritten;
    }
  }

  /**
   * Reads a line.
   *
   * @param secretKey the key whose values are secrets, compared to each decoded key ignoring case;
   *     null to note nothing about secrets
   */
  public static Reading read(String line, String secretKey) {
    Reading reading = new Reading();
    JsonParser parser = null;
    try {
      parser = Json.factory().createParser(line);
      reading.root = build(parser, line, reading, secretKey);
    } catch (JsonProcessingException e) {
      reading.root = null;
      reading.error = Json.describe(e, column(parser, e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException e) {
          // A parser over a String holds nothing to release.
        }
      }
    }
    return reading;
  }

  private static JsonNode build(JsonParser parser, String line, Reading reading, String secretKey)
      throws IOException {
    boolean secrets = secretKey != null;
    JsonToken token = next(parser, reading);
    if (token == null) {
      reading.error = "invalid JSON: the line holds no JSON value";
      return null;
    }
    Deque<ContainerNode<?>> open = new ArrayDeque<>();
    JsonNode root = null;
    String name = null;
    int nameStart = -1;
    boolean secretNext = false;
    int secretDepth = -1;
    // The top-level member whose value is an open container.
    String memberName = null;
    int memberNameStart = -1;
    int memberValueStart = -1;
    while (true) {
      int start = start(parser);
      if (token == JsonToken.FIELD_NAME) {
        name = parser.currentName();
        nameStart = start;
        secretNext = secrets && secretDepth < 0 && name.equalsIgnoreCase(secretKey);
      } else if (token.isStructEnd()) {
        JsonNode closed = open.pop();
        int end = end(parser);
        if (open.size() + 1 == secretDepth) {
          reading.secretValues.add(new Range(reading.openSecretFrom, end));
          reading.openSecretFrom = -1;
          secretDepth = -1;
        }
        if (open.size() == 1 && open.peek() instanceof ObjectNode && secrets) {
          reading.members.add(
              new Member(memberName, memberNameStart, memberValueStart, end, closed));
        }
      } else {
        if (secretNext && token != JsonToken.VALUE_NULL) {
          // Until the value is complete: a string cut short hides the rest of the line.
          reading.openSecretFrom = start;
        } else {
          secretNext = false; // null carries no secret
        }
        JsonNode value =
            switch (token) {
              case START_OBJECT -> NODES.objectNode();
              case START_ARRAY -> NODES.arrayNode();
              default -> scalar(parser, token);
            };
        ContainerNode<?> parent = open.peek();
        if (parent == null) {
          root = value;
        } else if (parent instanceof ObjectNode object) {
          object.set(name, value);
        } else {
          ((ArrayNode) parent).add(value);
        }
        boolean topMember = open.size() == 1 && parent instanceof ObjectNode;
        if (token.isStructStart()) {
          open.push((ContainerNode<?>) value);
          if (secretNext) {
            secretDepth = open.size();
          }
          if (topMember && secrets) {
            memberName = name;
            memberNameStart = nameStart;
            memberValueStart = start;
          }
        } else {
          int end = end(parser);
          if (secretNext) {
            reading.secretValues.add(new Range(start, end));
            reading.openSecretFrom = -1;
            if (topMember && name.equals(secretKey) && reading.token == null) {
              noteToken(reading, line, token, value, start, end);
            }
          }
          if (topMember && secrets) {
            reading.members.add(new Member(name, nameStart, start, end, value));
          }
        }
        secretNext = false;
      }
      if (open.isEmpty()) {
        break;
      }
      token = next(parser, reading);
    }
    JsonToken extra = next(parser, reading);
    if (extra != null) {
      reading.error = moreThanOneValue(parser);
      return null;
    }
    return root;
  }

  /** A parser of one line with the project's settings ({@link Json}). */
  public static JsonParser parser(String line) throws IOException {
    return Json.factory().createParser(line);
  }

  /** The message of a line that goes on after its value, the parser on the extra token. */
  public static String moreThanOneValue(JsonParser parser) {
    return "invalid JSON: more than one JSON value on the line at column "
        + (parser.currentTokenLocation().getCharOffset() + 1);
  }

  /** The one-line message of a syntax error that {@code parser} reported. */
  public static String describe(JsonParser parser, JsonProcessingException e) {
    return Json.describe(e, column(parser, e));
  }

  /**
   * The value that starts at the parser's current token, as a tree; the parser is left on the
   * value's last token. Values are read exactly as {@link #read} reads them.
   */
  public static JsonNode value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (!token.isStructStart()) {
      return scalar(parser, token);
    }
    ContainerNode<?> root =
        token == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
    Deque<ContainerNode<?>> open = new ArrayDeque<>();
    open.push(root);
    String name = null;
    while (!open.isEmpty()) {
      token = parser.nextToken();
      if (token == JsonToken.FIELD_NAME) {
        name = parser.currentName();
        continue;
      }
      if (token.isStructEnd()) {
        open.pop();
        continue;
      }
      JsonNode value =
          switch (token) {
            case START_OBJECT -> NODES.objectNode();
            case START_ARRAY -> NODES.arrayNode();
            default -> scalar(parser, token);
          };
      if (open.peek() instanceof ObjectNode object) {
        object.set(name, value);
      } else {
        ((ArrayNode) open.peek()).add(value);
      }
      if (token.isStructStart()) {
        open.push((ContainerNode<?>) value);
      }
    }
    return root;
  }

  /**
   * Passes over the value that starts at the parser's current token without building it, but
   * reading every string to its end as {@link #read} does, so a line is invalid in the same place
   * with the same message whichever way it is read.
   */
  public static void skipValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    int depth = 0;
    while (true) {
      if (token.isStructStart()) {
        depth++;
      } else if (token.isStructEnd()) {
        depth--;
      } else if (token == JsonToken.VALUE_STRING) {
        parser.getTextCharacters();
      }
      if (depth == 0) {
        return;
      }
      token = parser.nextToken();
    }
  }

  private static void noteToken(
      Reading reading, String line, JsonToken token, JsonNode value, int start, int end) {
    if (token == JsonToken.VALUE_STRING) {
      reading.token = value.textValue();
      reading.tokenAsWritten = line.substring(start + 1, end - 1);
    } else if (token.isNumeric()) {
      reading.token = line.substring(start, end);
      reading.tokenAsWritten = reading.token;
    }
  }

  private static JsonToken next(JsonParser parser, Reading reading) throws IOException {
    JsonToken token = parser.nextToken();
    if (token != null) {
      reading.unreadFrom = start(parser);
    }
    return token;
  }

  /** A scalar value (string, number, boolean, null) as {@link #read} builds it. */
  public static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT -> integer(parser);
      case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
      case VALUE_TRUE -> BooleanNode.TRUE;
      case VALUE_FALSE -> BooleanNode.FALSE;
      case VALUE_NULL -> NullNode.getInstance();
      default -> throw new IllegalStateException("unexpected JSON token " + token);
    };
  }

  /** Integers that fit in 64 bits become numbers; longer ones stay text, whatever their length. */
  private static JsonNode integer(JsonParser parser) throws IOException {
    if (parser.getTextLength() <= LONG_CHARS) {
      switch (parser.getNumberType()) {
        case INT:
          return IntNode.valueOf(parser.getIntValue());
        case LONG:
          return LongNode.valueOf(parser.getLongValue());
        default:
          break;
      }
    }
    return new LargeIntegerNode(parser.getText());
  }

  /** Where the current token begins, in characters of the line. */
  private static int start(JsonParser parser) {
    return Math.toIntExact(parser.currentTokenLocation().getCharOffset());
  }

  /** Where the current (complete) token ends. */
  private static int end(JsonParser parser) {
    return Math.toIntExact(parser.currentLocation().getCharOffset());
  }

  /**
   * The column of an error, counted in characters from the start of the line. Not Jackson's column
   * number: Jackson counts again from 1 after a carriage return, which a line may hold (only a
   * final one is taken off).
   */
  private static int column(JsonParser parser, JsonProcessingException e) {
    if (e.getLocation() != null && e.getLocation().getCharOffset() >= 0) {
      return Math.toIntExact(e.getLocation().getCharOffset() + 1);
    }
    // Jackson's constraint errors carry no location; the parser stands just after the character
    // that broke the limit.
    return parser == null ? -1 : Math.toIntExact(parser.currentLocation().getCharOffset());
  }
}
