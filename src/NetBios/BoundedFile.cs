namespace NetBios;

/// <summary>
/// Reads a whole file the library or the tool was pointed at (LMHOSTS and its <c>#INCLUDE</c>s, the tool's config file,
/// a capture) with a size limit, in a bounded loop, so that <c>/dev/zero</c>, a huge file or a pipe that never ends
/// cannot make it read until memory runs out (issue 17 item 7).
/// </summary>
/// <remarks>
/// Works on any readable path: regular files, devices and pipes (<c>--config &lt;(generate)</c>) are read until their
/// end or one byte past the limit, whichever comes first; a directory is refused before it is opened. Opening a FIFO
/// that has no writer waits for one, as <c>cat</c> does: .NET offers no way to open it without blocking.
/// </remarks>
internal static class BoundedFile
{
    /// <summary>The limit for text files: LMHOSTS, the tool's config file (1 MiB).</summary>
    public const int MaxTextFileLength = 1024 * 1024;

    private const int ChunkLength = 64 * 1024;

    /// <summary>Reads at most <paramref name="maxLength"/> bytes of <paramref name="path"/>.</summary>
    /// <exception cref="FileTooLargeException">The file holds more than <paramref name="maxLength"/> bytes.</exception>
    /// <exception cref="IOException">The path is a directory, or the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static byte[] ReadAllBytes(string path, int maxLength)
    {
        using var stream = Open(path);
        var content = new MemoryStream();
        byte[] chunk = new byte[ChunkLength];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxLength + 1L - content.Length))) > 0)
        {
            content.Write(chunk, 0, read);
            if (content.Length > maxLength)
            {
                throw new FileTooLargeException(maxLength);
            }
        }

        return content.ToArray();
    }

    /// <summary>A size in words: "1 MiB", "64 MiB", "512 KiB" or "1000 bytes".</summary>
    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KiB",
        _ => $"{bytes} bytes",
    };

    private static FileStream Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException("this is a directory, not a file");
        }

        // bufferSize 1: no FileStream buffer, the chunk is the buffer.
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
    }
}

/// <summary>A file read through <see cref="BoundedFile"/> is larger than its limit; the message says so in one line.</summary>
internal sealed class FileTooLargeException : IOException
{
    public FileTooLargeException(long maxLength)
        : base($"the file is larger than {BoundedFile.FormatSize(maxLength)}")
    {
        MaxLength = maxLength;
    }

    /// <summary>The limit that was passed.</summary>
    public long MaxLength { get; }
}
