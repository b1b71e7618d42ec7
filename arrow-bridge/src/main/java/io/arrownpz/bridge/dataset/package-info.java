/**
 * Folders of files read as one table: files of one schema side by side, or Hive-partitioned. Start from
 * {@link io.arrownpz.bridge.dataset.FolderDataset}.
 */
package io.arrownpz.bridge.dataset;
