package io.arrownpz.internal.memory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a mapping now instead of whenever the garbage collector gets to it. A large file mapped and
 * dropped repeatedly (benchmarks, batch conversions) would otherwise hold address space and file handles
 * for an unpredictable time. Uses {@code sun.misc.Unsafe.invokeCleaner}, the one supported way on Java 17;
 * if it is unavailable the mapping is left to the collector.
 */
final class Unmapper {
  private static final Object UNSAFE;
  private static final Method INVOKE_CLEANER;

  static {
    Object unsafe = null;
    Method cleaner = null;
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field field = type.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      unsafe = field.get(null);
      cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      unsafe = null;
      cleaner = null;
    }
    UNSAFE = unsafe;
    INVOKE_CLEANER = cleaner;
  }

  private Unmapper() {}

  static void unmap(ByteBuffer mapped) {
    if (INVOKE_CLEANER == null || mapped == null || !mapped.isDirect()) {
      return;
    }
    try {
      INVOKE_CLEANER.invoke(UNSAFE, mapped);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Leave it to the garbage collector: correctness does not depend on an early unmap.
    }
  }
}
