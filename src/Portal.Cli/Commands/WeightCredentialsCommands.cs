using System.CommandLine;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary>
/// <c>portal weight-credentials list|add|rotate|delete</c>: the tenant's own Hugging Face token and object-store keys
/// for private weights. Secret values are read from environment variables, never from the command line, so they stay
/// out of shell history and process listings.
/// </summary>
internal static class WeightCredentialsCommands
{
    public static Command Create(Globals globals)
    {
        var command = new Command("weight-credentials", """
            The tenant's credentials for private weights (TenantAdmin): a Hugging Face repository outside the catalog or an
            s3:// URI loads with these only, never with the platform's. Values are stored encrypted and shown once.

            Examples:
              HF_TOKEN=hf_... portal weight-credentials add huggingface
              AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... portal weight-credentials add s3 --endpoint https://minio.example.com
              portal weight-credentials list
            """);

        var kind = new Argument<string>("KIND") { Description = "huggingface or s3." };
        kind.AcceptOnlyFromAmong("huggingface", "s3");
        var tokenEnv = new Option<string>("--token-env") { Description = "Environment variable holding the Hugging Face token.", DefaultValueFactory = _ => "HF_TOKEN", HelpName = "NAME" };
        var keyIdEnv = new Option<string>("--access-key-id-env") { Description = "Environment variable holding the access key id.", DefaultValueFactory = _ => "AWS_ACCESS_KEY_ID", HelpName = "NAME" };
        var secretEnv = new Option<string>("--secret-env") { Description = "Environment variable holding the secret access key.", DefaultValueFactory = _ => "AWS_SECRET_ACCESS_KEY", HelpName = "NAME" };
        var endpoint = new Option<string?>("--endpoint") { Description = "S3-compatible endpoint URL (default: AWS S3).", HelpName = "URL" };
        var region = new Option<string?>("--region") { Description = "Object-store region, e.g. eu-central-1.", HelpName = "REGION" };

        object Body(Invocation run)
        {
            string Read(Option<string> option) => run.Settings.Environment(run.Value(option)) is { Length: > 0 } value
                ? value
                : throw new CliUsageException($"Set {run.Value(option)} in the environment (secrets are not taken from the command line).");
            return run.Value(kind) == "huggingface"
                ? new { kind = "HuggingFace", token = Read(tokenEnv) }
                : new { kind = "ObjectStore", accessKeyId = Read(keyIdEnv), secretAccessKey = Read(secretEnv), endpoint = run.Value(endpoint), region = run.Value(region) };
        }

        void PrintStored(Invocation run, System.Text.Json.JsonElement c, string verb)
        {
            var credential = c.Child("credential");
            run.Out.WriteLine($"{credential.Text("kind")} credential {credential.Text("id")} {verb} ({credential.Text("hint")}). Its values are not shown again.");
        }

        var add = new Command("add", """
            Store the tenant's Hugging Face token (from $HF_TOKEN) or object-store keys (from $AWS_ACCESS_KEY_ID and
            $AWS_SECRET_ACCESS_KEY); one of each kind.

            Examples:
              HF_TOKEN=hf_... portal weight-credentials add huggingface
              portal weight-credentials add s3 --secret-env MINIO_SECRET --access-key-id-env MINIO_KEY --region eu-central-1
            """) { kind, tokenEnv, keyIdEnv, secretEnv, endpoint, region };
        globals.SetAction(add, async run =>
            run.Print(await run.Portal.PostAsync("weight-credentials", Body(run), run.CancellationToken), c => PrintStored(run, c, "stored")));
        command.Subcommands.Add(add);

        var list = new Command("list", """
            Stored credentials: kind, hint, endpoint, region, when stored and rotated; never a value.

            Example:
              portal weight-credentials list
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("weight-credentials", run.CancellationToken), body =>
            Table.Write(run.Out, ["KIND", "HINT", "ENDPOINT", "REGION", "STORED", "ROTATED", "ID"],
                body.Items().Select(c => new[]
                {
                    c.Text("kind"), c.Text("hint"), c.Text("endpoint"), c.Text("region"), c.Text("createdAt"), c.Text("rotatedAt") ?? "never", c.Text("id"),
                }),
                "No weight credentials. Store one with: HF_TOKEN=... portal weight-credentials add huggingface")));
        command.Subcommands.Add(list);

        var id = new Argument<Guid>("CREDENTIAL-ID") { Description = "The credential's id (portal weight-credentials list)." };
        var rotate = new Command("rotate", """
            Replace a credential's values (read from the environment as for add); replicas started afterwards use them.

            Example:
              HF_TOKEN=hf_new... portal weight-credentials rotate 9b0c… huggingface
            """) { id, kind, tokenEnv, keyIdEnv, secretEnv, endpoint, region };
        globals.SetAction(rotate, async run =>
            run.Print(await run.Portal.PutAsync($"weight-credentials/{run.Value(id)}", Body(run), run.CancellationToken), c => PrintStored(run, c, "rotated")));
        command.Subcommands.Add(rotate);

        var delete = new Command("delete", """
            Delete a credential: deployments from private sources of its kind can no longer start replicas.

            Example:
              portal weight-credentials delete 9b0c…
            """) { id };
        globals.SetAction(delete, async run =>
        {
            var body = await run.Portal.DeleteAsync($"weight-credentials/{run.Value(id)}", run.CancellationToken);
            return run.Print(body, c => run.Out.WriteLine($"{c.Text("kind")} credential {c.Text("id")} deleted."));
        });
        command.Subcommands.Add(delete);
        return command;
    }
}
