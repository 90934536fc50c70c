package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.FORBIDDEN;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static dev.dataevents.model.RejectionReason.UNAUTHORIZED;

import dev.dataevents.job.UsageException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks the access token of {@code --auth} lines ({@code {"access_token":"...","event":{...}}})
 * against a tokens file, as the Data Events API checks a bearer token: unknown token 401, missing
 * scope or foreign workspace 403.
 *
 * <p>Only the SHA-256 of each token is known here, so neither the tokens file nor this object
 * (which Flink serializes into every task) nor any rejection it makes can give a token away.
 */
public final class TokenAuthenticator implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String WRITE_EVENTS = "write_events";

  static final String REDACTED = "[redacted]";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9A-Fa-f]{64}");

  /**
   * Only the key and the colon are matched by the regex; the value is scanned by hand because a
   * Java regex over an alternation recurses per character and a 1 MiB token would overflow the
   * stack.
   */
  private static final Pattern ACCESS_TOKEN_KEY = Pattern.compile("\"access_token\"\\s*:\\s*");

  /** Jackson echoes an unquoted word it cannot parse, and that word may be the token. */
  private static final Pattern ECHOED_TOKEN = Pattern.compile("Unrecognized token '.*': ");

  private final HashMap<String, Grant> grants;

  private TokenAuthenticator(HashMap<String, Grant> grants) {
    this.grants = grants;
  }

  /** Reads a tokens file; any mistake in it is a one-line {@link UsageException}. */
  public static TokenAuthenticator load(Path tokensFile) {
    String source = "tokens file " + tokensFile;
    String text;
    try {
      text = Files.readString(tokensFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(source + ": cannot be read (" + oneLine(e.toString()) + ")");
    }
    return parse(text, source);
  }

  /** The same as {@link #load} for the file's content. */
  public static TokenAuthenticator of(String json) {
    return parse(json, "tokens JSON");
  }

  private static TokenAuthenticator parse(String text, String source) {
    // Editors on Windows save a byte-order mark; input files may have one too (DESIGN.md).
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new UsageException(source + ": not valid JSON (" + jacksonMessage(e) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new UsageException(source + ": is empty; expected {\"tokens\":[...]}");
    }
    JsonNode tokens = root.isObject() ? root.get("tokens") : null;
    if (tokens == null || !tokens.isArray()) {
      throw new UsageException(
          source + ": expected an object {\"tokens\":[...]} with a \"tokens\" array");
    }
    HashMap<String, Grant> grants = new HashMap<>();
    HashMap<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String at = source + ": tokens[" + i + "]";
      JsonNode entry = tokens.get(i);
      if (!entry.isObject()) {
        throw new UsageException(at + " must be an object, not " + FieldRules.describe(entry));
      }
      JsonNode sha256 = entry.get("sha256");
      if (sha256 == null
          || !sha256.isTextual()
          || !SHA256_HEX.matcher(sha256.textValue()).matches()) {
        throw new UsageException(
            at + ".sha256 must be the SHA-256 of the token as 64 hexadecimal characters");
      }
      JsonNode workspace = entry.get("workspace_id");
      if (workspace == null
          || !workspace.isTextual()
          || !FieldRules.isValidWorkspaceId(workspace.textValue())) {
        throw new UsageException(
            at + ".workspace_id must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
      }
      JsonNode scopes = entry.get("scopes");
      if (scopes == null || !scopes.isArray()) {
        throw new UsageException(at + ".scopes must be an array of strings");
      }
      Set<String> scopeSet = new HashSet<>();
      for (JsonNode scope : scopes) {
        if (!scope.isTextual()) {
          throw new UsageException(at + ".scopes must be an array of strings");
        }
        scopeSet.add(scope.textValue());
      }
      String hash = sha256.textValue().toLowerCase(Locale.ROOT);
      Integer earlier = firstIndex.putIfAbsent(hash, i);
      if (earlier != null) {
        // Two grants for one token would leave its workspace to chance.
        throw new UsageException(at + ".sha256 repeats tokens[" + earlier + "]");
      }
      grants.put(hash, new Grant(workspace.textValue(), Set.copyOf(scopeSet)));
    }
    return new TokenAuthenticator(grants);
  }

  /**
   * Checks one line and returns its event as JSON text for the ordinary event validation.
   *
   * <p>The event is returned as the very characters it was sent as, not re-serialized from the
   * tree: Jackson would write an overflowing number ({@code 1e400}) as the string {@code
   * "Infinity"} and fail on nesting deeper than 1000, so the event validation would judge a
   * different event than the one sent.
   *
   * @param defaultWorkspace the workspace of an event without {@code workspace_id} ({@code
   *     --workspace})
   */
  public String authenticate(String line, String defaultWorkspace) throws RecordRejectedException {
    JsonNode root;
    try {
      root = Json.parse(line);
    } catch (RecordRejectedException e) {
      String message = ECHOED_TOKEN.matcher(e.getMessage()).replaceFirst("Unrecognized token: ");
      if (message.equals(e.getMessage())) {
        throw e;
      }
      throw new RecordRejectedException(e.reason(), e.field(), message);
    }
    if (!root.isObject()) {
      throw new RecordRejectedException(
          NOT_AN_OBJECT,
          null,
          "the line must be a JSON object {\"access_token\":...,\"event\":{...}}, not "
              + FieldRules.describe(root));
    }

    Grant grant = grantFor(Json.field(root, "access_token"));
    if (!grant.scopes().contains(WRITE_EVENTS)) {
      throw new RecordRejectedException(
          FORBIDDEN, "access_token", "the access token lacks the " + WRITE_EVENTS + " scope");
    }

    JsonNode event = Json.field(root, "event");
    if (event == null) {
      throw new RecordRejectedException(NOT_AN_OBJECT, "event", "event is required");
    }
    if (!event.isObject()) {
      throw new RecordRejectedException(
          NOT_AN_OBJECT, "event", "event must be a JSON object, not " + FieldRules.describe(event));
    }

    JsonNode workspace = Json.field(event, "workspace_id");
    if (workspace == null) {
      if (!grant.workspaceId().equals(defaultWorkspace)) {
        throw new RecordRejectedException(
            FORBIDDEN,
            "workspace_id",
            "the access token may write to workspace "
                + grant.workspaceId()
                + " only; the event has no workspace_id and the default workspace is "
                + defaultWorkspace);
      }
    } else if (workspace.isTextual() && !grant.workspaceId().equals(workspace.textValue())) {
      // The event's own value is not echoed: it is arbitrary text, possibly the token itself.
      throw new RecordRejectedException(
          FORBIDDEN,
          "workspace_id",
          "the access token may write to workspace "
              + grant.workspaceId()
              + " only, not to the event's workspace_id");
    }
    // A workspace_id that is not a string is invalid_workspace_id, for the event validation to say.
    return eventText(line);
  }

  private Grant grantFor(JsonNode token) throws RecordRejectedException {
    if (token == null) {
      throw new RecordRejectedException(UNAUTHORIZED, "access_token", "access_token is required");
    }
    if (!token.isTextual()) {
      throw new RecordRejectedException(
          UNAUTHORIZED,
          "access_token",
          "access_token must be a string, not " + FieldRules.describe(token));
    }
    String text = token.textValue();
    if (text.isEmpty()) {
      throw new RecordRejectedException(UNAUTHORIZED, "access_token", "access_token is empty");
    }
    // UTF-8 would encode an unpaired surrogate as '?', so such a token could pass for another.
    Grant grant = Text.wellFormed(text) == text ? grants.get(sha256(text)) : null;
    if (grant == null) {
      throw new RecordRejectedException(
          UNAUTHORIZED, "access_token", "the access token is not known");
    }
    return grant;
  }

  /** The text of the line's top-level {@code event} value, which the caller found an object. */
  private static String eventText(String line) {
    try (JsonParser parser = Json.mapper().createParser(line)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("event")) {
          int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
          parser.skipChildren();
          int end = Math.toIntExact(parser.currentLocation().getCharOffset());
          return line.substring(start, end);
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("the line has no event object");
  }

  /**
   * The line with the value of every {@code "access_token"} replaced by {@code "[redacted]"}, for
   * rejections and logs. Works on the text, so that a line that is not JSON (cut short, say) does
   * not leak its token either: an unterminated token string is redacted to the end of the line, and
   * an unquoted token (which is invalid JSON) up to the next comma, closing brace or bracket.
   */
  public static String redact(String rawLine) {
    Matcher key = ACCESS_TOKEN_KEY.matcher(rawLine);
    int length = rawLine.length();
    StringBuilder out = null;
    int copied = 0;
    int from = 0;
    while (from < length && key.find(from)) {
      int start = key.end();
      int end = start;
      String replacement = null;
      if (start < length && rawLine.charAt(start) == '"') {
        end = start + 1;
        while (end < length && rawLine.charAt(end) != '"') {
          end += rawLine.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, length);
        replacement = "\"" + REDACTED + "\"";
      } else if (isBareValue(rawLine, start)) {
        while (end < length && ",}]".indexOf(rawLine.charAt(end)) < 0) {
          end++;
        }
        while (end > start + 1 && Character.isWhitespace(rawLine.charAt(end - 1))) {
          end--;
        }
        replacement = REDACTED;
      }
      if (replacement != null) {
        if (out == null) {
          out = new StringBuilder(length);
        }
        out.append(rawLine, copied, start).append(replacement);
        copied = end;
      }
      from = Math.max(end, key.end());
    }
    if (out == null) {
      return rawLine;
    }
    return out.append(rawLine, copied, length).toString();
  }

  /**
   * Whether an unquoted value starts here that is no JSON structure or literal, i.e. that may be a
   * token sent without quotes. Numbers count: a numeric token is a secret too.
   */
  private static boolean isBareValue(String line, int at) {
    if (at >= line.length() || "{[,}]".indexOf(line.charAt(at)) >= 0) {
      return false;
    }
    for (String literal : new String[] {"null", "true", "false"}) {
      int after = at + literal.length();
      if (line.startsWith(literal, at)
          && (after == line.length() || !Character.isLetterOrDigit(line.charAt(after)))) {
        return false;
      }
    }
    return true;
  }

  private static String sha256(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String jacksonMessage(JsonProcessingException e) {
    String message = oneLine(e.getOriginalMessage());
    message = ECHOED_TOKEN.matcher(message).replaceFirst("Unrecognized token: ");
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message += " at line " + e.getLocation().getLineNr();
    }
    return message;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }

  /** What a token may do; its hash is the key it is kept under. */
  private record Grant(String workspaceId, Set<String> scopes) implements Serializable {}
}
