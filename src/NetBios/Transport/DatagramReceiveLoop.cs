using System.Net;

namespace NetBios.Transport;

/// <summary>
/// The receive loop every datagram engine runs (name service on 137, datagram service on 138): read, hand the
/// datagram to the engine, repeat until stopped. A bad packet or a bug in handling one never ends the loop.
/// </summary>
/// <remarks>
/// Two ways to run it, with the same semantics (one datagram at a time, each handled before the next is read):
/// <see cref="RunAsync(IDatagramTransport, int, Func{ReadOnlyMemory{byte}, DatagramReceiveResult, CancellationToken, ValueTask}, Action{Exception}, TimeProvider, CancellationToken)"/>
/// awaits every receive (any transport), <see cref="StartThread"/> runs on one dedicated thread that blocks in the
/// receive (a <see cref="IReceiveThreadTransport"/>: UDP on Linux). The thread saves the epoll wake-up and the thread pool
/// hop that every awaited datagram costs when the socket is idle between datagrams (docs/ARCHITECTURE.md "UDP fast
/// path"); a handler that does not complete synchronously is waited for on the thread, as the asynchronous loop awaits it.
/// </remarks>
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
    public static Task RunAsync(
        IDatagramTransport transport,
        int bufferSize,
        Func<ReadOnlyMemory<byte>, IPEndPoint, CancellationToken, ValueTask> handle,
        Action<Exception> onError,
        TimeProvider time,
        CancellationToken stopping) =>
        RunAsync(transport, bufferSize, (datagram, received, token) => handle(datagram, received.RemoteEndPoint, token), onError, time, stopping);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled or the transport is disposed; the handler gets the
    /// whole <see cref="DatagramReceiveResult"/> (with the local address the datagram was sent to).</summary>
    /// <param name="transport">Where datagrams come from.</param>
    /// <param name="bufferSize">Largest datagram kept whole; longer ones are truncated by the transport.</param>
    /// <param name="handle">Handles one datagram; the memory is only valid until the returned task completes.</param>
    /// <param name="onError">Logs an unexpected exception from the transport or from <paramref name="handle"/>.</param>
    /// <param name="time">The clock for the pause after a transport error.</param>
    /// <param name="stopping">Ends the loop.</param>
    public static async Task RunAsync(
        IDatagramTransport transport,
        int bufferSize,
        Func<ReadOnlyMemory<byte>, DatagramReceiveResult, CancellationToken, ValueTask> handle,
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
                await handle(buffer.AsMemory(0, received.Length), received, stopping).ConfigureAwait(false);
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

    /// <summary>
    /// Starts the loop on one dedicated background thread that blocks in <see cref="IReceiveThreadTransport.ReceiveBlocking"/>
    /// and handles each datagram on that thread (an answer is sent before the next receive, without a thread hop).
    /// </summary>
    /// <param name="transport">Where datagrams come from; nothing else may receive from it while the thread runs.</param>
    /// <param name="bufferSize">Largest datagram kept whole; longer ones are truncated by the transport.</param>
    /// <param name="handle">Handles one datagram; the memory is only valid until the returned task completes.</param>
    /// <param name="onError">Logs an unexpected exception from the transport or from <paramref name="handle"/>.</param>
    /// <param name="time">The clock for the pause after a transport error.</param>
    /// <param name="threadName">The thread's name (seen in debuggers and <c>top -H</c>).</param>
    /// <param name="stopping">Ends the loop: cancelling it wakes the blocked receive (<see cref="IReceiveThreadTransport.WakeReceiver"/>).</param>
    /// <returns>A task that completes when the thread has ended (stopped, or the transport disposed).</returns>
    public static Task StartThread(
        IReceiveThreadTransport transport,
        int bufferSize,
        Func<ReadOnlyMemory<byte>, DatagramReceiveResult, CancellationToken, ValueTask> handle,
        Action<Exception> onError,
        TimeProvider time,
        string threadName,
        CancellationToken stopping)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunBlocking(transport, bufferSize, handle, onError, time, stopping);
            }
            catch (Exception ex)
            {
                // Never let an exception escape a thread (it would end the process); RunBlocking catches per datagram.
                onError(ex);
            }
            finally
            {
                ended.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = threadName,
        };
        thread.Start();
        return ended.Task;
    }

    private static void RunBlocking(
        IReceiveThreadTransport transport,
        int bufferSize,
        Func<ReadOnlyMemory<byte>, DatagramReceiveResult, CancellationToken, ValueTask> handle,
        Action<Exception> onError,
        TimeProvider time,
        CancellationToken stopping)
    {
        byte[] buffer = new byte[bufferSize];
        using var wake = stopping.Register(static state => ((IReceiveThreadTransport)state!).WakeReceiver(), transport);
        while (!stopping.IsCancellationRequested)
        {
            DatagramReceiveResult received;
            try
            {
                var status = transport.ReceiveBlocking(buffer, out received);
                if (status == BlockingReceiveStatus.Closed)
                {
                    break;
                }

                if (status == BlockingReceiveStatus.Woken)
                {
                    continue;
                }
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (Exception ex)
            {
                onError(ex);
                try
                {
                    Task.Delay(ErrorPause, time, stopping).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (stopping.IsCancellationRequested)
            {
                break; // the wake-up datagram, or one that came with it: the endpoint is going away
            }

            try
            {
                var pending = handle(buffer.AsMemory(0, received.Length), received, stopping);
                if (pending.IsCompletedSuccessfully)
                {
                    pending.GetAwaiter().GetResult();
                }
                else
                {
                    // Rare (a handler that waits for something): wait here, as the asynchronous loop awaits it.
                    pending.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                onError(ex);
            }
        }
    }
}
