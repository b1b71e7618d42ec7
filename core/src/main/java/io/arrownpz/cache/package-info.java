/**
 * The one cache a reader may keep across reads, created and closed by its owner: see {@link
 * io.arrownpz.cache.ReadCache}. Nothing in this library keeps anything about a file between calls unless
 * its caller passes a cache in.
 */
package io.arrownpz.cache;
