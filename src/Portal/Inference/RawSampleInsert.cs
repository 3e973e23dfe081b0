using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Portal.Data;
using Portal.Data.Entities;
using SQLitePCL;

namespace Portal.Inference;

/// <summary>
/// Inserts raw sample rows on SQLite through SQLite's own prepared-statement interface, inside the caller's transaction:
/// several rows per statement, parameters bound by position, the statement reset and reused for every chunk of the
/// batch. Columns and value conversions come from the EF model, so the statement follows the entity configuration;
/// values are stored exactly as Microsoft.Data.Sqlite stores them (a GUID as upper-case text, a boolean as 0 or 1), so
/// EF reads and filters these rows like any other.
/// </summary>
/// <remarks>
/// Why not a <see cref="SqliteCommand"/>: Microsoft.Data.Sqlite looks every parameter up by name on every execution
/// (<c>sqlite3_bind_parameter_index</c>), which profiling showed to be a third of the sink's time, and wide multi-row
/// statements made that worse. Binding by position costs nothing per parameter beyond the value itself.
/// </remarks>
internal sealed class RawSampleInsert
{
    /// <summary>Rows per statement: 25 columns × 32 rows stays well under SQLite's default limit of 32,766 variables.</summary>
    private const int RowsPerStatement = 32;

    private readonly Column[] _columns;
    private readonly string _insertInto;

