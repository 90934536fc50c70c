package dev.dataevents.validation;

import dev.dataevents.json.Json;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The tokens file of {@code --auth}: {@code {"tokens":[{"sha256","workspace_id","scopes"}]}}, read
 * once when the job is built. It holds only SHA-256 hashes, never a token; any mistake in it is a
 * one-line {@link TokensFileException}.
 */
final class TokensFile {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9A-Fa-f]{64}");

  /** Jackson echoes an unquoted word it cannot parse, and that word may be the token. */
  private static final Pattern ECHOED_TOKEN = Pattern.compile("Unrecognized token '.*': ");

  /** What a token may do; its hash is the key it is kept under. */
  record Grant(String workspaceId, Set<String> scopes) implements Serializable {}

  private TokensFile() {}

  /** Reads a tokens file; any mistake in it is a one-line {@link TokensFileException}. */
  static HashMap<String, Grant> load(Path tokensFile) {
    String source = "tokens file " + tokensFile;
    String text;
    try {
      text = Files.readString(tokensFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TokensFileException(source + ": cannot be read (" + oneLine(e.toString()) + ")");
    }
    return parse(text, source);
  }

  /** The grants of a tokens file's content; {@code source} names it in errors. */
  static HashMap<String, Grant> parse(String text, String source) {
    // Editors on Windows save a byte-order mark; input files may have one too (the contract).
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
    return grants;
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
}
