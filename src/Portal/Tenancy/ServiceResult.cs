namespace Portal.Tenancy;

public enum ServiceStatus
{
    Ok,
    NotFound,
    Forbidden,
    Invalid,
    Conflict,

    /// <summary>A part the operation needs (the mail server) did not answer; nothing was changed.</summary>
    Unavailable,
}

/// <summary>
/// What a server-side operation decided. Pages show the message and field errors; the API turns them into problem
/// details. Not found is also the answer for another tenant's resources, so their existence is never revealed.
/// </summary>
public sealed record ServiceResult<T>(ServiceStatus Status, T? Value, string? Message, IReadOnlyDictionary<string, string[]>? Errors)
{
    public bool Succeeded => Status == ServiceStatus.Ok;

    public static ServiceResult<T> Ok(T value) => new(ServiceStatus.Ok, value, null, null);
    public static ServiceResult<T> NotFound(string message = "Not found.") => new(ServiceStatus.NotFound, default, message, null);
    public static ServiceResult<T> Forbidden(string message) => new(ServiceStatus.Forbidden, default, message, null);
    public static ServiceResult<T> Conflict(string message) => new(ServiceStatus.Conflict, default, message, null);
    public static ServiceResult<T> Unavailable(string message) => new(ServiceStatus.Unavailable, default, message, null);

    public static ServiceResult<T> Invalid(string field, string message) =>
        new(ServiceStatus.Invalid, default, message, new Dictionary<string, string[]> { [field] = [message] });

    public static ServiceResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(ServiceStatus.Invalid, default, errors.Values.SelectMany(e => e).FirstOrDefault(), errors);
}
