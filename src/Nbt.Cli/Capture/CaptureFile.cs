using System.Buffers.Binary;

namespace Nbt.Cli.Capture;

/// <summary>One link-layer record of a capture file.</summary>
/// <param name="Number">1-based frame number, as tshark numbers it.</param>
/// <param name="LinkType">The LINKTYPE_ value of the record's interface.</param>
/// <param name="Data">The captured bytes (a slice of the file; at most <see cref="CaptureFile.MaxRecordLength"/>).</param>
internal readonly record struct CaptureRecord(int Number, int LinkType, ReadOnlyMemory<byte> Data);

/// <summary>
/// Reads pcap (both byte orders, micro- and nanosecond magic) and pcapng (SHB, IDB, EPB, SPB; other blocks skipped)
/// from bytes that may be hostile: every length is checked against the bytes present before it is used, records are
/// capped, and a truncated or garbage file yields the records read so far plus a diagnostic, never an exception.
/// </summary>
internal static class CaptureFile
{
    /// <summary>Largest record accepted (256 KiB); a longer one ends the read with a diagnostic.</summary>
    public const int MaxRecordLength = 256 * 1024;

    /// <summary>Most interfaces tracked per pcapng section.</summary>
    public const int MaxInterfaces = 1024;

    /// <summary>Most records returned (bounds the loops on a huge file).</summary>
    public const int MaxRecords = 10_000_000;

    /// <summary>True when <paramref name="file"/> starts with a pcap or pcapng magic number.</summary>
    public static bool LooksLikeCapture(ReadOnlySpan<byte> file) =>
        file.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(file) is 0x0A0D0D0A or 0xA1B2C3D4 or 0xA1B23C4D or 0xD4C3B2A1 or 0x4D3CB2A1;

    /// <summary>Reads the records of a capture.</summary>
    /// <param name="file">The whole file.</param>
    /// <param name="diagnostics">Where problems with the file are reported (one line each).</param>
    /// <returns>The records read; empty when the file is not a capture (with a diagnostic).</returns>
    public static List<CaptureRecord> Read(ReadOnlyMemory<byte> file, List<string> diagnostics)
    {
        var records = new List<CaptureRecord>();
        if (file.Length < 4)
        {
            diagnostics.Add($"not a pcap or pcapng file ({file.Length} bytes)");
            return records;
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file.Span);
        switch (magic)
        {
            case 0x0A0D0D0A:
                ReadPcapNg(file, records, diagnostics);
                break;
            case 0xA1B2C3D4 or 0xA1B23C4D:
                ReadPcap(file, bigEndian: false, records, diagnostics);
                break;
            case 0xD4C3B2A1 or 0x4D3CB2A1:
                ReadPcap(file, bigEndian: true, records, diagnostics);
                break;
            default:
                diagnostics.Add($"not a pcap or pcapng file (magic 0x{magic:X8})");
                break;
        }

        return records;
    }

    private static uint U32(ReadOnlySpan<byte> span, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);

    private static void ReadPcap(ReadOnlyMemory<byte> file, bool bigEndian, List<CaptureRecord> records, List<string> diagnostics)
    {
        const int FileHeaderLength = 24;
        const int RecordHeaderLength = 16;
        if (file.Length < FileHeaderLength)
        {
            diagnostics.Add($"pcap file header truncated ({file.Length} of 24 bytes)");
            return;
        }

        int linkType = (int)(U32(file.Span[20..], bigEndian) & 0x0FFFFFFF);
        int pos = FileHeaderLength;
        while (pos < file.Length && records.Count < MaxRecords)
        {
            var span = file.Span;
            if (file.Length - pos < RecordHeaderLength)
            {
                diagnostics.Add($"pcap record header truncated at offset {pos} after frame {records.Count}");
                return;
            }

            uint captured = U32(span[(pos + 8)..], bigEndian);
            if (captured > MaxRecordLength)
            {
                diagnostics.Add($"frame {records.Count + 1}: captured length {captured} above {MaxRecordLength} at offset {pos}; stopped");
                return;
            }

            pos += RecordHeaderLength;
            if (captured > (uint)(file.Length - pos))
            {
                diagnostics.Add($"frame {records.Count + 1}: record truncated ({file.Length - pos} of {captured} bytes)");
                return;
            }

            records.Add(new CaptureRecord(records.Count + 1, linkType, file.Slice(pos, (int)captured)));
            pos += (int)captured;
        }
    }

