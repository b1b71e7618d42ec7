package io.arrownpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core runs on Arrow Java 18.3.0, which it is built with, and on 19.0.0, which Spark 4.2 brings: every
 * method and field of Arrow that core's classes call is in Arrow 19's jars too, with the same descriptor (a
 * renamed or retyped member is a {@code NoSuchMethodError} at the first call). The jars are copied to
 * {@code target/arrow-19} by the build; the members are read with the JDK's {@code javap}.
 */
class ArrowVersionsTest {
  private static final Pattern REFERENCE = Pattern.compile(
      "= (?:Methodref|InterfaceMethodref|Fieldref)\\s+#\\d+\\.#\\d+\\s+// (org/apache/arrow/[\\w/$]+)\\.(\"?[\\w<>$]+\"?):(\\S+)");
  private static final Pattern SUPERTYPES = Pattern.compile("(?:extends|implements) ([^{]*)\\{");

  private final ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
  private final Map<String, Set<String>> members = new HashMap<>();
  private final Map<String, List<String>> supertypes = new HashMap<>();

  private String javap(String... args) {
    StringWriter out = new StringWriter();
    javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
    return out.toString();
  }

  @Test
  void everyArrowMemberCoreCallsIsInArrow19() throws IOException {
    Path jars = Path.of("target", "arrow-19");
    List<String> classpath = new ArrayList<>();
    try (Stream<Path> files = Files.list(jars)) {
      files.filter(f -> f.toString().endsWith(".jar")).forEach(f -> classpath.add(f.toString()));
    }
    assertTrue(classpath.size() >= 3, "Arrow 19's jars in " + jars.toAbsolutePath() + ": " + classpath);
    List<String> classes;
    try (Stream<Path> files = Files.walk(Path.of("target", "classes"))) {
      classes = files.filter(f -> f.toString().endsWith(".class")).map(Path::toString).toList();
    }
    Set<String> references = new TreeSet<>();
    for (int i = 0; i < classes.size(); i += 200) {
      List<String> args = new ArrayList<>(List.of("-v"));
      args.addAll(classes.subList(i, Math.min(classes.size(), i + 200)));
      Matcher m = REFERENCE.matcher(javap(args.toArray(String[]::new)));
      while (m.find()) {
        references.add(m.group(1) + " " + m.group(2).replace("\"", "") + m.group(3));
      }
    }
    assertTrue(references.size() > 100, "core calls Arrow: " + references.size());
    String path = String.join(File.pathSeparator, classpath);
    List<String> missing = new ArrayList<>();
    for (String reference : references) {
      String[] parts = reference.split(" ", 2);
      if (!has(path, parts[0], parts[1])) {
        missing.add(parts[0].replace('/', '.') + "." + parts[1]);
      }
    }
    assertEquals(List.of(), missing, "Arrow members core calls that Arrow Java 19.0.0 does not have");
  }

  /** Whether {@code type} or one of its Arrow supertypes declares {@code member} (name and descriptor). */
  private boolean has(String path, String type, String member) {
    if (!members.containsKey(type)) {
      String out = javap("-p", "-s", "-cp", path, type.replace('/', '.'));
      Set<String> declared = new TreeSet<>();
      String[] lines = out.split("\n");
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].strip();
        if (!line.startsWith("descriptor: ")) {
          continue;
        }
        String declaration = lines[i - 1].strip();
        String descriptor = line.substring("descriptor: ".length());
        int paren = declaration.indexOf('(');
        String name;
        if (paren >= 0) {
          String before = declaration.substring(0, paren);
          name = before.substring(before.lastIndexOf(' ') + 1);
          if (name.contains(".")) {
            name = "<init>"; // javap names a constructor by its class's full name
          }
        } else {
          String field = declaration.replace(";", "");
          name = field.substring(field.lastIndexOf(' ') + 1);
        }
        declared.add(name + descriptor);
      }
      members.put(type, out.isEmpty() ? null : declared);
      List<String> parents = new ArrayList<>();
      Matcher header = SUPERTYPES.matcher(lines.length > 1 ? lines[1] : "");
      if (header.find()) {
        for (String parent : header.group(1).split("\\s+(?:extends|implements)\\s+|,\\s*")) {
          String name = parent.strip().replaceAll("<.*", "");
          if (name.startsWith("org.apache.arrow.")) {
            parents.add(name.replace('.', '/'));
          }
        }
      }
      supertypes.put(type, parents);
    }
    Set<String> declared = members.get(type);
    if (declared == null) {
      return false;
    }
    if (declared.contains(member) || member.startsWith("ordinal()") || member.startsWith("values()")
        || member.startsWith("name()")) {
      return true; // java.lang.Enum's
    }
    for (String parent : supertypes.get(type)) {
      if (has(path, parent, member)) {
        return true;
      }
    }
    return false;
  }
}
