using NetBios.Fuzzing;
using Xunit;

namespace NetBios.Tests.Fuzzing;

/// <summary>
/// The fuzz targets (tests/NetBios.Fuzzing) on every CI run: the checked-in seed corpus, then seeded random mutations
/// of it (bit flips, truncations, insertions, splices). The long runs are AFL's (tests/NetBios.Fuzzing/run.sh).
/// </summary>
public sealed class FuzzTargetTests
{
    private const int MutationsPerTarget = 20_000;

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Keys];

    private static List<byte[]> Seeds(string target)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "corpus-seed", target);
        Assert.True(Directory.Exists(directory), $"no seed corpus at {directory}");
        var seeds = Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(seeds);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void SeedCorpus_HoldsEveryInvariant(string target)
    {
        foreach (byte[] seed in Seeds(target))
        {
            FuzzTargets.All[target](seed);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void RandomMutationsOfTheSeeds_HoldEveryInvariant(string target)
    {
        var seeds = Seeds(target);
        var random = new Random(target.GetHashCode(StringComparison.Ordinal) ^ 0x5EED);
        for (int i = 0; i < MutationsPerTarget; i++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Count)], seeds[random.Next(seeds.Count)], random);
            try
            {
                FuzzTargets.All[target](input);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{target} mutation {i} ({Convert.ToHexString(input)}): {ex}");
            }
        }
    }

    private static byte[] Mutate(byte[] seed, byte[] other, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    int at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes = bytes.Take(random.Next(bytes.Count + 1)).ToList(); // truncate
                    break;
                case 3:
                    bytes.InsertRange(random.Next(bytes.Count + 1), Enumerable.Range(0, 1 + random.Next(8)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    int from = random.Next(other.Length + 1);
                    bytes.AddRange(other.Skip(from).Take(random.Next(64))); // splice
                    break;
            }
        }

        return [.. bytes];
    }
}
