using System.Security.Cryptography;
using System.Text;
using Portal.Core.Sla;

namespace Portal.Core.Tests.Sla;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_secret";
    private const string Body = """{"type":"incident.opened","incident":{"id":"1"}}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    [Fact]
    public void Sign_IsHmacSha256OfTimeDotBody_InTheDocumentedHeaderShape()
    {
        var unix = Now.ToUnixTimeSeconds();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{unix}.{Body}")));

        Assert.Equal($"t={unix},v1={expected}", WebhookSignature.Sign(Secret, Now, Body));
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignature() =>
        Assert.True(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, Now, Body), Body, Now.AddSeconds(30), Tolerance));

    [Fact]
    public void Verify_RefusesAChangedBody() =>
        Assert.False(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, Now, Body), Body.Replace("opened", "closed"), Now, Tolerance));

    [Fact]
    public void Verify_RefusesAnotherSecret() =>
        Assert.False(WebhookSignature.Verify("another", WebhookSignature.Sign(Secret, Now, Body), Body, Now, Tolerance));

    [Fact]
    public void Verify_RefusesAnOldDelivery_AsAReplay() =>
        Assert.False(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, Now, Body), Body, Now.AddMinutes(6), Tolerance));

    [Fact]
    public void Verify_RefusesAMovedTimestamp()
    {
        var header = WebhookSignature.Sign(Secret, Now, Body).Replace($"t={Now.ToUnixTimeSeconds()}", $"t={Now.ToUnixTimeSeconds() + 1}");

        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now, Tolerance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=notanumber,v1=abc")]
    public void Verify_RefusesAMalformedHeader(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now, Tolerance));
}
