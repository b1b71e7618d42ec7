package io.arrownpz;

/** A StaticFrame NPY directory ({@code Frame.to_npy}): the frame it holds. */
public record NpyDirectoryInfo(String file, String format, String layout, long bytes, FrameInfo frame)
    implements FileInfo {}
