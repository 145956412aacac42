namespace NetBios;

/// <summary>Choices applied when a <see cref="NetBiosName"/> is created from text.</summary>
[Flags]
public enum NetBiosNameOptions
{
    /// <summary>Keep every byte exactly as given (the wire is case-sensitive).</summary>
    None = 0,

    /// <summary>Upper-case ASCII letters a–z, as Windows and Samba do for names typed by people.</summary>
    UpperCase = 1,
}