    /// <summary>Reads the columns from the model once: their compiled readers serve every batch.</summary>
    public RawSampleInsert(IModel model)
    {
        var entity = model.FindEntityType(typeof(RequestSampleRow))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never).ToList();
        _columns = [.. properties.Select(Column.For)];
        _insertInto = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""))}) VALUES ";
    }

    public async Task RunAsync(PortalDbContext db, IReadOnlyList<RequestSampleRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            Insert(db, rows);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private void Insert(PortalDbContext db, IReadOnlyList<RequestSampleRow> rows)
    {
        var columns = _columns;
        var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle
            ?? throw new InvalidOperationException("The SQLite connection is not open.");

        string Sql(int rowCount) =>
            _insertInto + string.Join(", ", Enumerable.Repeat("(" + string.Join(", ", Enumerable.Repeat("?", columns.Length)) + ")", rowCount)) + ";";

        var full = rows.Count / RowsPerStatement;
        if (full > 0)
        {
            using var statement = Prepare(handle, Sql(RowsPerStatement));
            for (var chunk = 0; chunk < full; chunk++)
            {
                Run(handle, statement, columns, rows, chunk * RowsPerStatement, RowsPerStatement);
            }
        }

        var rest = rows.Count % RowsPerStatement;
        if (rest > 0)
        {
            using var statement = Prepare(handle, Sql(rest));
            Run(handle, statement, columns, rows, full * RowsPerStatement, rest);
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        Check(handle, rc);
        return statement;
    }

    private static void Run(sqlite3 handle, sqlite3_stmt statement, Column[] columns, IReadOnlyList<RequestSampleRow> rows, int first, int count)
    {
        var position = 1;
        for (var r = first; r < first + count; r++)
        {
            foreach (var column in columns)
            {
                Check(handle, column.Bind(statement, position++, rows[r]));
            }
        }

        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(handle, rc);
        }
    }

    /// <summary>
    /// Binds as Microsoft.Data.Sqlite would bind the same provider value (its SqliteValueBinder's rules). The JIT compiles
    /// one copy per value type, in which the type tests are constants and the casts through object are no boxes.
    /// </summary>
    private static int Bind<T>(sqlite3_stmt statement, int position, T value)
    {
        if (value is null)
        {
            return raw.sqlite3_bind_null(statement, position);
        }

        if (typeof(T) == typeof(long))
        {
            return raw.sqlite3_bind_int64(statement, position, (long)(object)value);
        }

        if (typeof(T) == typeof(int))
        {
            return raw.sqlite3_bind_int64(statement, position, (int)(object)value);
        }

        if (typeof(T) == typeof(int?))
        {
            return raw.sqlite3_bind_int64(statement, position, Unsafe.As<T, int?>(ref value)!.Value);
        }

        if (typeof(T) == typeof(bool))
        {
            return raw.sqlite3_bind_int64(statement, position, (bool)(object)value ? 1 : 0);
        }

        if (typeof(T) == typeof(double))
        {
            return raw.sqlite3_bind_double(statement, position, (double)(object)value);
        }

        if (typeof(T) == typeof(double?))
        {
            return raw.sqlite3_bind_double(statement, position, Unsafe.As<T, double?>(ref value)!.Value);
        }

        if (typeof(T) == typeof(Guid))
        {
            return BindGuid(statement, position, (Guid)(object)value);
        }

        if (typeof(T) == typeof(Guid?))
        {
            return BindGuid(statement, position, Unsafe.As<T, Guid?>(ref value)!.Value);
        }

        return Bind(statement, position, (object)value);
    }

    private static int Bind(sqlite3_stmt statement, int position, object? value) =>
        value switch
        {
            null => raw.sqlite3_bind_null(statement, position),
            string text => BindText(statement, position, text),
            Guid guid => BindGuid(statement, position, guid),
            bool flag => raw.sqlite3_bind_int64(statement, position, flag ? 1 : 0),
            int number => raw.sqlite3_bind_int64(statement, position, number),
            long number => raw.sqlite3_bind_int64(statement, position, number),
            double number => raw.sqlite3_bind_double(statement, position, number),
            float number => raw.sqlite3_bind_double(statement, position, number),
            decimal number => raw.sqlite3_bind_text(statement, position, number.ToString("0.0###########################", CultureInfo.InvariantCulture)),
            byte[] bytes => raw.sqlite3_bind_blob(statement, position, bytes),
            _ => throw new NotSupportedException($"A raw sample column of type {value.GetType().Name} has no binding; add one here."),
        };

    /// <summary>UTF-8 text without a managed copy for the short strings samples carry.</summary>
    private static int BindText(sqlite3_stmt statement, int position, string text)
    {
        if (text.Length > 256)
        {
            return raw.sqlite3_bind_text(statement, position, text);
        }

        Span<byte> utf8 = stackalloc byte[text.Length * 3];
        var length = Encoding.UTF8.GetBytes(text, utf8);
        return raw.sqlite3_bind_text(statement, position, utf8[..length]);
    }

    /// <summary>The GUID's 36 characters in upper case, as Microsoft.Data.Sqlite writes it.</summary>
    private static int BindGuid(sqlite3_stmt statement, int position, Guid guid)
    {
        Span<byte> utf8 = stackalloc byte[36];
        guid.TryFormat(utf8, out _, "D");
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] is >= (byte)'a' and <= (byte)'f')
            {
                utf8[i] -= 'a' - 'A';
            }
        }

        return raw.sqlite3_bind_text(statement, position, utf8);
    }

    private static void Check(sqlite3 handle, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(handle));
        }
    }

    /// <summary>One column's value, read and converted to its provider type without boxing (a compiled expression per column).</summary>
    private abstract class Column
    {
        public abstract int Bind(sqlite3_stmt statement, int position, RequestSampleRow row);

        public static Column For(IProperty property)
        {
            var row = Expression.Parameter(typeof(RequestSampleRow), "row");
            Expression value = Expression.Property(row, property.PropertyInfo!);
            if (property.GetTypeMapping().Converter is { } converter)
            {
                // EF converts only values; a null stays null.
                var convert = converter.ConvertToProviderExpression;
                if (Nullable.GetUnderlyingType(value.Type) is not null)
                {
                    var providerType = converter.ProviderClrType.IsValueType
                        ? typeof(Nullable<>).MakeGenericType(converter.ProviderClrType)
                        : converter.ProviderClrType;
                    value = Expression.Condition(
                        Expression.Property(value, nameof(Nullable<int>.HasValue)),
                        Expression.Convert(Expression.Invoke(convert, Expression.Property(value, nameof(Nullable<int>.Value))), providerType),
                        Expression.Constant(null, providerType));
                }
                else
                {
                    value = Expression.Invoke(convert, Expression.Convert(value, converter.ModelClrType));
                }
            }

            var read = Expression.Lambda(value, row).Compile();
            return (Column)Activator.CreateInstance(typeof(Column<>).MakeGenericType(value.Type), read)!;
        }
    }

    private sealed class Column<T>(Func<RequestSampleRow, T> read) : Column
    {
        public override int Bind(sqlite3_stmt statement, int position, RequestSampleRow row) =>
            RawSampleInsert.Bind(statement, position, read(row));
    }
}
