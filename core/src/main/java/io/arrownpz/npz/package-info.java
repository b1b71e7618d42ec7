/**
 * NPZ archives ({@link io.arrownpz.npz.NpzArchive}, {@link io.arrownpz.npz.NpzWriter}) and their table
 * layouts: plain columns with null masks ({@link io.arrownpz.npz.PlainNpz}) and packed events
 * ({@link io.arrownpz.npz.PackedNpz}). Frames are in {@code io.arrownpz.frame}. docs/FORMAT.md, sections 2 and 4.
 */
package io.arrownpz.npz;
