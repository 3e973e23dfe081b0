using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class WeightCredentialRulesTests
{
    [Fact]
    public void HuggingFaceToken_IsValidAndHintsOnlyItsPrefix()
    {
        var input = new WeightCredentialInput { Kind = WeightCredentialKind.HuggingFace, Token = "hf_abcdefghijklmnop" };

        Assert.Empty(WeightCredentialRules.Validate(input));
        Assert.Equal("hf_…", WeightCredentialRules.Hint(input));
        Assert.Equal("hf_abcdefghijklmnop", WeightCredentialRules.ToCredentials(input).HuggingFaceToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("hf_has a space")]
    public void HuggingFaceToken_MissingShortOrWithSpaces_IsRefusedOnTheTokenField(string? token)
    {
        var errors = WeightCredentialRules.Validate(new WeightCredentialInput { Kind = WeightCredentialKind.HuggingFace, Token = token });

        Assert.Equal([WeightCredentialRules.TokenField], errors.Keys);
    }

    [Fact]
    public void MissingKind_IsRefusedOnTheKindField()
    {
        Assert.Equal([WeightCredentialRules.KindField], WeightCredentialRules.Validate(new WeightCredentialInput { Token = "hf_abcdefgh" }).Keys);
    }

    [Fact]
    public void ObjectStoreKeys_AreValid_StoreTrimmedOptionalsAndHintAMaskedKeyId()
    {
        var input = new WeightCredentialInput
        {
            Kind = WeightCredentialKind.ObjectStore, AccessKeyId = "AKIAIOSFODNN7EXAMPLE", SecretAccessKey = "wJalrXUtnFEMI/K7MDENG",
            Endpoint = "https://minio.acme.test", Region = " ",
        };

        Assert.Empty(WeightCredentialRules.Validate(input));
        Assert.Equal("AKIA…MPLE", WeightCredentialRules.Hint(input));
        Assert.Equal(new ObjectStoreCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG", "https://minio.acme.test", null),
            WeightCredentialRules.ToCredentials(input).ObjectStore);
    }

    [Fact]
    public void ObjectStoreKeys_WithABadEndpointRegionAndNoSecret_NameEachField()
    {
        var errors = WeightCredentialRules.Validate(new WeightCredentialInput
        {
            Kind = WeightCredentialKind.ObjectStore, AccessKeyId = "AKIA1", Endpoint = "ftp://files.acme.test", Region = "EU Central",
        });

        Assert.Equal(
            new[] { WeightCredentialRules.EndpointField, WeightCredentialRules.RegionField, WeightCredentialRules.SecretAccessKeyField }.Order(),
            errors.Keys.Order());
    }

    [Fact]
    public void FieldsOfTheOtherKind_AreRefusedRatherThanSilentlyDropped()
    {
        var errors = WeightCredentialRules.Validate(new WeightCredentialInput
        {
            Kind = WeightCredentialKind.HuggingFace, Token = "hf_abcdefgh", SecretAccessKey = "somesecretvalue",
        });

        Assert.Equal([WeightCredentialRules.SecretAccessKeyField], errors.Keys);
    }
}
