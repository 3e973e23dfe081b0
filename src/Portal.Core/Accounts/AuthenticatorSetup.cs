using System.Text;

namespace Portal.Core.Accounts;

/// <summary>What an authenticator app is given to enrol: the shared key, shown in groups, and the URI its QR code carries.</summary>
public static class AuthenticatorSetup
{
    /// <summary>The name the person's app shows beside the code.</summary>
    public const string Issuer = "Portal";

    /// <summary>
    /// The Key URI Format that authenticator apps read from a QR code:
    /// <c>otpauth://totp/Portal:ada%40example.com?secret=KEY&amp;issuer=Portal&amp;digits=6</c> (30-second steps, SHA-1,
    /// the apps' defaults and Identity's).
    /// </summary>
    public static string Uri(string account, string key, string issuer = Issuer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var escapedIssuer = System.Uri.EscapeDataString(issuer);
        return $"otpauth://totp/{escapedIssuer}:{System.Uri.EscapeDataString(account)}?secret={key}&issuer={escapedIssuer}&digits=6";
    }

    /// <summary>The key in lower-case groups of four, as people type it into an app that cannot scan.</summary>
    public static string FormatKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = new StringBuilder(key.Length + key.Length / 4);
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(key[i]));
        }

        return text.ToString();
    }
}
