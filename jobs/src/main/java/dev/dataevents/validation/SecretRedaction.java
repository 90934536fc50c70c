package dev.dataevents.validation;

import dev.dataevents.json.JsonTreeReader;
import dev.dataevents.text.PercentEncoding;
import dev.dataevents.text.TextSearch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * How an {@code --auth} line is shown (in a rejection's {@code raw}, and in the line a stream keeps
 * with a record) without its access token.
 *
 * <p>By position first: the value of every key that decodes to {@code access_token} (in any case,
 * at any depth, whatever its type) is replaced as a whole by {@code "[redacted]"}, so a valid line
 * stays valid JSON. Once the token's text is known, no other copy of it may stay: a top-level
 * member whose decoded name or value contains it is redacted as a whole, and any copy left as
 * written is cut out of the text and of messages. Only a line that is not valid JSON falls back to
 * text: what the parser read before the error is redacted by position, and from there on everything
 * after anything that looks like an {@code access_token} key (escaped or not, in any case, quoted
 * or not) is cut.
 */
final class SecretRedaction {
  /** The key whose values are secrets, compared to the decoded key ignoring case. */
  static final String SECRET_KEY = "access_token";

  /** Replaces a value (or a member's name): a valid line stays valid JSON. */
  static final String VALUE = "\"[redacted]\"";

  /** Replaces the rest of a line, or a copy of the token inside other text. */
  static final String REST = "[redacted]";

  /** The token as decoded and as written; empty when it is not known. */
  private final List<TextSearch> copies;

  /**
   * Whether a decoded text holds another known token as a word of its own (only their hashes are
   * known), or null when no other token is looked for.
   */
  private final Predicate<String> knownToken;

  /**
   * What {@link #contains} said of each text of this line: the line's members are looked through
   * for the shown line, again for the event's own check, and its fields once more as normalised,
   * mostly the very same strings.
   */
  private final HashMap<String, Boolean> contained = new HashMap<>(64);

  private SecretRedaction(List<TextSearch> copies, Predicate<String> knownToken) {
    this.copies = copies;
    this.knownToken = knownToken;
  }

  static SecretRedaction of(JsonTreeReader.Reading reading) {
    return of(reading, null);
  }

  /**
   * The redaction of the line's token, and (with {@code knownToken}) of every top-level member
   * whose decoded names or values hold another known token: a copy written with escapes, which no
   * search of the text finds, goes with its member.
   */
  static SecretRedaction of(JsonTreeReader.Reading reading, Predicate<String> knownToken) {
    List<TextSearch> copies = new ArrayList<>(2);
    String token = reading.token();
    if (token != null && !token.isEmpty()) {
      copies.add(new TextSearch(token));
      String written = reading.tokenAsWritten();
      if (!written.isEmpty() && !written.equals(token)) {
        copies.add(new TextSearch(written));
      }
    }
    return new SecretRedaction(List.copyOf(copies), knownToken);
  }

  /** {@code text} without any copy of the token (for messages). */
  String scrub(String text) {
    for (TextSearch copy : copies) {
      text = copy.replaceIn(text, REST);
    }
    return text;
  }

