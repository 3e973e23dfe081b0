namespace Portal.Cli.Commands;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and found a problem (for <c>audit verify</c>: the trail was tampered with).</summary>
    public const int Failed = 1;

    /// <summary>The command could not run: bad arguments, a missing or unreadable file.</summary>
    public const int Usage = 2;
}
