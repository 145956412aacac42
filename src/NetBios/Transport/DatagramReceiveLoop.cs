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

    /// <summary>Datagrams one receive of the receive thread takes at most (recvmmsg): at window 64 the socket usually
    /// holds several; the storage is <c>ReceiveBatchCapacity × bufferSize</c> bytes per thread.</summary>
    internal const int ReceiveBatchCapacity = 32;

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
    /// (which takes the first datagram and those queued behind it, up to <see cref="ReceiveBatchCapacity"/>) and handles
    /// each datagram on that thread, in order; the answers sent on the thread while handling one receive leave together
    /// (one sendmmsg) before the next receive, without a thread hop.
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
        var batch = new UdpMessageBatch(ReceiveBatchCapacity, bufferSize);
        using var wake = stopping.Register(static state => ((IReceiveThreadTransport)state!).WakeReceiver(), transport);
        bool stop = false;
        while (!stop && !stopping.IsCancellationRequested)
        {
            try
            {
                var status = transport.ReceiveBlocking(batch);
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

            // Several datagrams: their answers (sends made on this thread while handling them) leave together, with
            // one sendmmsg after the last one. One datagram (window 1): its answer goes at once, as before.
            bool batching = batch.Count > 1;
            if (batching)
            {
                transport.BeginSendBatch();
            }

            try
            {
                stop = HandleBatch(batch, batching, transport, handle, onError, stopping);
            }
            finally
            {
                if (batching)
                {
                    SendBatchStep(transport, static t => t.EndSendBatch(), onError);
                }
            }
        }
    }

    /// <summary>Handles the datagrams of one receive in order; true when the loop is to stop.</summary>
    private static bool HandleBatch(
        UdpMessageBatch batch,
        bool batching,
        IReceiveThreadTransport transport,
        Func<ReadOnlyMemory<byte>, DatagramReceiveResult, CancellationToken, ValueTask> handle,
        Action<Exception> onError,
        CancellationToken stopping)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            if (stopping.IsCancellationRequested)
            {
                return true; // the wake-up datagram, or one that came with it: the endpoint is going away
            }

            if (!batch.HasDatagram(i))
            {
                continue;
            }

            try
            {
                var pending = handle(batch.Datagram(i), batch.Result(i), stopping);
                if (pending.IsCompletedSuccessfully)
                {
                    pending.GetAwaiter().GetResult();
                }
                else
                {
                    // Rare (a handler that waits for something): the answers of the datagrams before it leave now, then
                    // it is waited for here, as the asynchronous loop awaits it (one datagram at a time, in order).
                    if (batching)
                    {
                        SendBatchStep(transport, static t => t.FlushSendBatch(), onError);
                    }

                    pending.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return true;
            }
            catch (Exception ex)
            {
                onError(ex);
            }
        }

        return false;
    }

    /// <summary>Flushes or ends the send batch (<paramref name="step"/>, a static lambda: nothing allocated) without letting
    /// a send failure end the receive thread: a disposed transport loses the queued answers, as a closed socket would (the
    /// next receive reports Closed); any other failure goes to <paramref name="onError"/>.</summary>
    private static void SendBatchStep(IReceiveThreadTransport transport, Action<IReceiveThreadTransport> step, Action<Exception> onError)
    {
        try
        {
            step(transport);
        }
        catch (ObjectDisposedException)
        {
            // Disposed: see the summary.
        }
        catch (Exception ex)
        {
            onError(ex);
        }
    }
}
