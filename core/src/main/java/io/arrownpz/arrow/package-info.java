/**
 * NumPy arrays as Arrow vectors and back: {@link io.arrownpz.arrow.NpyVectorReader} (zero-copy where the
 * layout allows), {@link io.arrownpz.arrow.NpyVectorWriter}, the type mapping
 * ({@link io.arrownpz.arrow.NumpyArrowTypes}, {@link io.arrownpz.arrow.NumpyArrowTypes#dtypeFor}), the metadata keys
 * ({@link io.arrownpz.arrow.NumpyMetadata}) and the {@code arrow.fixed_shape_tensor} extension type.
 */
package io.arrownpz.arrow;
