using Microsoft.Extensions.Configuration;
using Portal.Core.Quotas;

namespace Portal.Tests.Deployments;

/// <summary><c>Quotas:Defaults</c> as the portal binds it: configured values replace the code's, the shared defaults never change.</summary>
public sealed class QuotaOptionsBindingTests
{
    [Fact]
    public void ConfiguredDefaults_ReplaceTheNamedQuotas_AndLeaveTheSharedDefaultsAlone()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Quotas:Defaults:ReplicasPerDeployment"] = "4",
            ["Quotas:Defaults:GpusInUse"] = "8",
        }).Build();

        var options = configuration.GetSection(QuotaOptions.SectionName).Get<QuotaOptions>()!;

        Assert.Equal((4, 8, 20), (options.Defaults.ReplicasPerDeployment, options.Defaults.GpusInUse, options.Defaults.Deployments));
        Assert.Equal((16, 64), (QuotaLimits.Default.ReplicasPerDeployment, QuotaLimits.Default.GpusInUse));
    }

    [Fact]
    public void TheRepositorysAppSettings_WriteDownTheDefaultsTheCodeHas()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Database.MigrationScriptTests.RepositoryRoot(), "appsettings.json")).Build();

        var options = configuration.GetSection(QuotaOptions.SectionName).Get<QuotaOptions>()!;

        Assert.Equal(QuotaLimits.Default, options.Defaults);
    }
}
