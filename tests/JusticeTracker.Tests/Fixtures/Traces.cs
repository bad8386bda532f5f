using System.Text;
using Npgsql;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// Where values are still to be found in a database: every table of every schema but PostgreSQL's
/// own, each row read as text (so every column, JSON included), and each bytea column read as
/// bytes (message bodies are bytes, and a row's text shows them only as hex). A value is looked
/// for as it is written, in lower case, in base64 at every alignment (a body kept as base64 in a
/// JSON document), and as UTF-8 bytes in the bytea columns.
/// </summary>
public static class Traces
{
    /// <summary>A value to look for under a name, and raw byte forms of it (a GUID's 16 bytes) besides its text.</summary>
    public sealed record Needle(string Name, string Text, params byte[][] Raw);

    /// <summary>For a case id: its hyphenated and 32-digit forms, and its 16 bytes in .NET's order and in RFC 4122's.</summary>
    public static IEnumerable<Needle> Of(Guid id) =>
    [
        new($"id {id:D}", id.ToString("D"), id.ToByteArray(), id.ToByteArray(bigEndian: true)),
        new($"id {id:N}", id.ToString("N")),
    ];

    /// <summary>"table: needle (how)" for every place a needle is found, in tables <paramref name="include"/> accepts for that needle.</summary>
    public static async Task<List<string>> FindAsync(string connectionString, IEnumerable<Needle> needles, Func<string, Needle, bool>? include = null)
    {
        var all = needles.ToList();
        include ??= (_, _) => true;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT quote_ident(c.table_schema) || '.' || quote_ident(c.table_name), quote_ident(c.column_name), c.data_type
            FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'
            """,
            connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var found = new List<string>();
        foreach (var table in columns.Select(c => c.Table).Distinct())
        {
            var wanted = all.Where(n => include(table, n)).ToList();
            var texts = wanted.SelectMany(n => TextForms(n).Select(form => (n.Name, form.How, form.Value))).ToList();
            await using (var query = new NpgsqlCommand(
                $"SELECT i FROM unnest($1::text[]) WITH ORDINALITY AS n(v, i) WHERE EXISTS (SELECT 1 FROM {table} t WHERE strpos(lower(t::text), n.v) > 0)",
                connection))
            {
                query.Parameters.Add(new NpgsqlParameter { Value = texts.Select(t => t.Value.ToLowerInvariant()).ToArray() });
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var hit = texts[(int)reader.GetInt64(0) - 1];
                    found.Add($"{table}: {hit.Name} ({hit.How})");
                }
            }

            var bytes = wanted.SelectMany(n => n.Raw.Select((raw, i) => (n.Name, How: $"raw bytes #{i + 1}", Value: raw)).Prepend((n.Name, How: "UTF-8 bytes", Value: Encoding.UTF8.GetBytes(n.Text)))).ToList();
            foreach (var (_, column, _) in columns.Where(c => c.Table == table && c.Type == "bytea"))
            {
                await using var query = new NpgsqlCommand(
                    $"SELECT i FROM unnest($1::bytea[]) WITH ORDINALITY AS n(v, i) WHERE EXISTS (SELECT 1 FROM {table} t WHERE position(n.v IN t.{column}) > 0)",
                    connection);
                query.Parameters.Add(new NpgsqlParameter { Value = bytes.Select(b => b.Value).ToArray() });
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var hit = bytes[(int)reader.GetInt64(0) - 1];
                    found.Add($"{table}.{column}: {hit.Name} ({hit.How})");
                }
            }
        }

        return found;
    }

    private static IEnumerable<(string How, string Value)> TextForms(Needle needle)
    {
        yield return ("text", needle.Text);
        foreach (var (source, bytes) in needle.Raw.Select((raw, i) => ($"raw bytes #{i + 1}", raw)).Prepend(("UTF-8", Encoding.UTF8.GetBytes(needle.Text))))
        {
            foreach (var form in Base64Forms(bytes))
            {
                yield return ($"base64 of {source}", form);
            }
        }
    }

    /// <summary>
    /// The part of the base64 text of the bytes that is the same wherever they start in a longer
    /// value: with 0, 1 or 2 bytes before them, leaving out the characters those bytes, or
    /// whatever follows, share.
    /// </summary>
    private static IEnumerable<string> Base64Forms(byte[] bytes)
    {
        for (var before = 0; before < 3; before++)
        {
            var encoded = Convert.ToBase64String([.. new byte[before], .. bytes]).TrimEnd('=');
            var start = before == 0 ? 0 : before + 1;
            yield return encoded[start..^3];
        }
    }
}
