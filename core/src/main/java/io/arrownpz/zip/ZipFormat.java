package io.arrownpz.zip;

/** Signatures, sizes and limits of the ZIP format (PKWARE APPNOTE), as Python's zipfile uses them. */
final class ZipFormat {
  static final int LOCAL_HEADER = 0x04034b50;
  static final int CENTRAL_HEADER = 0x02014b50;
  static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
  static final int ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
  static final int ZIP64_LOCATOR = 0x07064b50;

  static final int LOCAL_HEADER_SIZE = 30;
  static final int CENTRAL_HEADER_SIZE = 46;
  static final int END_SIZE = 22;
  static final int ZIP64_END_SIZE = 56;
  static final int ZIP64_LOCATOR_SIZE = 20;
  static final int MAX_COMMENT = 0xFFFF;

  static final short ZIP64_EXTRA_ID = 0x0001;
  /** The extra-field id zipalign uses for alignment padding. */
  static final short ALIGNMENT_EXTRA_ID = (short) 0xD935;

  static final int METHOD_STORED = 0;
  static final int METHOD_DEFLATED = 8;

  /** General purpose flag: the name is UTF-8. */
  static final int FLAG_UTF8 = 0x0800;
  /** General purpose flag: sizes and CRC follow the data in a descriptor. */
  static final int FLAG_DATA_DESCRIPTOR = 0x0008;

  /** Python's zipfile switches to ZIP64 records past this (2 GiB - 1) and past 65,535 entries. */
  static final long ZIP64_LIMIT = (1L << 31) - 1;
  static final int ZIP_FILECOUNT_LIMIT = 0xFFFF;

  /** The most that DEFLATE can expand data by is about 1032:1; declared sizes beyond that are lies. */
  static final long MAX_DEFLATE_RATIO = 1032;

  private ZipFormat() {}
}
