using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// The exact text that is hashed for a record.
/// </summary>
/// <remarks>
/// <para>One JSON object on one line, no whitespace between tokens, these properties in this order, every one always
/// present (absent values are written as <c>null</c>):</para>
/// <code>
/// {"sequence":7,"occurredAt":"2025-06-01T09:30:00.123Z","tenantId":"0f8fad5b-d9cb-469f-a165-70867728950e",
/// "actorId":"u-42","actorName":"Ada Lovelace","actorRoles":"Developer,TenantAdmin","actorIp":"203.0.113.9",
/// "action":"member.role_changed","resourceType":"member","resourceId":"u-7","outcome":"Success","reason":null,
/// "details":"{\"before\":{\"role\":\"Auditor\"},\"after\":{\"role\":\"Developer\"}}","correlationId":"c-1",
/// "previousHash":"&lt;64 lower-case hex&gt;"}
/// </code>
/// <list type="bullet">
/// <item><c>sequence</c>: decimal integer, invariant culture, no sign or leading zeros.</item>
/// <item><c>occurredAt</c>: UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (exactly three fraction digits); a value with
/// sub-millisecond ticks, which sealing never produces, gets seven digits instead.</item>
/// <item><c>tenantId</c>: the GUID as 36 lower-case characters with hyphens, or <c>null</c>.</item>
/// <item><c>outcome</c>: <c>"Success"</c>, <c>"Failure"</c> or <c>"Denied"</c>.</item>
/// <item><c>details</c>: the stored JSON text as a JSON <em>string</em> (escaped, not nested), so the hash covers
/// exactly the stored bytes and no re-canonicalization of the inner object is needed.</item>
/// <item>Strings: <c>"</c> and <c>\</c> escaped with a backslash; U+0008, U+0009, U+000A, U+000C, U+000D as
/// <c>\b \t \n \f \r</c>; other control characters as <c>\u00xx</c> with lower-case hex; every other character
/// (including non-ASCII and <c>/</c>) as itself.</item>
/// <item><c>hash</c> is not part of it; <c>previousHash</c> is.</item>
/// </list>
/// <para>The hash input is the UTF-8 encoding of <c>previousHash + canonicalJson</c> (the 64 hex digits directly
/// followed by the <c>{</c>). Text that is not valid UTF-16 (a lone surrogate) cannot be hashed.</para>
/// </remarks>
public static class AuditCanonicalJson
{
    public static string Serialize(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteFields(new StringBuilder(512).Append('{'), record, first: true).Append('}').ToString();
    }

    /// <summary>Writes the hashed fields, in canonical order, as properties of an object already opened.</summary>
    internal static StringBuilder WriteFields(StringBuilder builder, AuditRecord record, bool first) => builder
        .Property("sequence", record.Sequence, first)
        .Property("occurredAt", AuditTime.Format(record.OccurredAt))
        .Property("tenantId", record.TenantId?.ToString("D"))
        .Property("actorId", record.ActorId)
        .Property("actorName", record.ActorName)
        .Property("actorRoles", record.ActorRoles)
        .Property("actorIp", record.ActorIp)
        .Property("action", record.Action)
        .Property("resourceType", record.ResourceType)
        .Property("resourceId", record.ResourceId)
        .Property("outcome", record.Outcome.ToString())
        .Property("reason", record.Reason)
        .Property("details", record.Details)
        .Property("correlationId", record.CorrelationId)
        .Property("previousHash", record.PreviousHash);
}
