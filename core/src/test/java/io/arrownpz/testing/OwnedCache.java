package io.arrownpz.testing;

import io.arrownpz.ReadOptions;
import io.arrownpz.cache.ReadCache;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that read with and without an owned {@link ReadCache}: {@link #use} picks one for a run (kept
 * across its rereads), and the extension closes it after the test.
 */
public final class OwnedCache implements AfterEachCallback {
  private ReadCache cache;

  /** A new cache when {@code cached}, else none; the read options that go through it. */
  public ReadOptions use(boolean cached) {
    cache = cached ? ReadCache.builder().build() : null;
    return options();
  }

  /** The read options of this run. */
  public ReadOptions options() {
    return ReadOptions.DEFAULTS.withCache(cache);
  }

  /** This run's cache, or null. */
  public ReadCache cache() {
    return cache;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (cache != null) {
      cache.close();
      cache = null;
    }
  }
}
