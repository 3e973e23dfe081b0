using Portal.Core.Gateway;

namespace Portal.Core.DryRun;

/// <summary>
/// One production request as the gateway recorded it, which is all a replay has: when it arrived, what it was, how many
/// tokens went in and came out, and whether it streamed. No content exists to replay.
/// </summary>
public sealed record RecordedRequest(DateTimeOffset At, GatewayOperation Operation, int PromptTokens, int CompletionTokens, bool Streamed);
