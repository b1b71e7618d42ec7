/**
 * StaticFrame frames ({@code Frame.to_npz}, {@code Frame.to_npy}) as Arrow tables: index fields, then
 * columns, with the metadata that writes the same frame back and lets pandas rebuild its index.
 * docs/FORMAT.md, sections 3 and 6.
 */
package io.arrownpz.frame;
