using Portal.Gateway.Outbound;

namespace Portal.Gateway.Tests;

public sealed class BoundedReadStreamTests
{
    [Fact]
    public async Task ReadingUpToTheLimit_ReturnsEverything()
    {
        await using var stream = new BoundedReadStream(new MemoryStream(new byte[64]), maxBytes: 64);

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(64, copy.Length);
    }

    [Fact]
    public async Task ReadingPastTheLimit_Throws_NamingTheLimit()
    {
        using var reader = new StreamReader(new BoundedReadStream(new MemoryStream(new byte[10_000]), maxBytes: 1024));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => reader.ReadLineAsync());

        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, error.HttpRequestError);
        Assert.Contains("1024 bytes", error.Message);
    }
}
