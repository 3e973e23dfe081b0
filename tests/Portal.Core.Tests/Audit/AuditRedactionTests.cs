using System.Text.Json;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public class AuditRedactionTests
{
    private const string InferenceKey = "pk_4Fq9ZrT2mXc81LpQaW7eBn3Y_1a2b3c4d";
    private const string Jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLWJ5dGVz";

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("newPassword")]
    [InlineData("secret")]
    [InlineData("client_secret")]
    [InlineData("token")]
    [InlineData("accessToken")]
    [InlineData("refresh-token")]
    [InlineData("apiKey")]
    [InlineData("api_key")]
    [InlineData("targetApiKey")]
    [InlineData("key")]
    [InlineData("Authorization")]
    [InlineData("prompt")]
    [InlineData("completion")]
    [InlineData("messages")]
    [InlineData("privateKey")]
    [InlineData("connectionString")]
    public void IsSensitiveKey_SecretsAndConversationContent_AreSensitive(string name) =>
        Assert.True(AuditRedaction.IsSensitiveKey(name));

    [Theory]
    [InlineData("maxTokens")]
    [InlineData("promptTokens")]
    [InlineData("keyPrefix")]
    [InlineData("keyId")]
    [InlineData("role")]
    [InlineData("model")]
    public void IsSensitiveKey_CountersAndIdentifiers_AreKept(string name) =>
        Assert.False(AuditRedaction.IsSensitiveKey(name));

    [Fact]
    public void RedactDetails_ReplacesSensitiveValuesOfAnyTypeAndKeepsTheRest()
    {
        var details = """
            {"before":{"role":"Auditor"},"after":{"role":"Developer","password":"hunter2"},
             "request":{"messages":[{"role":"user","content":"hi"}],"prompt":"tell me","maxTokens":256,"Authorization":"Basic abc"},
             "target":{"apiKey":"sk-live-123","keyPrefix":"pk_AbC1","nested":{"client_secret":{"v":1}}}}
            """;

        using var redacted = JsonDocument.Parse(AuditRedaction.RedactDetails(details)!);
        var root = redacted.RootElement;

        Assert.Equal("Developer", root.GetProperty("after").GetProperty("role").GetString());
        Assert.Equal("[redacted]", root.GetProperty("after").GetProperty("password").GetString());
        Assert.Equal("[redacted]", root.GetProperty("request").GetProperty("messages").GetString());
        Assert.Equal("[redacted]", root.GetProperty("request").GetProperty("prompt").GetString());
        Assert.Equal("[redacted]", root.GetProperty("request").GetProperty("Authorization").GetString());
        Assert.Equal(256, root.GetProperty("request").GetProperty("maxTokens").GetInt32());
        Assert.Equal("[redacted]", root.GetProperty("target").GetProperty("apiKey").GetString());
        Assert.Equal("pk_AbC1", root.GetProperty("target").GetProperty("keyPrefix").GetString());
        Assert.Equal("[redacted]", root.GetProperty("target").GetProperty("nested").GetProperty("client_secret").GetString());
    }

    [Fact]
    public void RedactDetails_SecretShapedValuesUnderHarmlessKeys_AreReplaced()
    {
        var details = $$"""{"note":"created {{InferenceKey}} for ci","header":"Bearer {{Jwt}}","list":["{{Jwt}}"]}""";

        var redacted = AuditRedaction.RedactDetails(details)!;

        Assert.DoesNotContain(InferenceKey, redacted);
        Assert.DoesNotContain("eyJ", redacted);
        Assert.Contains("created [redacted] for ci", redacted);
        Assert.Null(AuditRedaction.DescribeSecret(null, redacted));
    }

    [Fact]
    public void RedactDetails_KeepsNonAsciiTextReadable() =>
        Assert.Equal("""{"name":"Zoë Ölund"}""", AuditRedaction.RedactDetails("""{ "name" : "Zoë Ölund" }"""));

    [Fact]
    public void RedactDetails_NotAnObject_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AuditRedaction.RedactDetails("[\"password\"]"));

    [Theory]
    [InlineData("key " + InferenceKey + " was revoked", "key [redacted] was revoked")]
    [InlineData("sent Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "sent Authorization: [redacted]")]
    [InlineData("token " + Jwt + " expired", "token [redacted] expired")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG\n-----END PRIVATE KEY----- pasted", "[redacted] pasted")]
    public void RedactText_ReplacesKeysAndTokens(string text, string expected) =>
        Assert.Equal(expected, AuditRedaction.RedactText(text));

    [Theory]
    [InlineData("display prefix pk_AbC123 shown")]
    [InlineData("Missing bearer token")]
    [InlineData("role changed from Auditor to Developer")]
    public void RedactText_OrdinaryText_IsKept(string text)
    {
        Assert.Equal(text, AuditRedaction.RedactText(text));
        Assert.False(AuditRedaction.ContainsSecret(text));
    }

    [Fact]
    public void DescribeSecret_NamesWhereTheSecretIs()
    {
        Assert.Equal("details.target.token is a sensitive property", AuditRedaction.DescribeSecret(null, """{"target":{"token":"x"}}"""));
        Assert.Equal("the reason holds a key or token", AuditRedaction.DescribeSecret($"used {Jwt}", null));
        Assert.Null(AuditRedaction.DescribeSecret("ok", """{"token":null,"after":{"role":"Developer"}}"""));
    }
}
