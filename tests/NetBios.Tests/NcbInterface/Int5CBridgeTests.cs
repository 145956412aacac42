using System.Text;
using NetBios.NcbInterface;
using NetBios.Station;
using NetBios.Tests.TestCommon;
using Xunit;

namespace NetBios.Tests.NcbInterface;

/// <summary>INT 5Ch over emulated real-mode memory: 64-byte NCB images, segment:offset buffers, AL, POST via the host.</summary>
public sealed class Int5CBridgeTests
{
    private const ushort NcbSegment = 0x2000;
    private const ushort BufferSegment = 0x3000;

    private sealed class FlatMemory : IRealModeMemory
    {
        public byte[] Bytes { get; } = new byte[0x10FFF0];

        public int Size => Bytes.Length;

        public void Read(int linear, Span<byte> destination) => Bytes.AsSpan(linear, destination.Length).CopyTo(destination);

        public void Write(int linear, ReadOnlySpan<byte> source) => source.CopyTo(Bytes.AsSpan(linear));
    }

    private sealed class Machine
    {
        public FlatMemory Memory { get; } = new();

        public List<(RealModeAddress Routine, ushort Es, ushort Bx, byte Al)> Posts { get; } = [];

        public Int5CBridge Bridge { get; private set; } = null!;

        public static Machine Create(INetBios? netbios)
        {
            var machine = new Machine();
            machine.Bridge = new Int5CBridge(netbios, machine.Memory, (routine, es, bx, al) => machine.Posts.Add((routine, es, bx, al)));
            return machine;
        }

        /// <summary>Writes a 64-byte NCB at 2000:offset.</summary>
        public void PutNcb(ushort offset, NcbCommand command, Action<NcbImage>? fill = null)
        {
            var image = new NcbImage { Command = (byte)command };
            fill?.Invoke(image);
            image.Write(Memory.Bytes.AsSpan(new RealModeAddress(NcbSegment, offset).Linear));
        }

        public NcbImage GetNcb(ushort offset)
        {
            NcbImage.TryRead(Memory.Bytes.AsSpan(new RealModeAddress(NcbSegment, offset).Linear, 64), out var image);
            return image;
        }

        public Span<byte> At(RealModeAddress address, int length) => Memory.Bytes.AsSpan(address.Linear, length);
    }

    private static Task<byte> Interrupt(StationTestNetwork net, Machine machine, ushort offset) =>
        net.Run(new ValueTask<byte>(Task.Run(() => machine.Bridge.Interrupt(NcbSegment, offset))));

    [Fact]
    public void NotLoaded_Returns0xFB_AndLeavesMemoryAlone()
    {
        var machine = Machine.Create(null);
        machine.PutNcb(0, NcbCommand.Reset);
        byte[] before = machine.GetNcb(0).ToArray();

        Assert.Equal(0xFB, machine.Bridge.Interrupt(NcbSegment, 0));
        Assert.Equal(before, machine.GetNcb(0).ToArray());
    }

