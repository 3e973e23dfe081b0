using Portal.Core.Keys;

namespace Portal.Core.Tests.Keys;

public sealed class InferenceKeyTests
{
    [Fact]
    public void Generate_HasPrefixRandomPartAndChecksum()
    {
        var key = InferenceKey.Generate();

        Assert.Equal(InferenceKey.Length, key.Plaintext.Length);
        Assert.Matches("^pk_[0-9A-Za-z]{22}_[0-9A-Za-z]{6}$", key.Plaintext);
        Assert.True(InferenceKey.IsWellFormed(key.Plaintext));
    }

    [Fact]
    public void Generate_RandomPartCarriesAtLeast128Bits() =>
        Assert.True(InferenceKey.RandomLength * Math.Log2(62) >= 128);

    [Fact]
    public void Generate_ManyKeys_AllDistinct()
    {
        var keys = Enumerable.Range(0, 10_000).Select(_ => InferenceKey.Generate().Plaintext).ToHashSet();

        Assert.Equal(10_000, keys.Count);
    }

    [Fact]
    public void Generate_HashIsSha256HexOfPlaintext_DisplayPrefixShowsSixRandomCharacters()
    {
        var key = InferenceKey.Generate();

        Assert.Equal(InferenceKey.Hash(key.Plaintext), key.Hash);
        Assert.Matches("^[0-9a-f]{64}$", key.Hash);
        Assert.Equal(key.Plaintext[..9] + "…", key.DisplayPrefix);
        Assert.DoesNotContain(key.Plaintext, key.ToString());
    }

    [Fact]
    public void Hash_KnownVector()
    {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", InferenceKey.Hash("abc"));
    }

    [Fact]
    public void TryParse_GeneratedKey_YieldsItsHashAndPrefix()
    {
        var key = InferenceKey.Generate();

        Assert.True(InferenceKey.TryParse(key.Plaintext, out var parsed));
        Assert.Equal(key.Hash, parsed.Value.Hash);
        Assert.Equal(key.DisplayPrefix, parsed.Value.DisplayPrefix);
    }

    [Fact]
    public void TryParse_OneCharacterChanged_ChecksumRefuses()
    {
        var key = InferenceKey.Generate().Plaintext;
        var position = 3 + 10;
        var changed = key[..position] + (key[position] == 'a' ? 'b' : 'a') + key[(position + 1)..];

        Assert.False(InferenceKey.TryParse(changed, out var parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void TryParse_TwoAdjacentCharactersSwapped_ChecksumRefuses()
    {
        string key;
        do
        {
            key = InferenceKey.Generate().Plaintext;
        }
        while (key[5] == key[6]);

        var swapped = key[..5] + key[6] + key[5] + key[7..];

        Assert.False(InferenceKey.IsWellFormed(swapped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sk-abcdefghijklmnopqrstuvwxyz")]
    [InlineData("pk_")]
    [InlineData("pk_AAAAAAAAAAAAAAAAAAAAAA_000000")]
    [InlineData("PK_AAAAAAAAAAAAAAAAAAAAAA_0000000")]
    [InlineData("pk_AAAAAAAAAAAAAAAAAAAA-A_000000x")]
    public void TryParse_MalformedKeys_Refused(string text) => Assert.False(InferenceKey.TryParse(text, out _));

    [Fact]
    public void TryParse_ChecksumDigitsNotBase62_Refused()
    {
        var key = InferenceKey.Generate().Plaintext;

        Assert.False(InferenceKey.IsWellFormed(key[..^1] + "!"));
        Assert.False(InferenceKey.IsWellFormed(key[..^7] + "-" + key[^6..]));
    }

    [Fact]
    public void TryParse_HandMadeKeyWithCorrectChecksum_Accepted()
    {
        const string random = "0123456789ABCDEFGHIJKL";
        Span<char> checksum = stackalloc char[6];
        Base62.WriteUInt32(Crc32.ComputeAscii(random), checksum);

        Assert.True(InferenceKey.IsWellFormed($"pk_{random}_{new string(checksum)}"));
    }
}
