package io.arrownpz.bridge.internal;

/**
 * A batch reader that runs {@link Tables#validate} on every batch as it loads it, so that
 * {@link Tables#collect} need not check it again (for strings, the check reads every byte).
 */
public interface CheckedBatches {}
