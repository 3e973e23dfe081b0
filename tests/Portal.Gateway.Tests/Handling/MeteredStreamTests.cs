using System.IO.Pipelines;
using System.Text;
using Portal.Core.Gateway;
using Portal.Gateway.Forwarding;

namespace Portal.Gateway.Tests.Handling;

public sealed class MeteredStreamTests
{
    private const string Chunk = """data: {"id":"c","choices":[{"index":0,"delta":{"content":"TOKEN"},"finish_reason":null}],"usage":null}""";
    private const string Role = """data: {"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";
    private const string Usage = """data: {"id":"c","choices":[],"usage":{"prompt_tokens":12,"total_tokens":15,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":0}}}""";

    private static string Stream(params string[] lines) => string.Concat(lines.Select(l => l + "\n\n"));

    /// <summary>Feeds <paramref name="input"/> in pieces of <paramref name="pieceSize"/> bytes and reads with a small buffer.</summary>
    private static async Task<string> PassAsync(string input, ResponseMeter meter, int pieceSize, bool sse = true, Exception? failAtEnd = null)
    {
        await using var stream = new MeteredStream(new PiecewiseStream(Encoding.UTF8.GetBytes(input), pieceSize, failAtEnd), meter, sse, TimeSpan.FromSeconds(5));
        var output = new MemoryStream();
        var buffer = new byte[37];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task Sse_AnyPieceSize_CountsContentAndReadsUsage_PassesBytesUnchanged(int pieceSize)
    {
        var input = Stream(Role, Chunk, Chunk.Replace("TOKEN", "caf\u00e9 \\\"q\\\""), Chunk, Usage, "data: [DONE]");
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);

        var output = await PassAsync(input, meter, pieceSize);

        Assert.Equal(input, output);
        Assert.Equal(3, meter.ContentTimestamps.Length);
        Assert.Equal((12, 3), (meter.PromptTokens, meter.CompletionTokens));
        Assert.True(meter.SawDone);
        Assert.Null(meter.StreamError);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100_000)]
    public async Task Sse_UsageAddedByGateway_EventRemovedWhole(int pieceSize)
    {
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: true);

        var output = await PassAsync(Stream(Role, Chunk, Usage, "data: [DONE]"), meter, pieceSize);

        Assert.Equal(Stream(Role, Chunk, "data: [DONE]"), output);
        Assert.Equal(3, meter.CompletionTokens);
    }

    [Fact]
    public async Task Sse_CrLfLineEnds_Understood()
    {
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: true);

        var output = await PassAsync(Stream(Chunk, Usage, "data: [DONE]").Replace("\n", "\r\n"), meter, 5);

        Assert.Equal(1, meter.ContentTimestamps.Length);
        Assert.Equal(3, meter.CompletionTokens);
        Assert.DoesNotContain("usage\":{", output);
    }

    [Fact]
    public async Task Sse_UpstreamBreaksMidEvent_HalfEventDropped_ErrorAndDoneAppended()
    {
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);
        var input = Stream(Role, Chunk) + Chunk[..40];

        var output = await PassAsync(input, meter, 16, failAtEnd: new IOException("reset"));

        Assert.StartsWith(Stream(Role, Chunk) + "data: {\"error\":", output);
        Assert.EndsWith("\n\ndata: [DONE]\n\n", output);
        Assert.Equal("upstream_stream_error", meter.StreamError);
    }

    [Fact]
    public async Task Sse_CleanEndWithoutDone_ErrorAppended()
    {
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);

        var output = await PassAsync(Stream(Chunk), meter, 100);

        Assert.Contains("upstream_stream_error", output);
        Assert.EndsWith("data: [DONE]\n\n", output);
    }

    [Fact]
    public async Task Json_PassedThrough_UsageReadFromTail()
    {
        var body = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"" + new string('a', 10_000)
            + "\"}}],\n  \"usage\": {\"prompt_tokens\": 21, \"completion_tokens\": 8}}";
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);

        var output = await PassAsync(body, meter, 999, sse: false);

        Assert.Equal(body, output);
        Assert.Equal((21, 8), (meter.PromptTokens, meter.CompletionTokens));
        Assert.Equal(0, meter.ContentTimestamps.Length);
    }

    [Fact]
    public async Task TextCompletion_CountsTextDeltas()
    {
        using var meter = new ResponseMeter(GatewayOperation.TextCompletion, stripUsageChunk: false);
        var text = """data: {"choices":[{"text":"Once","index":0}]}""";
        var empty = """data: {"choices":[{"text":"","index":0,"finish_reason":"length"}]}""";

        await PassAsync(Stream(text, text, empty, "data: [DONE]"), meter, 10);

        Assert.Equal(2, meter.ContentTimestamps.Length);
    }

    [Fact]
    public async Task Sse_ClientSlowerThanTheIdleTimeout_IsNotUpstreamSilence()
    {
        var upstream = new Pipe();
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);
        await using var stream = new MeteredStream(upstream.Reader.AsStream(), meter, sse: true, TimeSpan.FromMilliseconds(200));
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Stream(Role)));
        var first = await ReadOnceAsync(stream);

        // The client takes its time: no read of the upstream is pending for three idle timeouts.
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Stream(Chunk, "data: [DONE]")));
        await upstream.Writer.CompleteAsync();

        Assert.Equal(Stream(Role, Chunk, "data: [DONE]"), first + await ReadToEndAsync(stream));
        Assert.Null(meter.StreamError);
        Assert.Equal(1, meter.ContentTimestamps.Length);
    }

    [Fact]
    public async Task Sse_ReadLeftWaitingPastTheIdleTimeout_EndsWithTimeoutErrorAndDone()
    {
        var upstream = new Pipe();
        using var meter = new ResponseMeter(GatewayOperation.Chat, stripUsageChunk: false);
        await using var stream = new MeteredStream(upstream.Reader.AsStream(), meter, sse: true, TimeSpan.FromMilliseconds(200));
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Stream(Role, Chunk)));

        // The upstream sends nothing more and never ends: the pending read is given up, the client's stream ends cleanly.
        var output = await ReadToEndAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith(Stream(Role, Chunk), output);
        Assert.Contains("upstream_timeout", output);
        Assert.EndsWith("data: [DONE]\n\n", output);
    }

    private static async Task<string> ReadOnceAsync(Stream stream)
    {
        var buffer = new byte[4096];
        return Encoding.UTF8.GetString(buffer, 0, await stream.ReadAsync(buffer));
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        var output = new MemoryStream();
        await stream.CopyToAsync(output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>A stream that returns its bytes a few at a time, then optionally fails instead of ending.</summary>
    private sealed class PiecewiseStream(byte[] data, int pieceSize, Exception? failAtEnd) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == data.Length && failAtEnd is not null)
            {
                throw failAtEnd;
            }

            var count = Math.Min(Math.Min(pieceSize, buffer.Length), data.Length - _position);
            data.AsSpan(_position, count).CopyTo(buffer.Span);
            _position += count;
            return ValueTask.FromResult(count);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().Result;

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
