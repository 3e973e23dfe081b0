using System.Net;

namespace Portal.Gateway.Forwarding;

/// <summary>Puts a <see cref="MeteredStream"/> between an upstream response's content and whoever reads it.</summary>
internal sealed class MeteredContent(HttpContent inner, ResponseMeter meter, bool sse, TimeSpan idleTimeout) : HttpContent
{
    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new MeteredStream(await inner.ReadAsStreamAsync(cancellationToken), meter, sse, idleTimeout);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var metered = await CreateContentReadStreamAsync(CancellationToken.None);
        await metered.CopyToAsync(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
