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
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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

  private TokenAuthenticator(HashMap<String, TokensFile.Grant> grants) {
    this.grants = grants;
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
      return auth.withoutKnownTokens(redaction.scrub(message));
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
    SecretRedaction redaction = SecretRedaction.of(reading, this::holdsKnownToken);
    String shown = withoutKnownTokens(redaction.shown(line, reading));
    try {
      return new Checked(
          event(reading, redaction, shown, defaultWorkspace), null, shown, redaction, this);
    } catch (RecordRejectedException e) {
      RecordRejectedException scrubbed =
          new RecordRejectedException(
              e.reason(), e.field(), withoutKnownTokens(redaction.scrub(e.getMessage())));
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

  /** {@link #redact}, and without any known token ({@link #withoutKnownTokens}). */
  public String redactLine(String rawLine) {
    return withoutKnownTokens(redact(rawLine));
  }

  /**
   * {@link #redactLine} of the first characters of a line cut at {@code --max-line-bytes}: its last
   * word, which the cut may have split, goes too. Only whole words can be told for tokens (only
   * their hashes are known), and the start of a token is part of it.
   */
  public String redactCutLine(String prefix) {
    String shown = redactLine(prefix);
    int end = shown.length();
    while (end > 0 && !isWordBreak(shown.charAt(end - 1))) {
      end--;
    }
    return end == shown.length() || shown.endsWith(SecretRedaction.REST)
        ? shown
        : shown.substring(0, end) + SecretRedaction.REST;
  }

  /**
   * {@code text} with every known token that stands in it as a word of its own replaced by {@code
   * [redacted]}. Redaction by position finds only the value of an {@code access_token} key the
   * parser reached; a token also turns up where no such key leads to it: before the key in a line
   * that does not parse, alone on a line of pretty-printed JSON, under another key, pasted into a
   * text. Only hashes are known here, so each word (a run of characters between white space, quotes
   * and JSON's punctuation, also without the full stops or marks that may end a sentence after it)
   * is hashed and looked up, and so is each part of a word between the characters that separate a
   * link's parts ({@code =&?#/@}). A token written with escapes, or run together with other
   * characters, is not found this way.
   */
  String withoutKnownTokens(String text) {
    if (grants.isEmpty()) {
      return text;
    }
    WordHashes hashes = wordHashes();
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      if (isWordBreak(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && !isWordBreak(text.charAt(i))) {
        i++;
      }
      int end = knownTokenEnd(hashes, text, start, i);
      if (end > start) {
        out = out == null ? new StringBuilder(n) : out;
        out.append(text, copied, start).append(SecretRedaction.REST);
        copied = end;
        continue;
      }
      // Not a token as a whole: maybe one inside a link's parts (?access_token=TOKEN&...). A
      // word without such breaks is its only part, looked up already.
      int part = start;
      for (int k = start; k <= i; k++) {
        if (k == i || isLinkBreak(text.charAt(k))) {
          int partEnd =
              k > part && !(part == start && k == i) ? knownTokenEnd(hashes, text, part, k) : -1;
          if (partEnd > part) {
            out = out == null ? new StringBuilder(n) : out;
            out.append(text, copied, part).append(SecretRedaction.REST);
            copied = partEnd;
          }
          part = k + 1;
        }
      }
    }
    return out == null ? text : out.append(text, copied, n).toString();
  }

  /** What separates the parts of a link or a query: a token may stand between two of them. */
  private static final String LINK_BREAKS = "=&?#/@";

  /** What ends a word besides white space: quotes and JSON's punctuation. */
  private static final String WORD_BREAKS = "\"',:;{}[]()<>";

  /**
   * The ASCII characters of {@link #WORD_BREAKS} and {@link #LINK_BREAKS}, and white space, as
   * tables: every character of a line is classified a few times, and a search of the break strings
   * for each was most of the time an {@code --auth} line took.
   */
  private static final boolean[] ASCII_WORD_BREAK = new boolean[128];

  private static final boolean[] ASCII_LINK_BREAK = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_WORD_BREAK[c] = Character.isWhitespace(c) || WORD_BREAKS.indexOf(c) >= 0;
      ASCII_LINK_BREAK[c] = LINK_BREAKS.indexOf(c) >= 0;
    }
  }

  /** Whether any word of {@code text} is a known token (see {@link #withoutKnownTokens}). */
  boolean holdsKnownToken(String text) {
    return withoutKnownTokens(text) != text;
  }

  /** Where the known token that the word [start, end) is ends, or -1. */
  private int knownTokenEnd(WordHashes hashes, String text, int start, int end) {
    for (int e = end; e > start; e--) {
      if (e < end && ".!?".indexOf(text.charAt(e)) < 0) {
        return -1; // only marks that may end a sentence are taken off the word's end
      }
      if (hashes.isKnown(text, start, e)) {
        return e;
      }
    }
    return -1;
  }

  /**
   * The first 8 bytes of each known token's SHA-256, sorted: most words are told apart from every
   * token by these, without the digest's hex text and a map lookup.
   */
  private transient long[] prefixes;

  private long[] prefixes() {
    if (prefixes == null) {
      prefixes =
          grants.keySet().stream()
              .mapToLong(hex -> Long.parseUnsignedLong(hex.substring(0, 16), 16))
              .sorted()
              .toArray();
    }
    return prefixes;
  }

  /**
   * This thread's word hasher. A line's every key and value is looked through for tokens, each
   * through its own call here: a digest made for each call (the JDK finds its provider every time)
   * cost more than the hashing.
   */
  private transient ThreadLocal<WordHashes> wordHashes;

  private WordHashes wordHashes() {
    if (wordHashes == null) {
      wordHashes = ThreadLocal.withInitial(WordHashes::new);
    }
    return wordHashes.get();
  }

  /**
   * Hashes the words of a text (dozens a line) without a byte array for each, and each word once:
   * SHA-256 of each word was most of the time an {@code --auth} line took. A line's keys and values
   * are looked through one by one, then the line as shown, then the record's normalised fields, and
   * most of their words are the same; and keys, workspaces, event names and many values recur from
   * line to line.
   */
  private final class WordHashes {
    /** Past this many, the words remembered are dropped and remembered afresh. */
    private static final int REMEMBERED_WORDS = 1 << 14;

    private final MessageDigest digest = Sha256.digest();
    private final byte[] sum = new byte[32];
    private byte[] bytes = new byte[128];

    /**
     * Words found to be no known token, kept from line to line. No access token is among them: a
     * known one is never remembered, and a line's own token is never looked up by hash (the value
     * of an {@code access_token} key is redacted where it stands, and a text holding a copy of it
     * is found by that copy first, see {@code SecretRedaction#contains}).
     */
    private HashSet<String> notTokens = new HashSet<>();

    boolean isKnown(String text, int start, int end) {
      String word = text.substring(start, end);
      if (notTokens.contains(word)) {
        return false;
      }
      boolean known = hashIsKnown(text, start, end);
      if (!known) {
        if (notTokens.size() >= REMEMBERED_WORDS) {
          notTokens = new HashSet<>();
        }
        notTokens.add(word);
      }
      return known;
    }

    private boolean hashIsKnown(String text, int start, int end) {
      int n = 0;
      for (int i = start; i < end && n >= 0; i++) {
        char c = text.charAt(i);
        if (c >= 0x80) {
          n = -1; // not ASCII: encoded as a whole below
        } else {
          if (n == bytes.length) {
            bytes = Arrays.copyOf(bytes, 2 * n);
          }
          bytes[n++] = (byte) c;
        }
      }
      if (n >= 0) {
        digest.update(bytes, 0, n);
      } else {
        digest.update(text.substring(start, end).getBytes(UTF_8));
      }
      try {
        digest.digest(sum, 0, sum.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 is 32 bytes", e);
      }
      return Arrays.binarySearch(prefixes(), Sha256.first8Bytes(sum)) >= 0
          && grants.containsKey(HexFormat.of().formatHex(sum));
    }
  }

  private static boolean isWordBreak(char c) {
    return c < 128 ? ASCII_WORD_BREAK[c] : Character.isWhitespace(c);
  }

  private static boolean isLinkBreak(char c) {
    return c < 128 && ASCII_LINK_BREAK[c];
  }

  private static String sha256(String token) {
    return HexFormat.of().formatHex(Sha256.digest().digest(token.getBytes(UTF_8)));
  }
}
