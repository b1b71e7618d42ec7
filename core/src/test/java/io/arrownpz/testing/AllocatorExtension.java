package io.arrownpz.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh Arrow allocator per test, closed after it; a test that leaves any buffer allocated fails, with
 * Arrow's account of what was leaked.
 */
public final class AllocatorExtension implements BeforeEachCallback, AfterEachCallback {
  private BufferAllocator allocator;

  public BufferAllocator allocator() {
    return allocator;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    allocator = new RootAllocator();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    long leaked = allocator.getAllocatedMemory();
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      fail("Arrow memory leaked (" + leaked + " bytes): " + e.getMessage());
    }
  }
}
