package io.arrownpz.testing;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a module's API shows of its internals: every public or protected member of every public class in
 * the given packages whose signature (parameters, result, exceptions, fields, supertypes, type arguments)
 * names a type from an {@code internal} package, one line each.
 */
public final class ExportedSignatures {
  private ExportedSignatures() {}

  /** Lines "Class.member: internal type" for the classes compiled beside {@code anchor}, in {@code packages}. */
  public static List<String> internalTypes(Class<?> anchor, List<String> packages) throws IOException,
      URISyntaxException, ClassNotFoundException {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> found = new ArrayList<>();
    for (String pkg : packages) {
      Path dir = root.resolve(pkg.replace('.', '/'));
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> classes;
      try (Stream<Path> files = Files.list(dir)) {
        classes = files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
      }
      for (Path file : classes) {
        String name = pkg + "." + file.getFileName().toString().replace(".class", "");
        Class<?> c = Class.forName(name, false, anchor.getClassLoader());
        if (!isVisible(c)) {
          continue;
        }
        check(found, c.getName(), c.getGenericSuperclass());
        for (Type t : c.getGenericInterfaces()) {
          check(found, c.getName(), t);
        }
        for (Field f : c.getDeclaredFields()) {
          if (visible(f.getModifiers())) {
            check(found, c.getName() + "." + f.getName(), f.getGenericType());
          }
        }
        List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
        members.addAll(List.of(c.getDeclaredConstructors()));
        for (Executable m : members) {
          if (!visible(m.getModifiers()) || m.isSynthetic()) {
            continue;
          }
          String where = c.getName() + "." + (m instanceof Constructor<?> ? "<init>" : m.getName());
          for (Type t : m.getGenericParameterTypes()) {
            check(found, where, t);
          }
          for (Type t : m.getGenericExceptionTypes()) {
            check(found, where, t);
          }
          if (m instanceof Method method) {
            check(found, where, method.getGenericReturnType());
          }
        }
      }
    }
    return found;
  }

  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers()) && !(k != c && Modifier.isProtected(k.getModifiers()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(List<String> found, String where, Type type) {
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.getPackageName().contains(".internal")) {
        found.add(where + ": " + c.getName());
      }
    } else if (type instanceof ParameterizedType p) {
      check(found, where, p.getRawType());
      for (Type a : p.getActualTypeArguments()) {
        check(found, where, a);
      }
    } else if (type instanceof GenericArrayType g) {
      check(found, where, g.getGenericComponentType());
    } else if (type instanceof WildcardType w) {
      for (Type t : w.getUpperBounds()) {
        check(found, where, t);
      }
      for (Type t : w.getLowerBounds()) {
        check(found, where, t);
      }
    }
  }
}
