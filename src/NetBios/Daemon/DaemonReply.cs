using System.Text;

namespace NetBios.Daemon;

/// <summary>A RESPONSE's content (docs/IPC.md "Requests"): a status, and the result body (status Ok) or a UTF-8 text
/// saying why (any other status).</summary>
/// <param name="Status">How the request ended.</param>
/// <param name="Body">The result (Ok) or the reason's UTF-8 bytes.</param>
internal readonly record struct DaemonReply(NetBiosDaemonRequestStatus Status, ReadOnlyMemory<byte> Body)
{
    /// <summary>The longest reason text sent, in bytes.</summary>
    public const int MaxTextBytes = 1024;

    /// <summary>Status Ok with an empty body.</summary>
    public static DaemonReply Ok() => new(NetBiosDaemonRequestStatus.Ok, ReadOnlyMemory<byte>.Empty);

    /// <summary>Status Ok with a result body.</summary>
    /// <param name="body">The operation's result.</param>
    public static DaemonReply Ok(ReadOnlyMemory<byte> body) => new(NetBiosDaemonRequestStatus.Ok, body);

    /// <summary>A failure with its reason (cut to <see cref="MaxTextBytes"/> bytes on a character boundary).</summary>
    /// <param name="status">Not <see cref="NetBiosDaemonRequestStatus.Ok"/>.</param>
    /// <param name="text">Why, for a person.</param>
    public static DaemonReply Fail(NetBiosDaemonRequestStatus status, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return new DaemonReply(status, bytes.AsMemory(0, Utf8Text.FitLength(bytes, MaxTextBytes)));
    }

    /// <summary>The reason text of a failure (empty for Ok).</summary>
    public string Text => Status == NetBiosDaemonRequestStatus.Ok ? string.Empty : Encoding.UTF8.GetString(Body.Span);
}
