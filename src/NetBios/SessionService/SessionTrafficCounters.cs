namespace NetBios.SessionService;

/// <summary>What one session has carried ([RFC 1002] 4.3.6 SESSION MESSAGEs): messages and payload bytes each way, for
/// nbtstat -s style listings (<c>nbt sessions</c>). A message sent counts once its send completed Ok; a message
/// received counts when its last piece was delivered (bytes count per delivered piece). Updated with
/// <see cref="Interlocked"/>; read any time.</summary>
internal sealed class SessionTrafficCounters
{
    private long _messagesSent;
    private long _bytesSent;
    private long _messagesReceived;
    private long _bytesReceived;

    /// <summary>Messages sent.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Payload bytes sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Messages received (whole messages).</summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Payload bytes received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Counts a send that completed.</summary>
    /// <param name="status">How it completed: only <see cref="SessionIoStatus.Ok"/> counts.</param>
    /// <param name="length">The message's length.</param>
    /// <returns><paramref name="status"/>.</returns>
    public SessionIoStatus Sent(SessionIoStatus status, int length)
    {
        if (status == SessionIoStatus.Ok)
        {
            Interlocked.Increment(ref _messagesSent);
            Interlocked.Add(ref _bytesSent, length);
        }

        return status;
    }

    /// <summary>Counts a piece of a message delivered to a receive.</summary>
    /// <param name="status"><see cref="SessionIoStatus.Ok"/> (the message's last piece) or <see cref="SessionIoStatus.Incomplete"/>
    /// (more follows); others count nothing.</param>
    /// <param name="length">The bytes delivered.</param>
    public void Received(SessionIoStatus status, int length)
    {
        if (status is SessionIoStatus.Ok or SessionIoStatus.Incomplete)
        {
            Interlocked.Add(ref _bytesReceived, length);
            if (status == SessionIoStatus.Ok)
            {
                Interlocked.Increment(ref _messagesReceived);
            }
        }
    }
}
