using Npgsql;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// Where a piece of text is left in the database: every table of every schema (the audit log
/// included), each row read as text, and every bytea column (Wolverine's message bodies, keys)
/// searched for the text's UTF-8 bytes, which a row's text form would only show in hexadecimal.
/// </summary>
public static class DatabaseTraces
{
    /// <summary>The tables and bytea columns that hold the text, with how many rows; empty when none does.</summary>
    public static async Task<Dictionary<string, long>> FindAsync(NpgsqlDataSource dataSource, string text)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = await ListAsync(connection,
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
        var byteaColumns = await ListAsync(connection,
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) || ' ' || quote_ident(column_name) FROM information_schema.columns " +
            "WHERE data_type = 'bytea' AND table_schema NOT IN ('pg_catalog', 'information_schema')");
        Assert.NotEmpty(tables);

        var found = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await CountAsync(connection, found, table, $"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%' || $1 || '%'", text);
        }

        foreach (var column in byteaColumns)
        {
            var (table, name) = (column[..column.IndexOf(' ', StringComparison.Ordinal)], column[(column.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            foreach (var variant in new[] { text, text.ToLowerInvariant(), text.ToUpperInvariant() }.Distinct())
            {
                await CountAsync(connection, found, column, $"SELECT count(*) FROM {table} WHERE position(convert_to($1, 'UTF8') in {name}) > 0", variant);
            }
        }

        return found;
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        var names = new List<string>();
        await using var list = new NpgsqlCommand(sql, connection);
        await using var reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task CountAsync(NpgsqlConnection connection, Dictionary<string, long> found, string where, string sql, string text)
    {
        await using var count = new NpgsqlCommand(sql, connection);
        count.Parameters.Add(new NpgsqlParameter { Value = text });
        if ((long)(await count.ExecuteScalarAsync())! is > 0 and var n)
        {
            found[where] = found.GetValueOrDefault(where) + n;
        }
    }
}
