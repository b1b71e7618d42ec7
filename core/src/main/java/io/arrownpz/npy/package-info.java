/**
 * One NPY array: its header ({@link io.arrownpz.npy.NpyHeader}, {@link io.arrownpz.npy.NpyDtype}) and its
 * bytes, mapped ({@link io.arrownpz.npy.NpyFile}, {@link io.arrownpz.npy.NpyArray}). Headers are checked
 * before anything is mapped. The format: docs/FORMAT.md, section 1.
 */
package io.arrownpz.npy;
