package io.arrownpz.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet in the README compiles as shown, against the artifacts a user depends on, and the
 * first program runs: it reads an NPZ and writes a copy.
 */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("public (?:final )?class (\\w+)");

  @TempDir Path tmp;

  @Test
  void everySnippetCompilesAndTheFirstProgramRuns() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("readme.file")));
    List<Path> sources = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      String code = block.group(1);
      Matcher name = PUBLIC_CLASS.matcher(code);
      assertTrue(name.find(), "a README snippet that is not a whole class:\n" + code);
      Path source = tmp.resolve("src").resolve(name.group(1) + ".java");
      Files.createDirectories(source.getParent());
      Files.writeString(source, code);
      sources.add(source);
    }
    assertFalse(sources.isEmpty(), "the README has Java snippets");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String classPath = Files.readString(Path.of(System.getProperty("examples.runtime"))).strip();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "-proc:none"));
    sources.forEach(s -> arguments.add(s.toString()));
    int status = javac.run(null, null, new PrintStream(errors, true, StandardCharsets.UTF_8),
        arguments.toArray(String[]::new));
    assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));

    Path npz = tmp.resolve("ids.npz");
    Path copy = tmp.resolve("copy.npz");
    try (BufferAllocator allocator = new RootAllocator(); BigIntVector id = new BigIntVector("id", allocator)) {
      id.allocateNew(5);
      for (int i = 0; i < 5; i++) {
        id.set(i, i * 7);
      }
      id.setValueCount(5);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(id)) {
        NumpyTables.write(table, npz);
      }
    }
    String first = sources.get(0).getFileName().toString().replace(".java", "");
    List<URL> urls = new ArrayList<>(List.of(classes.toUri().toURL()));
    for (String jar : classPath.split(File.pathSeparator)) {
      urls.add(Path.of(jar).toUri().toURL());
    }
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      loader.loadClass(first).getMethod("main", String[].class)
          .invoke(null, (Object) new String[] {npz.toString(), copy.toString()});
    } finally {
      System.setOut(out);
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).startsWith("5 rows: "), printed.toString());
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot back = NumpyTables.read(copy, allocator)) {
      assertEquals(28L, ((BigIntVector) back.getVector("id")).get(4), "the program wrote the copy");
    }
  }
}
