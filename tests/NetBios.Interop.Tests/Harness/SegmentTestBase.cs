using Xunit;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// Interop tests in which every test gets a fresh broadcast segment of network namespaces, created once the
/// requirements are checked (a test is skipped, not failed, when they are missing) and torn down after it.
/// </summary>
/// <param name="hosts">Hosts on the segment.</param>
/// <param name="requirements">What the tests need (<see cref="InteropRequirements"/>).</param>
public abstract class SegmentTestBase(int hosts, params string[] requirements) : IAsyncLifetime
{
    /// <summary>The segment of the running test.</summary>
    protected BroadcastSegment Segment { get; private set; } = null!;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        InteropRequirements.Require(requirements);
        Segment = await BroadcastSegment.CreateAsync(hosts);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Segment is not null)
        {
            await Segment.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
