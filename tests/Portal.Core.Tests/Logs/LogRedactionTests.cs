using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogRedactionTests
{
    [Theory]
    [InlineData("Downloading with token hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123")]
    [InlineData("client key pk_4Fh7Kq9Zt2Lm8Np3Rs6Vw1Xy_3a9f0c1d", "pk_4Fh7Kq9Zt2Lm8Np3Rs6Vw1Xy")]
    [InlineData("args: --api-key rs_Q2w3E4r5T6y7U8i9O0pAsDfGhJkLzXcVbNm1234567 --port 8000", "rs_Q2w3E4r5T6y7U8i9O0pAsDfGhJkLzXcVbNm1234567")]
    [InlineData("args: --api-key=plainsecret --port 8000", "plainsecret")]
    [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456", "abcdefghijklmnopqrstuvwxyz123456")]
    [InlineData("using AWS key AKIAIOSFODNN7EXAMPLE for s3://weights", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("connecting to postgres://loader:s3cr3t-pw@db.internal:5432/weights", "s3cr3t-pw")]
    [InlineData("config: {\"password\": \"hunter2hunter2\"}", "hunter2hunter2")]
    [InlineData("HF_TOKEN=abc123def456", "abc123def456")]
    public void Redact_RemovesTheSecret_AndSaysSo(string line, string secret)
    {
        var redacted = LogRedaction.Redact(line);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(LogRedaction.Placeholder, redacted, StringComparison.Ordinal);
        Assert.True(LogRedaction.ContainsSecret(line));
    }

    [Fact]
    public void Redact_KeepsWhatNamesTheSecret_SoTheLineStillReads()
    {
        Assert.Equal("args: --api-key [redacted] --port 8000", LogRedaction.Redact("args: --api-key plainsecret --port 8000"));
        Assert.Equal("postgres://loader:[redacted]@db:5432", LogRedaction.Redact("postgres://loader:pw@db:5432"));
        Assert.Equal("password=[redacted] user=bob", LogRedaction.Redact("password=hunter2 user=bob"));
    }

    [Theory]
    [InlineData("INFO 12-07 10:05:17 [loggers.py:123] Engine 000: Avg prompt throughput: 512.0 tokens/s, Avg generation throughput: 98.1 tokens/s, Running: 3 reqs, Waiting: 0 reqs, GPU KV cache usage: 4.2%")]
    [InlineData("INFO 12-07 10:05:17 [async_llm.py:270] Added request chatcmpl-0123456789abcdef.")]
    [InlineData("Finished request chatcmpl-1: 12 prompt tokens, 30 completion tokens, max_tokens=30")]
    [InlineData("served key prefix pk_4Fh7Kq9 at https://host:8443/v1")]
    [InlineData("Loading weights took 41.20 seconds")]
    public void Redact_LeavesOrdinaryEngineLinesAlone(string line)
    {
        Assert.Equal(line, LogRedaction.Redact(line));
        Assert.False(LogRedaction.ContainsSecret(line));
    }

    [Fact]
    public void Redact_IsStable_WhenRunTwice()
    {
        var once = LogRedaction.Redact("--api-key abc token=xyz postgres://u:p@h hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123");

        Assert.Equal(once, LogRedaction.Redact(once));
    }
}
