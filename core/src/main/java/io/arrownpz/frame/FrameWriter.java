package io.arrownpz.frame;

import io.arrownpz.io.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.arrow.NpyBlockWriter;
import io.arrownpz.arrow.NpyOutput;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.arrow.NumpyDtypes;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeaderCodec;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.NpzWriter;
import io.arrownpz.zip.SafeNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;

/**
 * Writes a table as a StaticFrame frame (FORMAT.md section 3), to an NPZ or a new NPY directory. A table
 * read from a frame is written back as that frame (names, classes, typed labels); any other table gets
 * an automatic index unless index fields are named, and column labels from its field names.
 */
public final class FrameWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FrameWriter() {}

  public static void writeNpz(VectorSchemaRoot table, Path path, FrameWriteOptions options) throws IOException {
    try (Plan plan = Plan.of(table, options);
         NpzWriter writer = NpzWriter.create(path, new NpzWriteOptions(false, options.alignment()))) {
      for (Map.Entry<String, Object> member : plan.members.entrySet()) {
        String key = member.getKey().substring(0, member.getKey().length() - ".npy".length());
        if (member.getValue() instanceof NpyOutput npy) {
          writer.add(key, npy);
        } else {
          writer.addBytes(member.getKey(), (byte[]) member.getValue());
        }
      }
      writer.addBytes(FrameMeta.MEMBER, plan.meta.toBytes());
      writer.commit();
    }
  }

  /** Writes an NPY directory, which must not exist yet: built under a temporary name, then renamed. */
  public static void writeNpyDirectory(VectorSchemaRoot table, Path dir, FrameWriteOptions options) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null, "an NPY directory must not exist yet");
    }
    Files.createDirectories(target.getParent());
    Path temporary = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
    try (Plan plan = Plan.of(table, options)) {
      for (Map.Entry<String, Object> member : plan.members.entrySet()) {
        Path file = SafeNames.resolveInside(temporary, member.getKey());
        if (member.getValue() instanceof NpyOutput npy) {
          npy.writeTo(file);
        } else {
          Files.write(file, (byte[]) member.getValue());
        }
      }
      Files.write(temporary.resolve(FrameMeta.MEMBER), plan.meta.toBytes());
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Trees.delete(temporary);
      throw e;
    }
  }

}
