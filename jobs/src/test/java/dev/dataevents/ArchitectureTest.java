package dev.dataevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the main code and their direction, read from the sources: a package uses only
 * packages of lower layers (and its own sub-packages), never one of its own layer or above, and
 * only the command line knows the options' names. A new package must be given its layer here.
 */
class ArchitectureTest {
  /** The layers, lowest first; packages of one layer do not use each other. */
  static final List<Set<String>> LAYERS =
      List.of(
          Set.of("text"), // code point strings, linear search
          Set.of("json"), // the one JSON configuration, line reader, writer
          Set.of("model"), // records, keys and positions the pipeline carries
          Set.of("reporting"), // counters and the run report
          Set.of("validation"), // the contract's input rules, parsing, tokens
          Set.of("output"), // rendering of every output line, the rejection stage
          Set.of("contact", "io"), // per-contact logic; sources, sinks and folders
          Set.of("job"), // the topology and the jobs (bounded, stream) as presets
          Set.of("cli")); // the command line: options, console, exit codes

  /** Classes that belong to another layer than their package's, each with why (none today). */
  static final Map<String, String> CLASS_LAYERS = Map.of();

  /**
   * String literals outside cli/ that name an option, each with why it may: the contract's own
   * output messages, which are written as they are.
   */
  static final Map<String, String> OPTION_NAMES_ALLOWED =
      Map.of(
          "validation/RecordParser.java|the line is longer than the --max-line-bytes limit",
          "the message of a line_too_long rejection, an output of the contract");

  private static final Path MAIN = Path.of("src/main/java/dev/dataevents");

  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.dataevents\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.([A-Z]\\w*|\\*)");

  private static final Pattern OPTION_NAME = Pattern.compile("--[a-z]");

  private static final Map<String, Source> SOURCES = new TreeMap<>();

  /** One source file: its package below {@code dev.dataevents}, class, code and string literals. */
  record Source(String file, String pkg, String className, String code, List<String> literals) {
    String qualifiedName() {
      return pkg + "." + className;
    }
  }

  @BeforeAll
  static void readSources() throws IOException {
    assertThat(MAIN).as("run from the module folder").isDirectory();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String relative = MAIN.relativize(file).toString().replace('\\', '/');
        String pkg =
            relative.contains("/")
                ? relative.substring(0, relative.lastIndexOf('/')).replace('/', '.')
                : "";
        String className = file.getFileName().toString().replace(".java", "");
        List<String> literals = new ArrayList<>();
        String code =
            withoutCommentsAndLiterals(Files.readString(file, StandardCharsets.UTF_8), literals);
        SOURCES.put(relative, new Source(relative, pkg, className, code, literals));
      }
    }
    assertThat(SOURCES).isNotEmpty();
  }

  @Test
  void everyPackageHasALayer() {
    Set<String> unplaced = new TreeSet<>();
    for (Source source : SOURCES.values()) {
      if (layerOfPackage(source.pkg()) < 0) {
        unplaced.add(source.pkg());
      }
    }
    assertThat(unplaced).as("packages to place in LAYERS").isEmpty();
    Set<String> stale = new TreeSet<>();
    for (String name : CLASS_LAYERS.keySet()) {
      if (SOURCES.values().stream().noneMatch(s -> s.qualifiedName().equals(name))) {
        stale.add(name);
      }
    }
    assertThat(stale).as("CLASS_LAYERS names classes that are gone: remove them").isEmpty();
  }

  @Test
  void packagesUseOnlyLowerLayers() {
    Map<String, Set<String>> wrong = new TreeMap<>();
    for (Source source : SOURCES.values()) {
      int own = layerOf(source.qualifiedName());
      for (String used : usedClasses(source)) {
        int theirs = layerOf(used);
        boolean sameFamily = top(used).equals(top(source.qualifiedName())) && own == theirs;
        if (!sameFamily && theirs >= own) {
          wrong.computeIfAbsent(source.qualifiedName(), k -> new TreeSet<>()).add(used);
        }
      }
    }
    assertThat(wrong).as("classes that use a class of their own layer or above").isEmpty();
  }

  @Test
  void onlyTheCommandLineNamesOptions() {
    Map<String, String> found = new LinkedHashMap<>();
    Set<String> allowedSeen = new TreeSet<>();
    for (Source source : SOURCES.values()) {
      if (source.pkg().equals("cli")) {
        continue;
      }
      for (String literal : source.literals()) {
        if (!OPTION_NAME.matcher(literal).find()) {
          continue;
        }
        String key = source.file() + "|" + literal;
        if (OPTION_NAMES_ALLOWED.containsKey(key)) {
          allowedSeen.add(key);
        } else {
          found.put(key, "names an option outside cli/");
        }
      }
    }
    assertThat(found).isEmpty();
    assertThat(allowedSeen)
        .as("OPTION_NAMES_ALLOWED lists literals that are gone: remove them")
        .containsExactlyInAnyOrderElementsOf(OPTION_NAMES_ALLOWED.keySet());
  }

  /** The classes of this project that a source names: imports, qualified names, same package. */
  private static Set<String> usedClasses(Source source) {
    Set<String> used = new TreeSet<>();
    Matcher m = REFERENCE.matcher(source.code());
    while (m.find()) {
      String pkg = m.group(1);
      String name = m.group(2);
      if (name.equals("*")) {
        SOURCES.values().stream()
            .filter(s -> s.pkg().equals(pkg))
            .forEach(s -> used.add(s.qualifiedName()));
      } else {
        used.add(pkg + "." + name);
      }
    }
    // Classes of the same package are used without an import; this matters where a class
    // belongs to another layer than its package.
    for (Source other : SOURCES.values()) {
      if (other != source
          && other.pkg().equals(source.pkg())
          && Pattern.compile("\\b" + other.className() + "\\b").matcher(source.code()).find()) {
        used.add(other.qualifiedName());
      }
    }
    return used;
  }

  private static String top(String qualifiedName) {
    int dot = qualifiedName.indexOf('.');
    return dot < 0 ? qualifiedName : qualifiedName.substring(0, dot);
  }

  private static int layerOf(String qualifiedName) {
    String override = CLASS_LAYERS.get(qualifiedName);
    if (override != null) {
      return layerOfPackage(override);
    }
    int dot = qualifiedName.lastIndexOf('.');
    return layerOfPackage(dot < 0 ? "" : qualifiedName.substring(0, dot));
  }

  /** A package's layer, sub-packages with their parent's ({@code io.socket} is io); -1 if none. */
  private static int layerOfPackage(String pkg) {
    String root = top(pkg);
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(root)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The code of a source with comments removed and string and character literals emptied; the
   * content of each string literal (text blocks too) goes to {@code literals}.
   */
  static String withoutCommentsAndLiterals(String source, List<String> literals) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        code.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        end = end < 0 ? n : end;
        literals.add(source.substring(i + 3, end));
        code.append("\"\"");
        i = Math.min(n, end + 3);
      } else if (c == '"' || c == '\'') {
        StringBuilder literal = new StringBuilder();
        i++;
        while (i < n && source.charAt(i) != c) {
          if (source.charAt(i) == '\\' && i + 1 < n) {
            literal.append(source.charAt(i)).append(source.charAt(i + 1));
            i += 2;
          } else {
            literal.append(source.charAt(i++));
          }
        }
        i++;
        if (c == '"') {
          literals.add(literal.toString());
        }
        code.append(c).append(c);
      } else {
        code.append(c);
        i++;
      }
    }
    return code.toString();
  }
}
