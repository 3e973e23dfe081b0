namespace Portal.Data;

/// <summary>The configured relational provider (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
