using System.Globalization;
using JusticeTracker.Access.Directory;
using Marten;
using Npgsql;

namespace JusticeTracker.Statistics;

/// <summary>
/// Reads the statistics tables: each case group's figures for one form view on one date. It sums
/// precomputed rows only; their number grows with countries, years and measures, not with cases.
/// </summary>
public sealed class StatisticsReader(NpgsqlDataSource dataSource, IDocumentStore store)
{
    private const string Schema = "jt";

    /// <summary>
    /// Where the statistics projection stands: its last event and when it last moved. The tables
    /// change only when this does, so figures computed at one stand hold until the next.
    /// </summary>
    public async Task<string> StandAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT last_seq_id, last_updated FROM {Schema}.mt_event_progression WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = StatisticsProjection.Name + ":All" });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}@{reader.GetFieldValue<DateTimeOffset>(1):O}")
            : "none";
    }

    /// <summary>The countries of the network's member organisations, active or not: the countries figures are given for.</summary>
    public async Task<IReadOnlyList<string>> MemberCountriesAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(DirectoryState.StreamId, token: ct);
        return [.. DirectoryState.From(events.Select(e => e.Data)).Organisations.Values.Select(o => o.Country).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Rows of the statistics tables whose value is zero: there should be none, since a row an
    /// update or an erasure brings to zero is deleted, and such a row would keep a case group's
    /// country, year, age band, sex and days after the case is gone.
    /// </summary>
    public async Task<long> ZeroRowsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT (SELECT count(*) FROM {Schema}.{StatisticsProjection.NowTable} WHERE value = 0) + (SELECT count(*) FROM {Schema}.{StatisticsProjection.DeltaTable} WHERE value = 0)");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The first day the statistics hold a change for; before it every figure was zero.</summary>
    public async Task<DateOnly?> FirstChangeAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT min(day) FROM {Schema}.{StatisticsProjection.DeltaTable}");
        return await command.ExecuteScalarAsync(ct) switch
        {
            DateOnly day => day,
            DateTime time => DateOnly.FromDateTime(time),
            _ => null,
        };
    }

    /// <summary>
    /// Every case group's figures for a view, today or as recorded by the end of a day: today's
    /// sums minus every change recorded after that day.
    /// </summary>
    public async Task<IReadOnlyList<AtomRow>> AtomsAsync(FigureView view, DateOnly? asOf, CancellationToken ct)
    {
        const string Columns = "country, year, age, sex, family || '/' || measure AS key";
        var now = $"SELECT {Columns}, value FROM {Schema}.{StatisticsProjection.NowTable} WHERE form = $1";
        var sql = asOf is null
            ? now
            : $"{now} UNION ALL SELECT {Columns}, -value FROM {Schema}.{StatisticsProjection.DeltaTable} WHERE form = $1 AND day > $2";
        await using var command = dataSource.CreateCommand(
            $"SELECT country, year, age, sex, key, sum(value) FROM ({sql}) figures GROUP BY 1, 2, 3, 4, 5 HAVING sum(value) <> 0");
        command.Parameters.Add(new NpgsqlParameter { Value = view.Key });
        if (asOf is { } day)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = day });
        }

        var rows = new List<AtomRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new AtomRow(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetDecimal(5)));
        }

        return rows;
    }
}
