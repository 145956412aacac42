using Xunit;

namespace NetBios.Interop.Tests.Harness;

/// <summary>Writes harness progress (fixture start times, cleanup) to the current test's output, if any.</summary>
public static class HarnessLog
{
    /// <summary>One line to the test output (ignored outside a test).</summary>
    public static void Write(string message)
    {
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine("[harness] " + message);
        }
        catch (InvalidOperationException)
        {
            // No test is running (e.g. output helper already closed).
        }
    }
}