  /**
   * Whether a value carries the token: a string, number or key that contains it, or (with {@code
   * secretKeys}) a key that is itself {@code access_token}.
   */
  boolean carries(JsonNode value, boolean secretKeys) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(value);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> member = it.next();
          boolean secretKey = isSecretKey(member.getKey());
          if ((secretKeys && secretKey) || contains(member.getKey())) {
            return true;
          }
          if (!secretKey) {
            // A secret key's value is redacted where it stands (the reading notes it at any
            // depth), and it is no text to look through: it may be a token of its own.
            pending.push(member.getValue());
          }
        }
      } else if (node.isArray()) {
        node.forEach(pending::push);
      } else if ((node.isTextual() || node.isNumber()) && contains(node.asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code text} holds the line's token, or another known token, as it stands or with its
   * percent-escapes decoded (a link's query writes a token that way).
   */
  boolean contains(String text) {
    Boolean known = contained.get(text);
    if (known == null) {
      String decoded = PercentEncoding.decode(text);
      // The line's own token first, in either form: then its words are never looked up by hash
      // (a known token's lookup remembers the words that are none, see TokenAuthenticator).
      known =
          holdsCopy(text)
              || (decoded != text && holdsCopy(decoded))
              || holdsKnownToken(text)
              || (decoded != text && holdsKnownToken(decoded));
      contained.put(text, known);
    }
    return known;
  }

  private boolean holdsCopy(String text) {
    for (TextSearch copy : copies) {
      if (copy.isIn(text)) {
        return true;
      }
    }
    return false;
  }

  private boolean holdsKnownToken(String text) {
    return knownToken != null && knownToken.test(text);
  }

  /** The line as it may be shown. */
  String shown(String line, JsonTreeReader.Reading reading) {
    List<Edit> edits = new ArrayList<>();
    for (JsonTreeReader.Range secret : reading.secretValues()) {
      edits.add(new Edit(secret.start(), secret.end(), VALUE));
    }
    if (reading.openSecretFrom() >= 0) {
      edits.add(new Edit(reading.openSecretFrom(), line.length(), REST));
    }
    if (!copies.isEmpty() || knownToken != null) {
      for (JsonTreeReader.Member member : reading.members()) {
        if (contains(member.name())) {
          edits.add(new Edit(member.nameStart(), member.valueStart(), VALUE + ":"));
        }
        if (!isSecretKey(member.name()) && carries(member.value(), false)) {
          edits.add(new Edit(member.valueStart(), member.valueEnd(), VALUE));
        }
      }
    }
    if (reading.error() != null) {
      int keyEnd = endOfSecretKey(line, reading.unreadFrom());
      if (keyEnd >= 0) {
        edits.add(new Edit(keyEnd, line.length(), REST));
      }
    }
    if (edits.isEmpty() && copies.isEmpty()) {
      return line; // (scrub() cuts copies of the line's token only: known ones are cut by words)
    }
    edits.sort(Comparator.comparingInt(Edit::start));
    StringBuilder out = new StringBuilder(line.length());
    int copied = 0;
    for (Edit edit : edits) {
      if (edit.end() <= copied) {
        continue; // inside one already made (a secret inside a member that carries the token)
      }
      if (edit.start() < copied) {
        // Overlapping: the rest of the line went already, or goes now.
        if (edit.end() == line.length()) {
          out.append(REST);
          copied = line.length();
        }
        continue;
      }
      out.append(scrub(line.substring(copied, edit.start()))).append(edit.replacement());
      copied = edit.end();
    }
    out.append(scrub(line.substring(copied)));
    return out.toString();
  }

  static boolean isSecretKey(String name) {
    return name.equalsIgnoreCase(SECRET_KEY);
  }

  private record Edit(int start, int end, String replacement) {}

  /**
   * Where the first thing that looks like an {@code access_token} key at or after {@code from}
   * ends, or -1: each of its characters may be written as such (in any case) or as a {@code \\u}
   * escape, quoted or not. Linear: at most 12 escapes are tried from each position.
   */
  static int endOfSecretKey(String line, int from) {
    String key = SECRET_KEY;
    for (int i = Math.max(0, from); i < line.length(); i++) {
      int at = i;
      int matched = 0;
      while (matched < key.length() && at < line.length()) {
        char want = key.charAt(matched);
        char c = line.charAt(at);
        if (Character.toLowerCase(c) == want) {
          at++;
        } else if (c == '\\' && isEscapeOf(line, at, want)) {
          at += 6;
        } else {
          break;
        }
        matched++;
      }
      if (matched == key.length()) {
        return at;
      }
    }
    return -1;
  }

  private static boolean isEscapeOf(String line, int at, char want) {
    if (at + 6 > line.length() || line.charAt(at + 1) != 'u') {
      return false;
    }
    int code = 0;
    for (int i = at + 2; i < at + 6; i++) {
      int digit = Character.digit(line.charAt(i), 16);
      if (digit < 0) {
        return false;
      }
      code = code * 16 + digit;
    }
    return Character.toLowerCase((char) code) == want;
  }
}
