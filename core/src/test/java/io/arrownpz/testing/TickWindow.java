package io.arrownpz.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that read files moments after writing them and expect what is made of their bytes to be
 * kept: files settle once they outlast the clock's tick while each test runs ({@link FileStates}).
 */
public final class TickWindow implements BeforeEachCallback, AfterEachCallback {
  @Override
  public void beforeEach(ExtensionContext context) {
    FileStates.useTickWindow();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    FileStates.restoreWindow();
  }
}
