using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>A retention that is not one stops the portal at start, not at the first archive run.</summary>
public sealed class AuditRetentionSettingsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-30")]
    [InlineData("36501")]
    public async Task InvalidRetentionDays_RefusesToStart_NamingTheSetting(string days)
    {
        var app = new PortalApp().With("Audit:RetentionDays", days);
        Exception? failure;
        try
        {
            failure = await Record.ExceptionAsync(app.InitializeAsync);
        }
        finally
        {
            if (app.Mail is not null)
            {
                await app.Mail.DisposeAsync();
            }

            await app.DisposeAsync();
        }

        Assert.NotNull(failure);
        var messages = new List<string>();
        for (var current = failure; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        Assert.Contains("Audit:RetentionDays must be between 1 and 36500 days", string.Join("\n", messages));
    }
}
