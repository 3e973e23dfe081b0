using System.CommandLine;
using System.Net.Http;
using System.Text.Json;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

public enum OutputFormat
{
    Table,
    Json,
}

/// <summary>The options every command takes, and the one way a command's action runs: errors become exit codes.</summary>
internal sealed class Globals(CliSettings settings)
{
    public CliSettings Settings { get; } = settings;

    public Option<string?> Portal { get; } = new("--portal")
    {
        Description = "The portal's URL, e.g. https://portal.example.com (default: PORTAL_URL, else the portal last logged in to).",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output")
    {
        Description = "table for people, json for scripts (the API's own JSON).",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public Option<Guid?> Tenant { get; } = new("--tenant")
    {
        Description = "The tenant to act in (its id); default the first tenant you belong to.",
        HelpName = "TENANT-ID",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Portal);
        root.Options.Add(Output);
        root.Options.Add(Tenant);
    }

    /// <summary>Sets <paramref name="command"/>'s action: a connection to the portal, exit 1 on a refusal, 2 on a usage error.</summary>
    public void SetAction(Command command, Func<Invocation, Task<int>> action) =>
        command.SetAction(async (parseResult, ct) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                var portal = PortalConnection.ResolvePortal(parseResult.GetValue(Portal), Settings);
                using var connection = new PortalConnection(portal, parseResult.GetValue(Tenant), Settings);
                return await action(new Invocation(parseResult, connection, parseResult.GetValue(Output),
                    parseResult.InvocationConfiguration.Output, error, Settings, ct));
            }
            catch (PortalRefusedException e)
            {
                foreach (var line in e.Lines())
                {
                    await error.WriteLineAsync(line);
                }

                return ExitCodes.Failed;
            }
            catch (CliUsageException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }
            catch (HttpRequestException e)
            {
                await error.WriteLineAsync($"Cannot reach the portal: {e.Message}");
                return ExitCodes.Failed;
            }
        });
}

/// <summary>What a command's action works with.</summary>
internal sealed record Invocation(
    ParseResult ParseResult, PortalConnection Portal, OutputFormat Format, TextWriter Out, TextWriter Error, CliSettings Settings,
    CancellationToken CancellationToken)
{
    public T Value<T>(Option<T> option) => ParseResult.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => ParseResult.GetValue(argument)!;

    /// <summary>With --output json, the API's JSON as it came; otherwise <paramref name="table"/> renders it.</summary>
    public int Print(JsonElement body, Action<JsonElement> table)
    {
        if (Format == OutputFormat.Json)
        {
            Out.WriteLine(JsonSerializer.Serialize(body, Json.Indented));
        }
        else
        {
            table(body);
        }

        return ExitCodes.Success;
    }
}
