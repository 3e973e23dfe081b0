using Portal.Core.Keys;

namespace Portal.Core.Tests.Keys;

public sealed class InferenceKeyScopesTests
{
    [Fact]
    public void Parse_NamesCaseInsensitive_CombinesFlags() =>
        Assert.Equal(InferenceKeyScopes.Chat | InferenceKeyScopes.Models, InferenceKeyScopeNames.Parse(["Chat", " models"]));

    [Fact]
    public void Parse_UnknownName_Throws() =>
        Assert.Throws<FormatException>(() => InferenceKeyScopeNames.Parse(["chat", "admin"]));

    [Fact]
    public void Parse_NullOrVeryLongName_IsRefusedAsUnknown_WithTheNameShortened()
    {
        Assert.Contains("null", Assert.Throws<FormatException>(() => InferenceKeyScopeNames.Parse([null!])).Message);
        var message = Assert.Throws<FormatException>(() => InferenceKeyScopeNames.Parse([new string('s', 5000)])).Message;
        Assert.True(message.Length < 200, message);
    }

    [Fact]
    public void ToNames_RoundTripsAll()
    {
        var names = InferenceKeyScopeNames.ToNames(InferenceKeyScopes.All);

        Assert.Equal(["chat", "completions", "embeddings", "models"], names);
        Assert.Equal(InferenceKeyScopes.All, InferenceKeyScopeNames.Parse(names));
    }

    [Fact]
    public void NameOf_SingleScope() => Assert.Equal("embeddings", InferenceKeyScopeNames.NameOf(InferenceKeyScopes.Embeddings));
}
