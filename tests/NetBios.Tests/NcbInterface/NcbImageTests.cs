using NetBios.NcbInterface;
using Xunit;

namespace NetBios.Tests.NcbInterface;

/// <summary>The seed's 64-byte NCB layout (docs/NCB.md §2.2): offsets, little-endian fields, segment:offset pointers, exact round trip.</summary>
public sealed class NcbImageTests
{
    [Fact]
    public void SpecVector_FieldsAtTheSeedsOffsets()
    {
        byte[] bytes = new byte[64];
        bytes[0] = 0xA1;                       // command: async DATAGRAM RECEIVE
        bytes[1] = 0xFF;                       // return code
        bytes[2] = 0x05;                       // local session
        bytes[3] = 0x02;                       // name number
        bytes[4] = 0x34; bytes[5] = 0x12;      // buffer offset 0x1234
        bytes[6] = 0x00; bytes[7] = 0xB8;      // buffer segment 0xB800
        bytes[8] = 0x00; bytes[9] = 0x02;      // length 512
        "CALLNAME        "u8.CopyTo(bytes.AsSpan(10));
        "LOCALNAME      \x03"u8.CopyTo(bytes.AsSpan(26));
        bytes[42] = 10;                        // receive timeout: 5 s
        bytes[43] = 4;                         // send timeout: 2 s
        bytes[44] = 0x78; bytes[45] = 0x56; bytes[46] = 0x00; bytes[47] = 0x10; // POST 1000:5678
        bytes[48] = 0x00;                      // LANA 0
        bytes[49] = 0xFF;                      // command complete: pending
        bytes[63] = 0x99;                      // reserved kept

        Assert.True(NcbImage.TryRead(bytes, out var image));

        Assert.Equal(0xA1, image.Command);
        Assert.Equal(new RealModeAddress(0xB800, 0x1234), image.Buffer);
        Assert.Equal(0xB800 * 16 + 0x1234, image.Buffer.Linear);
        Assert.Equal(512, image.BufferLength);
        Assert.Equal("CALLNAME        "u8.ToArray(), image.CallName.ToArray());
        Assert.Equal(0x03, image.Name[15]);
        Assert.Equal(new RealModeAddress(0x1000, 0x5678), image.Post);
        Assert.Equal(0xFF, image.CommandComplete);
        Assert.Equal(0x99, image.Reserved[13]);
        var ncb = new Ncb();
        image.CopyTo(ncb);
        Assert.True(ncb.IsAsynchronous);
        Assert.Equal(NcbCommand.DatagramReceive, ncb.BaseCommand);
        Assert.Equal(512, ncb.Length);
        Assert.Equal(10, ncb.ReceiveTimeout);
    }

    [Fact]
    public void RoundTrip_IsExact_ForRandomImages()
    {
        var random = new Random(64);
        for (int i = 0; i < 1000; i++)
        {
            byte[] bytes = new byte[64];
            random.NextBytes(bytes);
            Assert.True(NcbImage.TryRead(bytes, out var image));
            var ncb = new Ncb();
            image.CopyTo(ncb);
            var back = new NcbImage();
            back.CopyFrom(ncb);
            back.Buffer = image.Buffer;
            back.Post = image.Post;

            Assert.Equal(bytes, back.ToArray());
        }
    }

    [Fact]
    public void ShortInput_IsRefused()
    {
        Assert.False(NcbImage.TryRead(new byte[63], out _));
        Assert.Throws<ArgumentException>(() => new NcbImage().Write(new byte[10]));
    }
}
