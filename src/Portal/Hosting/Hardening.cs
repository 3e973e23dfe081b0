namespace Portal.Hosting;

/// <summary>
/// One switch: every environment except Development is hardened. A hardened portal uses the configured OIDC
/// certificates and audit signing key (never generated ones), keeps OpenIddict's HTTPS requirement, sends HSTS, and
/// refuses the Development seed; it refuses to start while any of that is missing, naming each missing setting.
/// </summary>
public static class Hardening
{
    public static bool IsHardened(this IHostEnvironment environment) => !environment.IsDevelopment();

    /// <summary>Stops a hardened start that lacks what it needs, with one message that names every missing setting.</summary>
    public static WebApplicationBuilder RequireHardenedSettings(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsHardened())
        {
            return builder;
        }

        var problems = Problems(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"The portal does not start in the {builder.Environment.EnvironmentName} environment (every environment but Development is hardened) until these are set:"
                + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p))
                + Environment.NewLine + "See docs/production.md.");
        }

        return builder;
    }

    /// <summary>What a hardened start lacks, one line per setting.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, purpose) in new[] { ("SigningCertificate", "signing"), ("EncryptionCertificate", "encryption") })
        {
            var path = configuration[$"OpenIddict:{section}:Path"];
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add($"OpenIddict:{section}:Path (a PFX file with the token {purpose} certificate) is not set.");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"OpenIddict:{section}:Path names {path}, which does not exist.");
            }
        }

        var keyPath = configuration["Audit:SigningKeyPath"];
        // A key history (Audit:Keys) is checked when the keys are loaded: it names which key is missing or out of date.
        if (string.IsNullOrWhiteSpace(configuration["Audit:SigningKeyPem"]) && !configuration.GetSection("Audit:Keys").GetChildren().Any())
        {
            if (string.IsNullOrWhiteSpace(keyPath))
            {
                problems.Add("Audit:Keys, Audit:SigningKeyPem or Audit:SigningKeyPath (the audit signing key, ECDSA P-256 PKCS#8 PEM) is not set.");
            }
            else if (!File.Exists(keyPath))
            {
                problems.Add($"Audit:SigningKeyPath names {keyPath}, which does not exist (only Development generates a key).");
            }
        }

        if (configuration.GetValue<bool>("Seed:Enabled"))
        {
            problems.Add("Seed:Enabled must be false: the demo accounts and their shared password are for Development only.");
        }

        if (configuration.GetValue<bool>("Demo:Enabled"))
        {
            problems.Add("Demo:Enabled must be false: the first-run demo is for Development only.");
        }

        return problems;
    }
}
