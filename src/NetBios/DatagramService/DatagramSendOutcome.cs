namespace NetBios.DatagramService;

/// <summary>What happened to a datagram handed to <see cref="DatagramServiceNode"/>; maps 1:1 to NCB return codes.</summary>
public enum DatagramSendOutcome
{
    /// <summary>Sent (datagrams are unacknowledged: this says nothing about receipt). NCB NRC_GOODRET.</summary>
    Sent,

    /// <summary>The source name is not a registered name of this node. NCB NRC_ILLNN.</summary>
    SourceNameNotLocal,

    /// <summary>The payload is longer than <see cref="DatagramServiceOptions.MaxUserDataLength"/>. NCB NRC_BUFLEN.</summary>
    TooLong,

    /// <summary>The destination name could not be resolved, so nothing was sent.</summary>
    NameNotFound,

    /// <summary>The broadcast claims of the destination (unique) name were not verified as one holder's (<see cref="NameService.QueryOutcome.Conflict"/>: several holders, or claims refuted by node status): not sent.</summary>
    ConflictingAnswers,
}
