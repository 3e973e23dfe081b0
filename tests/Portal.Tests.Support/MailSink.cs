using System.Text.RegularExpressions;
using MimeKit;
using Portal.Email;

namespace Portal.Tests.Support;

/// <summary>
/// A real SMTP server for a test: the Portal.MailSink process on a free loopback port, storing what arrives in a folder,
/// read here with MimeKit. It exits with the test process if the test could not stop it.
/// </summary>
public sealed partial class MailSink : IAsyncDisposable
{
    private readonly MailSinkProcess _process;

    private MailSink(MailSinkProcess process) => _process = process;

    public int SmtpPort => _process.SmtpPort;

    public string Folder => _process.Folder;

    public static async Task<MailSink> StartAsync(string folder) => new(await MailSinkProcess.StartAsync(folder, smtpPort: 0, httpPort: null));

    /// <summary>Every message to <paramref name="to"/> received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string to) =>
        Directory.EnumerateFiles(Folder, "*.eml").Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, to, StringComparison.OrdinalIgnoreCase)))
            .ToList();

    /// <summary>Waits for the <paramref name="count"/>-th message to <paramref name="to"/> (SMTP delivery ends before the sender's call returns, so this is quick).</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string to, int count = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = MessagesTo(to);
            if (messages.Count >= count)
            {
                return messages[count - 1];
            }

            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No message number {count} to {to} arrived; {messages.Count} did.");
            }
        }
    }

    /// <summary>The one link in the message's plain-text part that goes to <paramref name="path"/>.</summary>
    public static string LinkTo(MimeMessage message, string path)
    {
        var links = LinkPattern().Matches(message.TextBody ?? "").Select(m => m.Value).Where(l => l.Contains(path, StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(links.Count == 1, $"Expected one link to {path} in: {message.TextBody}");
        return links[0];
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
