using System.Net;

namespace NetBios.Transport;

/// <summary>
/// The receive loop every datagram engine runs (name service on 137, datagram service on 138): read, hand the
/// datagram to the engine, repeat until stopped. A bad packet or a bug in handling one never ends the loop.
/// </summary>
internal static class DatagramReceiveLoop
{
    /// <summary>Pause after an unexpected transport error, so that a persistent fault cannot spin the CPU.</summary>
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled or the transport is disposed.</summary>
    /// <param name="transport">Where datagrams come from.</param>
    /// <param name="bufferSize">Largest datagram kept whole; longer ones are truncated by the transport.</param>
    /// <param name="handle">Handles one datagram; the memory is only valid until the returned task completes.</param>
    /// <param name="onError">Logs an unexpected exception from the transport or from <paramref name="handle"/>.</param>
    /// <param name="time">The clock for the pause after a transport error.</param>
    /// <param name="stopping">Ends the loop.</param>
    public static async Task RunAsync(
        IDatagramTransport transport,
        int bufferSize,
        Func<ReadOnlyMemory<byte>, IPEndPoint, CancellationToken, ValueTask> handle,
        Action<Exception> onError,
        TimeProvider time,
        CancellationToken stopping)
    {
        byte[] buffer = new byte[bufferSize];
        while (!stopping.IsCancellationRequested)
        {
            DatagramReceiveResult received;
            try
            {
                received = await transport.ReceiveFromAsync(buffer, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (Exception ex)
            {
                // The transport already swallows per-peer errors; anything else is logged and the loop goes on.
                onError(ex);
                try
                {
                    await Task.Delay(ErrorPause, time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            try
            {
                await handle(buffer.AsMemory(0, received.Length), received.RemoteEndPoint, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A bug in handling one packet must not stop the engine answering the next one.
                onError(ex);
            }
        }
    }
}
