namespace Portal.Cli.Commands;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// The portal refused the request (its problem details are printed), or the command ran and found a problem
    /// (for <c>audit verify</c>: the trail was tampered with).
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command could not run: bad arguments, a missing or unreadable file, no portal or login to use.</summary>
    public const int Usage = 2;
}
