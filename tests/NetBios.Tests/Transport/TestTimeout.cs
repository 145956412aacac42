namespace NetBios.Tests.Transport;

/// <summary>A hang guard for socket tests: the test's token, cancelled after a generous wall-clock limit.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Create(int seconds = 10)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts;
    }
}
