package io.arrownpz.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.NpzWriter;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members large enough for the CRC-32 to run beside the write: the CRCs are right, by our own check and
 * by the JDK's ZipFile, which verifies them as it reads.
 */
class LargeMemberTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void largeMembersGetCorrectChecksums() throws IOException {
    Path file = tmp.resolve("large.npz");
    int rows = 3_000_000; // 24 MB a member
    for (NpzWriteOptions options : new NpzWriteOptions[] {NpzWriteOptions.DEFAULTS, NpzWriteOptions.DEFAULTS.withDeflate(true)}) {
      try (Float8Vector v = new Float8Vector("v", memory.allocator());
           NpzWriter writer = NpzWriter.create(file, options)) {
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
          v.set(i, Math.sin(i));
        }
        v.setValueCount(rows);
        writer.add("a", v);
        writer.add("b", v);
        writer.commit();
      }
      try (NpzArchive npz = NpzArchive.open(file)) {
        for (ZipEntry entry : npz.entries()) {
          if (entry.isStored()) {
            npz.zip().verifyStored(entry);
          } else {
            npz.zip().inflate(entry, memory.allocator()).close();
          }
        }
      }
      try (java.util.zip.ZipFile jdk = new java.util.zip.ZipFile(file.toFile())) {
        for (String name : new String[] {"a.npy", "b.npy"}) {
          try (InputStream in = jdk.getInputStream(jdk.getEntry(name))) {
            assertEquals(128 + 8L * rows, in.transferTo(java.io.OutputStream.nullOutputStream()));
          }
        }
      }
    }
  }
}