    private static void ReadPcapNg(ReadOnlyMemory<byte> file, List<CaptureRecord> records, List<string> diagnostics)
    {
        var linkTypes = new List<int>();
        bool bigEndian = false;
        int pos = 0;
        while (pos < file.Length && records.Count < MaxRecords)
        {
            var span = file.Span;
            if (file.Length - pos < 12)
            {
                diagnostics.Add($"pcapng block truncated at offset {pos} ({file.Length - pos} bytes left)");
                return;
            }

            uint type = U32(span[pos..], bigEndian);
            if (type == 0x0A0D0D0A)
            {
                // The byte-order magic of a Section Header Block fixes the byte order of the section.
                uint byteOrder = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]);
                if (byteOrder == 0x1A2B3C4D)
                {
                    bigEndian = false;
                }
                else if (byteOrder == 0x4D3C2B1A)
                {
                    bigEndian = true;
                }
                else
                {
                    diagnostics.Add($"pcapng section header at offset {pos} has a bad byte-order magic 0x{byteOrder:X8}; stopped");
                    return;
                }

                linkTypes.Clear();
            }

            uint length = U32(span[(pos + 4)..], bigEndian);
            if (length < 12 || length % 4 != 0 || length > MaxRecordLength + 64)
            {
                diagnostics.Add($"pcapng block at offset {pos} has a bad length {length}; stopped");
                return;
            }

            if (length > (uint)(file.Length - pos))
            {
                diagnostics.Add($"pcapng block truncated at offset {pos} ({file.Length - pos} of {length} bytes)");
                return;
            }

            if (U32(span[(pos + (int)length - 4)..], bigEndian) != length)
            {
                diagnostics.Add($"pcapng block at offset {pos}: trailing length does not match {length}; stopped");
                return;
            }

            var body = file.Slice(pos + 8, (int)length - 12);
            switch (type)
            {
                case 1: // Interface Description Block: LinkType(16) Reserved(16) SnapLen(32)
                    if (body.Length >= 8 && linkTypes.Count < MaxInterfaces)
                    {
                        var b = body.Span;
                        linkTypes.Add(bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b));
                    }
                    else
                    {
                        diagnostics.Add($"pcapng interface block at offset {pos} ignored");
                    }

                    break;
                case 6: // Enhanced Packet Block: Interface(32) TsHigh(32) TsLow(32) Captured(32) Original(32) Data
                    ReadEnhanced(body, bigEndian, linkTypes, records, diagnostics);
                    break;
                case 3: // Simple Packet Block: Original(32) Data (interface 0)
                    if (body.Length >= 4)
                    {
                        uint original = U32(body.Span, bigEndian);
                        int captured = (int)Math.Min(original, (uint)(body.Length - 4));
                        int frame = records.Count + 1;
                        if (linkTypes.Count == 0)
                        {
                            diagnostics.Add($"frame {frame}: simple packet block without an interface; skipped");
                            records.Add(new CaptureRecord(frame, -1, ReadOnlyMemory<byte>.Empty));
                        }
                        else
                        {
                            records.Add(new CaptureRecord(frame, linkTypes[0], body.Slice(4, captured)));
                        }
                    }

                    break;
            }

            pos += (int)length;
        }
    }

    private static void ReadEnhanced(ReadOnlyMemory<byte> body, bool bigEndian, List<int> linkTypes, List<CaptureRecord> records, List<string> diagnostics)
    {
        int frame = records.Count + 1;
        if (body.Length < 20)
        {
            diagnostics.Add($"frame {frame}: enhanced packet block too short ({body.Length} bytes)");
            records.Add(new CaptureRecord(frame, -1, ReadOnlyMemory<byte>.Empty));
            return;
        }

        var span = body.Span;
        uint iface = U32(span, bigEndian);
        uint captured = U32(span[12..], bigEndian);
        if (captured > (uint)(body.Length - 20))
        {
            diagnostics.Add($"frame {frame}: captured length {captured} is past the end of its block");
            records.Add(new CaptureRecord(frame, -1, ReadOnlyMemory<byte>.Empty));
            return;
        }

        if (iface >= (uint)linkTypes.Count)
        {
            diagnostics.Add($"frame {frame}: interface {iface} was not described");
            records.Add(new CaptureRecord(frame, -1, ReadOnlyMemory<byte>.Empty));
            return;
        }

        records.Add(new CaptureRecord(frame, linkTypes[(int)iface], body.Slice(20, (int)captured)));
    }
}
