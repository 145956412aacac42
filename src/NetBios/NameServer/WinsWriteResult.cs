namespace NetBios.NameServer;

/// <summary>The outcome of <see cref="IWinsStore.WriteAsync"/> or <see cref="IWinsStore.DeleteAsync"/>.</summary>
/// <param name="Succeeded">True when the write is durable; false when the version check failed and nothing was written.</param>
/// <param name="Record">
/// On success, the record as stored (with its new <see cref="WinsRecord.Version"/>; null after a delete). On a failed
/// version check, the record the store holds now (null if the name is absent), to decide again from.
/// </param>
public readonly record struct WinsWriteResult(bool Succeeded, WinsRecord? Record);