    [Fact]
    public async Task RawImages_ResetAddNameAdapterStatus_AsyncReceiveWithPost_Cancel()
    {
        await using var net = new StationTestNetwork();
        var dos = net.AddStation();
        var other = net.AddStation();
        var machine = Machine.Create(NcbTestSupport.Open(dos));
        var sender = NcbTestSupport.Open(other);
        await net.Run(new ValueTask<NcbReturnCode>(sender.SubmitAsync(new Ncb { Command = NcbCommand.Reset })));
        var addSender = new Ncb { Command = NcbCommand.AddName };
        addSender.SetName(NetBiosName.Create("SENDER", 0));
        await net.Run(new ValueTask<NcbReturnCode>(sender.SubmitAsync(addSender)));

        // RESET and ADD NAME from raw 64-byte images.
        machine.PutNcb(0x000, NcbCommand.Reset);
        Assert.Equal(0, await Interrupt(net, machine, 0x000));
        machine.PutNcb(0x040, NcbCommand.AddName, i => "DOSBOX         \0"u8.CopyTo(i.Name));
        Assert.Equal(0, await Interrupt(net, machine, 0x040));
        byte number = machine.GetNcb(0x040).NameNumber;
        Assert.InRange(number, 2, 254);
        Assert.Equal(0, machine.GetNcb(0x040).ReturnCode);

        // ADAPTER STATUS into a segment:offset buffer.
        var statusBuffer = new RealModeAddress(BufferSegment, 0x0000);
        machine.PutNcb(0x080, NcbCommand.AdapterStatus, i =>
        {
            i.CallName[0] = (byte)'*';
            i.Buffer = statusBuffer;
            i.BufferLength = 200;
        });
        Assert.Equal(0, await Interrupt(net, machine, 0x080));
        Assert.Equal(60 + 18, machine.GetNcb(0x080).BufferLength);
        Assert.Equal("DOSBOX"u8.ToArray(), machine.At(new RealModeAddress(BufferSegment, 60), 6).ToArray());

        // Async DATAGRAM RECEIVE with a POST routine: pending until the host delivers the completion.
        var receiveBuffer = new RealModeAddress(BufferSegment, 0x0400);
        var post = new RealModeAddress(0x1000, 0x0010);
        machine.PutNcb(0x0C0, NcbCommand.DatagramReceive | NcbCommand.Asynchronous, i =>
        {
            i.NameNumber = number;
            i.Buffer = receiveBuffer;
            i.BufferLength = 100;
            i.Post = post;
        });
        Assert.Equal(0, machine.Bridge.Interrupt(NcbSegment, 0x0C0));
        Assert.Equal(0xFF, machine.GetNcb(0x0C0).CommandComplete);
        Assert.Equal(0xFF, machine.GetNcb(0x0C0).ReturnCode);

        var send = new Ncb { Command = NcbCommand.DatagramSend, NameNumber = addSender.NameNumber, Buffer = Encoding.ASCII.GetBytes("to dos"), Length = 6 };
        send.SetCallName(NetBiosName.Create("DOSBOX", 0));
        Assert.Equal(NcbReturnCode.GoodReturn, await net.Run(new ValueTask<NcbReturnCode>(sender.SubmitAsync(send))));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (machine.Bridge.PendingCompletions == 0)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        Assert.Equal(0xFF, machine.GetNcb(0x0C0).CommandComplete); // not before delivery
        Assert.Equal(1, machine.Bridge.DeliverCompletions());
        var completed = machine.GetNcb(0x0C0);
        Assert.Equal(0, completed.CommandComplete);
        Assert.Equal(6, completed.BufferLength);
        Assert.Equal("to dos"u8.ToArray(), machine.At(receiveBuffer, 6).ToArray());
        Assert.Equal(NetBiosName.Create("SENDER", 0).ToArray(), completed.CallName.ToArray());
        Assert.Equal([(post, NcbSegment, (ushort)0x0C0, (byte)0)], machine.Posts);

        // CANCEL of a pending receive, by the address of its NCB.
        machine.PutNcb(0x100, NcbCommand.DatagramReceive | NcbCommand.Asynchronous, i =>
        {
            i.NameNumber = number;
            i.Buffer = receiveBuffer;
            i.BufferLength = 100;
        });
        machine.Bridge.Interrupt(NcbSegment, 0x100);
        machine.PutNcb(0x140, NcbCommand.Cancel, i => i.Buffer = new RealModeAddress(NcbSegment, 0x100));
        Assert.Equal(0, await Interrupt(net, machine, 0x140));
        machine.Bridge.DeliverCompletions();
        Assert.Equal((byte)NcbReturnCode.CommandCancelled, machine.GetNcb(0x100).CommandComplete);
    }

    [Fact]
    public async Task BufferPastTheEndOfMemory_IsBadBufferAddress()
    {
        await using var net = new StationTestNetwork();
        var machine = Machine.Create(NcbTestSupport.Open(net.AddStation()));
        machine.PutNcb(0, NcbCommand.Reset);
        await Interrupt(net, machine, 0);
        machine.PutNcb(0x40, NcbCommand.DatagramSendBroadcast, i =>
        {
            i.Buffer = new RealModeAddress(0xFFFF, 0xFFF0);
            i.BufferLength = 0x100;
        });

        Assert.Equal((byte)NcbReturnCode.BadBufferAddress, await Interrupt(net, machine, 0x40));
        Assert.Equal((byte)NcbReturnCode.BadBufferAddress, machine.GetNcb(0x40).ReturnCode);
    }
}
