/**
 * IPC buffer codecs (LZ4 frames, ZSTD) on off-heap memory: {@link io.arrownpz.bridge.compression.FastCompressionFactory},
 * usable with Arrow Java's own readers and writers and found by them as a service.
 */
package io.arrownpz.bridge.compression;
