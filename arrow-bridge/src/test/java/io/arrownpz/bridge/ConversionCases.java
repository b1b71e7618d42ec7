package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.BadFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Conversions made for {@code check_conversions.py} to judge: each one's input, target and output, the
 * Feather read back of a NumPy output, or the refusal. A refusal is checked where every such test checks
 * it (one line, the input named first, no output left); what else a refusal may say is the caller's.
 */
public final class ConversionCases {
  private final Converter converter;
  private final ArrayNode cases = new ObjectMapper().createArrayNode();
  private int refused;

  public ConversionCases(Converter converter) {
    this.converter = converter;
  }

  /**
   * Converts {@code input} to {@code target} at {@code output} (a NumPy output is read back as Feather
   * beside it, at {@code back}); records the case, and returns the refusal's message, or null.
   */
  public String convert(Path input, String label, String target, Path output, Path back) throws IOException {
    FileFormat to = FileFormat.named(target);
    ObjectNode c = cases.addObject().put("input", label).put("target", target).put("output", output.toString());
    try {
      converter.convert(input, FileFormat.ofPath(input), output, to, ConvertOptions.DEFAULTS);
      if (isNumpy(target)) {
        converter.convert(output, to, back, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
        c.put("back", back.toString());
      }
      return null;
    } catch (BadFileException e) {
      String message = e.getMessage();
      assertFalse(message.contains("\n"), "not one line: " + message);
      assertTrue(message.startsWith(input.toString()), "does not name the input first: " + message);
      assertFalse(Files.exists(output), "a refused conversion left " + output);
      c.put("error", message);
      refused++;
      return message;
    }
  }

  /** Records a case made otherwise (a table read whole and written as Feather, say). */
  public ObjectNode add(String input, String target, Path output) {
    return cases.addObject().put("input", input).put("target", target).put("output", output.toString());
  }

  public static boolean isNumpy(String target) {
    return target.equals("npz") || target.equals("npy") || target.equals("npy-dir");
  }

  /** The script's verdict on every case, as it prints it. */
  public String verdict(Path report) throws IOException {
    Files.writeString(report, cases.toString());
    return io.arrownpz.testing.PythonPeer.run(InteropScripts.text("check_conversions.py"), report.toString()).strip();
  }

  /** The verdict the script gives when it finds nothing wrong. */
  public String clean() {
    return "checked " + written() + " written, " + refused + " refused";
  }

  public int written() {
    return cases.size() - refused;
  }

  public int size() {
    return cases.size();
  }
}
