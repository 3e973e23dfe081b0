namespace Portal.Core.Accounts;

public enum SecondFactorKind
{
    /// <summary>Neither a six-digit code nor the shape of a recovery code.</summary>
    Unreadable,
    AuthenticatorCode,
    RecoveryCode,
}

/// <summary>
/// What a person typed into the one field of the second sign-in step: the six digits their authenticator app shows,
/// or one of their recovery codes. The two cannot be mistaken for each other (a recovery code has ten letters and
/// digits), so the page needs no switch between them.
/// </summary>
public readonly record struct SecondFactor(SecondFactorKind Kind, string Value)
{
    public const int CodeDigits = 6;

    /// <summary>Letters and digits of a recovery code, without the dash in the middle.</summary>
    public const int RecoveryCodeLength = 10;

    /// <summary>
    /// Spaces and dashes people copy along are dropped; a recovery code is put back in the form it was issued in
    /// (upper case, <c>XXXXX-XXXXX</c>), since it is compared exactly.
    /// </summary>
    public static SecondFactor Read(string? input)
    {
        var compact = new string((input ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (compact.Length == CodeDigits && compact.All(char.IsAsciiDigit))
        {
            return new SecondFactor(SecondFactorKind.AuthenticatorCode, compact);
        }

        if (compact.Length == RecoveryCodeLength && compact.All(char.IsAsciiLetterOrDigit))
        {
            var upper = compact.ToUpperInvariant();
            return new SecondFactor(SecondFactorKind.RecoveryCode, $"{upper[..5]}-{upper[5..]}");
        }

        return new SecondFactor(SecondFactorKind.Unreadable, "");
    }
}
