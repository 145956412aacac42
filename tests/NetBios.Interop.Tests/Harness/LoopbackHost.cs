using System.Diagnostics;
using System.Net;

namespace NetBios.Interop.Tests.Harness;

/// <summary>
/// One namespace with <c>lo</c> (127.0.0.1/8) plus a veth pair whose BOTH ends stay inside it:
/// <c>nbv0</c> = 10.98.K.1/24, <c>nbv1</c> up without address. The veth exists only because nmbd refuses to
/// serve with loopback alone (docs/INTEROP.md §1 pitfall 1); with <see cref="NmbdInterfaces"/> nmbd answers on
/// 127.0.0.1:137 too, but its own names resolve to <see cref="Address"/>.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private LoopbackHost(NetworkNamespace ns, IPAddress address)
    {
        Namespace = ns;
        Address = address;
    }

    /// <summary>The namespace.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>10.98.K.1 on nbv0.</summary>
    public IPAddress Address { get; }

    /// <summary>127.0.0.1.</summary>
    public static IPAddress Loopback => IPAddress.Loopback;

    /// <summary>"10.98.K.1/24".</summary>
    public string InterfaceSpec => $"{Address}/24";

    /// <summary>Samba <c>interfaces =</c> value covering both: "127.0.0.1/8 10.98.K.1/24".</summary>
    public string NmbdInterfaces => $"127.0.0.1/8 {InterfaceSpec}";

    /// <summary>Creates the namespace and its internal veth pair.</summary>
    public static async Task<LoopbackHost> CreateAsync(CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        var address = IPAddress.Parse($"10.98.{Subnets.NextOctet()}.1");
        var ns = await NetworkNamespace.CreateAsync("loopback", cancellationToken);
        try
        {
            (await ns.IpAsync(["link", "add", "nbv0", "type", "veth", "peer", "name", "nbv1"], cancellationToken)).EnsureSuccess();
            (await ns.IpAsync(["addr", "add", $"{address}/24", "dev", "nbv0"], cancellationToken)).EnsureSuccess();
            (await ns.IpAsync(["link", "set", "nbv0", "up"], cancellationToken)).EnsureSuccess();
            (await ns.IpAsync(["link", "set", "nbv1", "up"], cancellationToken)).EnsureSuccess();
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        HarnessLog.Write($"LoopbackHost {ns.Name}: lo + nbv0={address}/24 in {sw.ElapsedMilliseconds} ms");
        return new LoopbackHost(ns, address);
    }

    /// <summary>Deletes the namespace (and everything still running in it).</summary>
    public ValueTask DisposeAsync() => Namespace.DisposeAsync();
}
