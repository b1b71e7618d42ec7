/** Parquet through Arrow C++'s dataset layer, keeping the Arrow schema and pandas metadata in the footer. */
package io.arrownpz.bridge.parquet;
