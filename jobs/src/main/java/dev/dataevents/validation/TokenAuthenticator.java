package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.FORBIDDEN;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static dev.dataevents.model.RejectionReason.UNAUTHORIZED;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.dataevents.json.Json;
import dev.dataevents.json.JsonTreeReader;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.text.Sha256;
import dev.dataevents.text.Text;
import dev.dataevents.text.TextSearch;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Jackson's quotes of line content: group 1 is what stays, group 2 the quote. */
  private static final List<Pattern> ECHOES =
      List.of(
          Pattern.compile("(Unrecognized token)(?: '(.*)')(?=: )"),
          Pattern.compile("(Duplicate field)(?: '(.*)')"));

  private final HashMap<String, TokensFile.Grant> grants;

  /** Every token of the tokens file, as found in any text by its hash. */
  private final KnownTokens known;

  private TokenAuthenticator(HashMap<String, TokensFile.Grant> grants) {
    this.grants = grants;
    this.known = new KnownTokens(grants.keySet());
  }

  /** Reads a tokens file; any mistake in it is a one-line {@link TokensFileException}. */
  public static TokenAuthenticator load(Path tokensFile) {
    return new TokenAuthenticator(TokensFile.load(tokensFile));
  }

  /** The same as {@link #load} for the file's content. */
  public static TokenAuthenticator of(String json) {
    return new TokenAuthenticator(TokensFile.parse(json, "tokens JSON"));
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
    private final TokenAuthenticator auth;

    private Checked(
        JsonNode event,
        RecordRejectedException rejection,
        String shown,
        SecretRedaction redaction,
        TokenAuthenticator auth) {
      this.event = event;
      this.rejection = rejection;
      this.shown = shown;
      this.redaction = redaction;
      this.auth = auth;
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
      return auth.known.withoutKnownTokens(redaction.scrub(message));
    }

    /**
     * Refuses the record made of the line's event when what would be written of it carries a token:
     * the event as sent was checked ({@link #event}), but the record holds its fields normalised
     * (an event name lower-cased with '.' and '$' as '-', an email lower-cased in the contact's
     * key), which may spell the line's token or another known one.
     */
    public void refuseIfCarried(ContactRecord record) throws RecordRejectedException {
      List<String> written = new ArrayList<>();
      Collections.addAll(
          written,
          record.workspaceId(),
          record.contactKey(),
          record.eventName(),
          record.userId(),
          record.id(),
          record.email(),
          record.metadataJson());
      if (record.summaryNames() != null) {
        Collections.addAll(written, record.summaryNames());
      }
      // The redaction of a checked line looks for every known token too (check()).
      for (String text : written) {
        if (text != null && redaction.contains(text)) {
          throw new RecordRejectedException(
              FORBIDDEN,
              "event",
              "the event must not carry an access token, also once its fields are normalised"
                  + " (lower-cased, '.' and '$' as '-'): tokens are never stored");
        }
      }
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
    SecretRedaction redaction = SecretRedaction.of(reading, known::holdsKnownToken);
    String shown = known.withoutKnownTokens(redaction.shown(line, reading));
    try {
      return new Checked(
          event(reading, redaction, shown, defaultWorkspace), null, shown, redaction, this);
    } catch (RecordRejectedException e) {
      RecordRejectedException scrubbed =
          new RecordRejectedException(
              e.reason(), e.field(), known.withoutKnownTokens(redaction.scrub(e.getMessage())));
      return new Checked(null, scrubbed, shown, redaction, this);
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

    TokensFile.Grant grant = grantFor(Json.field(root, "access_token"));
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
          "the event must not carry an access token (the line's, another known one, or an "
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

  private TokensFile.Grant grantFor(JsonNode token) throws RecordRejectedException {
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
    TokensFile.Grant grant = Text.wellFormed(text) == text ? grants.get(sha256(text)) : null;
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

  /** {@link #redact}, and without any known token ({@link KnownTokens#withoutKnownTokens}). */
  public String redactLine(String rawLine) {
    return known.withoutKnownTokens(redact(rawLine));
  }

  /**
   * {@link #redactLine} of the first characters of a line cut at {@code --max-line-bytes}: its last
   * word, which the cut may have split, goes too. Only whole words can be told for tokens (only
   * their hashes are known), and the start of a token is part of it.
   */
  public String redactCutLine(String prefix) {
    String shown = redactLine(prefix);
    int end = shown.length();
    while (end > 0 && !KnownTokens.isWordBreak(shown.charAt(end - 1))) {
      end--;
    }
    return end == shown.length() || shown.endsWith(SecretRedaction.REST)
        ? shown
        : shown.substring(0, end) + SecretRedaction.REST;
  }

  private static String sha256(String token) {
    return HexFormat.of().formatHex(Sha256.digest().digest(token.getBytes(UTF_8)));
  }
}
