namespace Portal.Core.Deployments;

/// <summary>
/// Zero retention reaches the replicas: no engine the portal starts writes a request's prompt or completion to its log.
/// The versions assumed and what each needs:
/// <list type="bullet">
/// <item>vLLM 0.11 or later: request logging is off unless <c>--enable-log-requests</c> (and <c>--enable-log-outputs</c>)
/// is given. The older <c>--disable-log-requests</c> was deprecated in the 0.10 series and removed in 0.11, so passing it would
/// stop the engine from starting; the portal passes neither.</item>
/// <item>SGLang: requests are logged only with <c>--log-requests</c> (its level with <c>--log-requests-level</c>); never passed.</item>
/// <item>TensorRT-LLM <c>trtllm-serve</c>: has no request-logging switch and writes no request content at <c>info</c>;
/// the portal passes <c>--log_level info</c> so a debug level from the image's environment cannot turn it on.</item>
/// </list>
/// The simulator follows vLLM: <c>--enable-log-requests</c> prints each prompt, and the portal never passes it.
/// </summary>
public static class EngineRequestLogging
{
    /// <summary>Flags that make an engine write requests' contents to its log.</summary>
    public static IReadOnlyList<string> TurnOnFlags { get; } =
        ["--enable-log-requests", "--enable-log-outputs", "--log-requests", "--log-requests-level"];

    /// <summary>The log level given to <c>trtllm-serve</c>.</summary>
    public const string TensorRtLlmLogLevel = "info";

    /// <summary>True when the command would have its engine log request contents: it must never be run.</summary>
    public static bool LogsRequests(EngineCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Arguments.Any(a => TurnOnFlags.Any(flag => a == flag || a.StartsWith(flag + "=", StringComparison.Ordinal)))
            || LogLevelIsDebug(command.Arguments);
    }

    private static bool LogLevelIsDebug(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count - 1; i++)
        {
            if (arguments[i] is "--log_level" or "--log-level" && arguments[i + 1].ToLowerInvariant() is "debug" or "verbose" or "trace")
            {
                return true;
            }
        }

        return false;
    }
}
