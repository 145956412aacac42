namespace NetBios.Tests.TestCommon;

/// <summary>Locations of test data copied next to the test assembly.</summary>
public static class TestPaths
{
    /// <summary>Full path of a capture in TestData/captures.</summary>
    public static string Capture(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", "captures", fileName);
}
