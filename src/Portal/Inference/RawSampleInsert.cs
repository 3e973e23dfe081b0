using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Inference;

/// <summary>
/// Inserts raw sample rows on SQLite through prepared multi-row INSERTs whose parameters are reused for every chunk
/// of the batch, inside the caller's transaction: no change tracking, no SQL built per row. Columns, conversions and
/// parameter types come from the EF model, so the statement follows the entity configuration.
/// </summary>
internal static class RawSampleInsert
{
    // Rows per statement: 50 × 24 columns stays far below SQLite's 32,766 parameters.
    private const int RowsPerStatement = 50;

    public static async Task RunAsync(PortalDbContext db, IReadOnlyList<RequestSampleRow> rows, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(RequestSampleRow))!;
        var columns = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        var full = rows.Count / RowsPerStatement;
        if (full > 0)
        {
            await using var statement = await Statement.PrepareAsync(db, entity, columns, RowsPerStatement, cancellationToken);
            for (var chunk = 0; chunk < full; chunk++)
            {
                await statement.ExecuteAsync(rows, chunk * RowsPerStatement, cancellationToken);
            }
        }

        if (rows.Count % RowsPerStatement is var rest and > 0)
        {
            await using var statement = await Statement.PrepareAsync(db, entity, columns, rest, cancellationToken);
            await statement.ExecuteAsync(rows, full * RowsPerStatement, cancellationToken);
        }
    }

    private sealed class Statement(DbCommand command, IReadOnlyList<IProperty> columns, RelationalTypeMapping[] mappings, int rowCount)
        : IAsyncDisposable
    {
        public static async Task<Statement> PrepareAsync(
            PortalDbContext db, IEntityType entity, IReadOnlyList<IProperty> columns, int rowCount, CancellationToken cancellationToken)
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var mappings = columns.Select(c => (RelationalTypeMapping)c.GetTypeMapping()).ToArray();
            var values = new List<string>(rowCount);
            for (var row = 0; row < rowCount; row++)
            {
                var names = new string[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    names[i] = $"@p{row * columns.Count + i}";
                    command.Parameters.Add(mappings[i].CreateParameter(command, names[i], null, columns[i].IsNullable));
                }

                values.Add($"({string.Join(", ", names)})");
            }

            command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.GetColumnName(table)}\""))}) " +
                $"VALUES {string.Join(", ", values)};";
            await command.PrepareAsync(cancellationToken);
            return new Statement(command, columns, mappings, rowCount);
        }

        /// <summary>Inserts rows [<paramref name="first"/>, first + rowCount) of <paramref name="rows"/>.</summary>
        public async Task ExecuteAsync(IReadOnlyList<RequestSampleRow> rows, int first, CancellationToken cancellationToken)
        {
            for (var row = 0; row < rowCount; row++)
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = columns[i].GetGetter().GetClrValueUsingContainingEntity(rows[first + row]);
                    if (value is not null && mappings[i].Converter is { } converter)
                    {
                        value = converter.ConvertToProvider(value);
                    }

                    command.Parameters[row * columns.Count + i].Value = value ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }
}
