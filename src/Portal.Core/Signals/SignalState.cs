namespace Portal.Core.Signals;

/// <summary>The verdict of one migration signal.</summary>
public enum SignalState
{
    /// <summary>The signal says serverless is hurting: it counts towards moving to dedicated.</summary>
    Fires,

    /// <summary>Measured, and fine.</summary>
    Ok,

    /// <summary>Too little traffic or a missing input to decide.</summary>
    NotEnoughData,
}
