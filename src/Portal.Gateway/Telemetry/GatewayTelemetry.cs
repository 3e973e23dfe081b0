using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portal.Core.Gateway;

namespace Portal.Gateway.Telemetry;

/// <summary>
/// The gateway's OpenTelemetry instruments (GenAI semantic conventions) and its span source. Both are named
/// <see cref="Name"/>; the host adds that name to its meter and tracer providers.
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "Portal.Gateway";

    private static readonly double[] _secondsBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];

    private static readonly long[] _tokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

    private readonly Meter _meter;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _operationDuration;
    private readonly Histogram<long> _tokenUsage;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _samplesDropped;
    private readonly Counter<long> _shadowDropped;

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _timeToFirstToken = _meter.CreateHistogram("gen_ai.server.time_to_first_token", "s",
            "Time from the gateway receiving a request to sending the first chunk with generated content.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = _secondsBuckets });
        _operationDuration = _meter.CreateHistogram("gen_ai.client.operation.duration", "s",
            "Duration of a GenAI operation through the gateway, to the last byte.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = _secondsBuckets });
        _tokenUsage = _meter.CreateHistogram("gen_ai.client.token.usage", "{token}",
            "Input and output tokens per operation.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = _tokenBuckets });
        _rejected = _meter.CreateCounter<long>("portal.gateway.requests.rejected", "{request}",
            "Requests refused before reaching an upstream, by error code.");
        _samplesDropped = _meter.CreateCounter<long>("portal.gateway.samples.dropped", "{sample}",
            "Samples dropped because the sample queue was full.");
        _shadowDropped = _meter.CreateCounter<long>("portal.gateway.shadow.dropped", "{request}",
            "Sampled shadow copies not sent because too many were in flight.");
    }

    public static ActivitySource ActivitySource { get; } = new(Name);

    public void Record(RequestSample sample)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", sample.Operation.TelemetryName() },
            { "gen_ai.request.model", sample.Model },
        };
        if (sample.Shadow)
        {
            tags.Add("portal.shadow", true);
        }

        if (sample.DryRunId is not null)
        {
            tags.Add("portal.dry_run", true);
        }

        if (sample.ErrorCode is not null || sample.StatusCode >= 400)
        {
            tags.Add("error.type", sample.ErrorCode ?? StatusText(sample.StatusCode));
        }

        _operationDuration.Record(sample.EndToEndMs / 1000, tags);
        // An embedding's time to response is kept as its TTFT in the sample, but the GenAI metric means a first token.
        if (sample.TtftMs is { } ttft && sample.Operation.Generates())
        {
            _timeToFirstToken.Record(ttft / 1000, tags);
        }

        if (sample.PromptTokens is { } input)
        {
            var tokenTags = tags;
            tokenTags.Add("gen_ai.token.type", "input");
            _tokenUsage.Record(input, tokenTags);
        }

        if (sample.CompletionTokens is { } output)
        {
            var tokenTags = tags;
            tokenTags.Add("gen_ai.token.type", "output");
            _tokenUsage.Record(output, tokenTags);
        }
    }

    public void Rejected(string errorCode) => _rejected.Add(1, new KeyValuePair<string, object?>("error.type", errorCode));

    public void SampleDropped() => _samplesDropped.Add(1);

    public void ShadowDropped() => _shadowDropped.Add(1);

    public void Dispose() => _meter.Dispose();

    private static string StatusText(int status) => status switch
    {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
