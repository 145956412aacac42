namespace Nbt.Cli.Configuration;

/// <summary>
/// The option <c>nbt call</c> and <c>nbt serve</c> share, <c>binary</c>: carry stdin/stdout as bytes rather than one
/// line per SESSION MESSAGE (RFC 1002 §4.3.6). <see cref="NbtCallOptions"/> and <see cref="NbtServeOptions"/> extend it.
/// </summary>
internal class NbtSessionPumpOptions
{
    /// <summary>Carry bytes: each read of stdin (at most 64 KiB) is one message; messages are written as they are.</summary>
    public bool Binary { get; set; }
}
