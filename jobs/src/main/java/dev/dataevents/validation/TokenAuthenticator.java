package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.FORBIDDEN;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static dev.dataevents.model.RejectionReason.UNAUTHORIZED;

import dev.dataevents.json.Json;
import dev.dataevents.json.JsonTreeReader;
import dev.dataevents.text.Text;
import dev.dataevents.text.TextSearch;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
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

  /** What a record shows of an {@code --auth} line whose redaction failed: nothing. */
  public static final String NOT_SHOWN = "[redacted: the line could not be shown safely]";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9A-Fa-f]{64}");

  /** Jackson echoes an unquoted word it cannot parse, and that word may be the token. */
  private static final Pattern ECHOED_TOKEN = Pattern.compile("Unrecognized token '.*': ");

  /** Jackson's quotes of line content: group 1 is what stays, group 2 the quote. */
  private static final List<Pattern> ECHOES =
      List.of(
          Pattern.compile("(Unrecognized token)(?: '(.*)')(?=: )"),
          Pattern.compile("(Duplicate field)(?: '(.*)')"));

  private final HashMap<String, Grant> grants;

  private TokenAuthenticator(HashMap<String, Grant> grants) {
    this.grants = grants;
  }

  /** Reads a tokens file; any mistake in it is a one-line {@link TokensFileException}. */
  public static TokenAuthenticator load(Path tokensFile) {
    String source = "tokens file " + tokensFile;
    String text;
    try {
      text = Files.readString(tokensFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TokensFileException(source + ": cannot be read (" + oneLine(e.toString()) + ")");
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
      throw new TokensFileException(source + ": not valid JSON (" + jacksonMessage(e) + ")");
    }
    if (root == null || root.isMissingNode()) {
      throw new TokensFileException(source + ": is empty; expected {\"tokens\":[...]}");
    }
    JsonNode tokens = root.isObject() ? root.get("tokens") : null;
    if (tokens == null || !tokens.isArray()) {
      throw new TokensFileException(
          source + ": expected an object {\"tokens\":[...]} with a \"tokens\" array");
    }
    HashMap<String, Grant> grants = new HashMap<>();
    HashMap<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String at = source + ": tokens[" + i + "]";
      JsonNode entry = tokens.get(i);
      if (!entry.isObject()) {
        throw new TokensFileException(at + " must be an object, not " + FieldRules.describe(entry));
      }
      JsonNode sha256 = entry.get("sha256");
      if (sha256 == null
          || !sha256.isTextual()
          || !SHA256_HEX.matcher(sha256.textValue()).matches()) {
        throw new TokensFileException(
            at + ".sha256 must be the SHA-256 of the token as 64 hexadecimal characters");
      }
      JsonNode workspace = entry.get("workspace_id");
      if (workspace == null
          || !workspace.isTextual()
          || !FieldRules.isValidWorkspaceId(workspace.textValue())) {
        throw new TokensFileException(
            at + ".workspace_id must be 1-64 characters of A-Z, a-z, 0-9, _ and -");
      }
      JsonNode scopes = entry.get("scopes");
      if (scopes == null || !scopes.isArray()) {
        throw new TokensFileException(at + ".scopes must be an array of strings");
      }
      Set<String> scopeSet = new HashSet<>();
      for (JsonNode scope : scopes) {
        if (!scope.isTextual()) {
          throw new TokensFileException(at + ".scopes must be an array of strings");
        }
        scopeSet.add(scope.textValue());
      }
      String hash = sha256.textValue().toLowerCase(Locale.ROOT);
      Integer earlier = firstIndex.putIfAbsent(hash, i);
      if (earlier != null) {
        // Two grants for one token would leave its workspace to chance.
        throw new TokensFileException(at + ".sha256 repeats tokens[" + earlier + "]");
      }
      grants.put(hash, new Grant(workspace.textValue(), Set.copyOf(scopeSet)));
    }
    return new TokenAuthenticator(grants);
  }

  /**
   * What one {@code --auth} line came to: its event, or the rejection; and in either case the line
   * as it may be shown (in a rejection's {@code raw}, or kept with a record in a stream's state).
   */
  public static final class Checked {
    private final JsonNode event;
    private final RecordRejectedException rejection;
    private final String shown;
    private final SecretRedaction redaction;

    private Checked(
        JsonNode event,
        RecordRejectedException rejection,
        String shown,
        SecretRedaction redaction) {
      this.event = event;
      this.rejection = rejection;
      this.shown = shown;
      this.redaction = redaction;
    }

    /**
     * The line's event (an object) for the ordinary event validation, as the very tree that was
     * read: nothing is re-serialized (Jackson would write an overflowing number {@code 1e400} as
     * the string {@code "Infinity"}) and the line is read once.
     *
     * @throws RecordRejectedException the line's 400, 401 or 403
     */
    public JsonNode event() throws RecordRejectedException {
      if (rejection != null) {
        throw rejection;
      }
      return event;
    }

    /** The line with its token redacted. */
    public String shown() {
      return shown;
    }

    /** A message without any copy of the line's token (for the rejections of later rules). */
    public String scrub(String message) {
      return redaction.scrub(message);
    }
  }

  /**
   * Checks one line, read once: its JSON, its token (401), the token's scope and workspace (403),
   * and that the event carries no token (403).
   *
   * @param defaultWorkspace the workspace of an event without {@code workspace_id} ({@code
   *     --workspace})
   */
  public Checked check(String line, String defaultWorkspace) {
    JsonTreeReader.Reading reading = JsonTreeReader.read(line, SecretRedaction.SECRET_KEY);
    SecretRedaction redaction = SecretRedaction.of(reading);
    String shown = redaction.shown(line, reading);
    try {
      return new Checked(
          event(reading, redaction, shown, defaultWorkspace), null, shown, redaction);
    } catch (RecordRejectedException e) {
      RecordRejectedException scrubbed =
          new RecordRejectedException(e.reason(), e.field(), redaction.scrub(e.getMessage()));
      return new Checked(null, scrubbed, shown, redaction);
    }
  }

  private JsonNode event(
      JsonTreeReader.Reading reading,
      SecretRedaction redaction,
      String shown,
      String defaultWorkspace)
      throws RecordRejectedException {
    if (reading.error() != null) {
      throw InputJson.invalid(withoutEchoes(reading.error(), shown));
    }
    JsonNode root = reading.root();
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

    // The contract names no field for not_an_object: the line as a whole is not the object
    // expected.
    JsonNode event = Json.field(root, "event");
    if (event == null) {
      throw new RecordRejectedException(NOT_AN_OBJECT, null, "event is required");
    }
    if (!event.isObject()) {
      throw new RecordRejectedException(
          NOT_AN_OBJECT, null, "event must be a JSON object, not " + FieldRules.describe(event));
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

    // An accepted event is written out as sent: one that carries a token would put it in outputs.
    if (redaction.carries(event, true)) {
      throw new RecordRejectedException(
          FORBIDDEN,
          "event",
          "the event must not carry an access token (neither the line's token nor an "
              + "access_token key): tokens are never stored");
    }
    return event;
  }

  /**
   * Jackson quotes in its messages an unquoted word it cannot read, or a repeated key; either may
   * be the token, even before the token's own value is read. A quote is kept only when the shown
   * line has it anyway.
   */
  private static String withoutEchoes(String message, String shown) {
    for (Pattern echo : ECHOES) {
      Matcher m = echo.matcher(message);
      if (m.find() && !new TextSearch(m.group(2)).isIn(shown)) {
        message = message.substring(0, m.start()) + m.group(1) + message.substring(m.end());
      }
    }
    return message;
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

  /**
   * The line with the value of every {@code access_token} key redacted, for lines that are not
   * authenticated (a contacts directory's, one too long to read) and for logs. See {@link
   * SecretRedaction}.
   */
  public static String redact(String rawLine) {
    JsonTreeReader.Reading reading = JsonTreeReader.read(rawLine, SecretRedaction.SECRET_KEY);
    return SecretRedaction.of(reading).shown(rawLine, reading);
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
