using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace NetBios.Tests.TestCommon;

/// <summary>
/// Drives code that waits on a <see cref="FakeTimeProvider"/>: advances the fake clock in steps until the task
/// completes. Between steps it gives the engine a moment of real time to reach its next wait; the fake clock, not
/// that moment, decides every timeout, so results do not depend on machine speed.
/// </summary>
public static class FakeClock
{
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted && advanced <= limit)
        {
            await Settle(task);
            if (task.IsCompleted)
            {
                break;
            }

            time.Advance(step);
            advanced += step;
        }

        await Settle(task);
        Assert.True(task.IsCompleted, $"still running after {limit} of fake time");
        return await task;
    }

    public static async Task RunAsync(FakeTimeProvider time, Task task, TimeSpan step, TimeSpan limit) =>
        await RunAsync(time, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), step, limit);

    /// <summary>Advances the clock by <paramref name="total"/> in steps, letting background work run between them.</summary>
    public static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan total, TimeSpan step)
    {
        for (var advanced = TimeSpan.Zero; advanced < total; advanced += step)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(3));
            time.Advance(step);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(10));
    }

    /// <summary>Lets thread-pool continuations run: a bounded real wait that ends early when the task completes.</summary>
    private static async Task Settle(Task task)
    {
        for (int i = 0; i < 4 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(3)));
        }
    }
}
