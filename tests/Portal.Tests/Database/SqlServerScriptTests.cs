using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Portal.Tests.Database;

/// <summary>
/// db/sqlserver.sql is what a production database runs, and no SQL Server runs in the tests: Microsoft's own T-SQL
/// parser reads it instead, GO batches and all, at the SQL Server 2022 level the ledger tables need.
/// </summary>
public sealed class SqlServerScriptTests
{
    /// <summary>The audit tables the engine itself must refuse UPDATE and DELETE on.</summary>
    private static readonly string[] AppendOnlyTables = ["AuditRecords", "AuditCheckpoints", "AuditChainRecords", "AuditChainCheckpoints"];

    private static readonly Lazy<TSqlScript> Script = new(Parse);

    [Fact]
    public void Script_ParsesWithoutSyntaxErrors()
    {
        var errors = ParseErrors(File.ReadAllText(ScriptPath()));

        Assert.True(errors.Count == 0,
            $"{ScriptPath()} has T-SQL syntax errors:{Environment.NewLine}" +
            string.Join(Environment.NewLine, errors.Select(e => $"  line {e.Line}, column {e.Column}: {e.Message}")));
    }

    [Fact]
    public void Script_IsSplitIntoItsGoBatches()
    {
        var goLines = File.ReadAllLines(ScriptPath()).Count(line => line.Trim().Equals("GO", StringComparison.OrdinalIgnoreCase));

        Assert.True(goLines > 0, "The script has no GO separators.");
        Assert.Equal(goLines, Script.Value.Batches.Count);
    }

    [Fact]
    public void AuditTables_AreCreatedAsAppendOnlyLedgerTables()
    {
        var creates = Visit<CreateTableStatement>().Where(c => IsAuditTable(c.SchemaObjectName)).ToList();

        foreach (var table in AppendOnlyTables)
        {
            var create = Assert.Single(creates, c => c.SchemaObjectName.BaseIdentifier.Value == table);
            var ledger = Assert.Single(create.Options.OfType<LedgerTableOption>());
            Assert.Equal(OptionState.On, ledger.OptionState);
            Assert.Equal(OptionState.On, ledger.AppendOnly);
        }
    }

    [Fact]
    public void AuditTables_AreNeverDroppedAlteredUpdatedOrDeleted()
    {
        // A later migration that dropped and recreated an audit table would quietly lose the ledger.
        var touched = Visit<DropTableStatement>().SelectMany(d => d.Objects).Where(IsAuditTable).Select(o => $"DROP TABLE {o.BaseIdentifier.Value}")
            .Concat(Visit<AlterTableStatement>().Where(a => IsAuditTable(a.SchemaObjectName)).Select(a => $"ALTER TABLE {a.SchemaObjectName.BaseIdentifier.Value}"))
            .Concat(Visit<UpdateSpecification>().Select(u => u.Target).OfType<NamedTableReference>().Where(t => IsAuditTable(t.SchemaObject))
                .Select(t => $"UPDATE {t.SchemaObject.BaseIdentifier.Value}"))
            .Concat(Visit<DeleteSpecification>().Select(d => d.Target).OfType<NamedTableReference>().Where(t => IsAuditTable(t.SchemaObject))
                .Select(t => $"DELETE {t.SchemaObject.BaseIdentifier.Value}"))
            .ToList();

        Assert.Empty(touched);
    }

    private static bool IsAuditTable(SchemaObjectName name) => AppendOnlyTables.Contains(name.BaseIdentifier.Value);

    private static List<T> Visit<T>()
        where T : TSqlFragment
    {
        var collector = new Collector<T>();
        Script.Value.Accept(collector);
        return collector.Found;
    }

    private static TSqlScript Parse()
    {
        var script = (TSqlScript)Parser().Parse(new StringReader(File.ReadAllText(ScriptPath())), out var errors);
        Assert.Empty(errors);
        return script;
    }

    private static IList<ParseError> ParseErrors(string sql)
    {
        Parser().Parse(new StringReader(sql), out var errors);
        return errors;
    }

    // Ledger tables came with SQL Server 2022 (compatibility level 160): the script must parse at that level.
    private static TSql160Parser Parser() => new(initialQuotedIdentifiers: true);

    private static string ScriptPath() => Path.Combine(MigrationScriptTests.RepositoryRoot(), "db", "sqlserver.sql");

    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match)
            {
                Found.Add(match);
            }
        }
    }
}
