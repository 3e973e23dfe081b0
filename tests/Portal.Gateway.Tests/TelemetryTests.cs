using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Portal.Core.Gateway;
using Portal.Gateway.Seams;
using Portal.Gateway.Telemetry;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>GenAI semantic-convention instruments and one span per request.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task StreamedRequest_RecordsTtftDurationTokenUsage_AndASpan()
    {
        var model = $"acme/telemetry-{Guid.NewGuid():N}";
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Collect(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("gen_ai.request.model"), model))
            {
                measurements.Add((instrument.Name, value, map));
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Collect(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Collect(i, v, t));
        listener.Start();
        var spans = new ConcurrentBag<Activity>();
        using var activities = RecordGatewaySpans(spans);

        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(model, simulator);
        using var client = gateway.Client();
        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(model, maxTokens: 4, stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await gateway.Sink.WaitForAsync(1);

        Assert.Contains(measurements, m => m.Instrument == "gen_ai.server.time_to_first_token" && m.Value > 0
            && Equals(m.Tags["gen_ai.operation.name"], "chat"));
        Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.token.usage" && m.Value == 4
            && Equals(m.Tags["gen_ai.token.type"], "output"));
        Assert.Contains(measurements, m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags["gen_ai.token.type"], "input"));
        var span = Assert.Single(spans, s => Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.Equal($"chat {model}", span.DisplayName);
        Assert.Equal(4, span.GetTagItem("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task Traced_UpstreamCallCarriesTheGatewaySpansTrace_AndNoAcceptEncoding()
    {
        var model = $"acme/traced-{Guid.NewGuid():N}";
        var spans = new ConcurrentBag<Activity>();
        using var activities = RecordGatewaySpans(spans);
        await using var upstream = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [upstream.BaseUri.Authority]);
        var target = GatewayTarget.Serverless(Guid.NewGuid(), new Uri(upstream.BaseUri, "v1"), "sk-upstream", "us-east");
        gateway.Directory.SetEndpoint(new GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, model, target));
        using var client = gateway.Client();
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip, br");

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(model, stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await gateway.Sink.WaitForAsync(1);
        var headers = Assert.Single(upstream.ReceivedHeaders);
        var span = Assert.Single(spans, s => Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.StartsWith($"00-{span.TraceId}-", headers.GetValueOrDefault("traceparent"));
        Assert.False(headers.ContainsKey("Accept-Encoding"));
        Assert.Equal("Bearer sk-upstream", headers["Authorization"]);
    }

    /// <summary>Records every span of the gateway's activity source into <paramref name="spans"/> until disposed.</summary>
    private static ActivityListener RecordGatewaySpans(ConcurrentBag<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatewayTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
