using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.Statistics;
using Marten;
using Npgsql;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// The statistics recomputed the plain way: every case stream folded from its raw events, its
/// <see cref="Facts.Of"/> summed, and compared figure by figure with what the projection wrote.
/// </summary>
public static class StatisticsRecomputation
{
    /// <summary>The day an event counts on: the UTC date it was recorded, as the projection reads it.</summary>
    public static DateOnly Day(object e) => DateOnly.FromDateTime((e switch
    {
        CaseOpened opened => opened.RecordedAt,
        CaseEntry entry => entry.Entry.RecordedAt,
        TransferRequested requested => requested.At,
        TransferAccepted accepted => accepted.At,
        _ => throw new ArgumentException($"Not a case event: {e.GetType().Name}", nameof(e)),
    }).UtcDateTime);

    /// <summary>Each case as it stood after each of its events: the raw events read back, folded the way the case page folds them.</summary>
    public static async Task<Dictionary<Guid, List<Snapshot>>> FoldAsync(IDocumentStore store, List<string> failures)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        var timelines = new Dictionary<Guid, List<Snapshot>>();
        foreach (var stream in events.Where(e => e.Data is CaseOpened or CaseEntry or TransferRequested or TransferAccepted).GroupBy(e => e.StreamId))
        {
            Case? state = null;
            var timeline = new List<Snapshot>();
            foreach (var e in stream.OrderBy(e => e.Version))
            {
                state = e.Data switch
                {
                    CaseOpened opened => Case.Open(opened),
                    ITransferEvent transfer => state!.WithTransfer(transfer),
                    _ => state!.Record((CaseEntry)e.Data),
                };
                var day = Day(e.Data);
                if (timeline.Count > 0 && day < timeline[^1].Day)
                {
                    // "As of" a day is a prefix of each stream only if days never go back.
                    failures.Add($"Test bug: case {stream.Key} has an event recorded on {day} after one recorded on {timeline[^1].Day}.");
                }

                timeline.Add(new Snapshot(day, Facts.Of(state)));
            }

            timelines[stream.Key] = timeline;
        }

        return timelines;
    }

    public static Dictionary<Row, decimal> Sum(IEnumerable<IReadOnlyDictionary<FactKey, decimal>?> facts)
    {
        var sums = new Dictionary<Row, decimal>();
        foreach (var (key, value) in facts.SelectMany(f => f ?? new Dictionary<FactKey, decimal>()))
        {
            sums[Row.Of(key)] = sums.GetValueOrDefault(Row.Of(key)) + value;
        }

        return sums.Where(s => s.Value != 0).ToDictionary();
    }

    /// <summary>The non-zero figures in <c>stats_now</c>, or the sums of <c>stats_delta</c> up to the end of a day.</summary>
    public static async Task<Dictionary<Row, decimal>> ReadAsync(NpgsqlDataSource dataSource, DateOnly? asOf)
    {
        const string Key = "family, form, country, year, age, sex, measure";
        var sql = asOf is null
            ? $"SELECT {Key}, value FROM jt.{StatisticsProjection.NowTable} WHERE value <> 0"
            : $"SELECT {Key}, sum(value) FROM jt.{StatisticsProjection.DeltaTable} WHERE day <= $1 GROUP BY {Key} HAVING sum(value) <> 0";
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (asOf is { } day)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = day });
        }

        var figures = new Dictionary<Row, decimal>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5), reader.GetString(6));
            figures[row] = reader.GetDecimal(7);
        }

        return figures;
    }

    public static void Diff(string label, Dictionary<Row, decimal> expected, Dictionary<Row, decimal> actual, List<string> failures)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Select(row => (Row: row, Expected: expected.GetValueOrDefault(row), Actual: actual.GetValueOrDefault(row)))
            .Where(d => d.Expected != d.Actual)
            .OrderBy(d => d.Row.ToString(), StringComparer.Ordinal)
            .ToList();
        if (differences.Count == 0)
        {
            return;
        }

        failures.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: {differences.Count} figures differ ({expected.Count} recomputed, {actual.Count} projected):")
            + string.Concat(differences.Take(30).Select(d => string.Create(CultureInfo.InvariantCulture, $"\n    {d.Row}: recomputed {d.Expected}, projected {d.Actual}")))
            + (differences.Count > 30 ? "\n    ..." : ""));
    }

    /// <summary>A figure's key as the tables store it.</summary>
    public readonly record struct Row(string Family, string Form, string Country, int Year, string Age, string Sex, string Measure)
    {
        public static Row Of(FactKey key) =>
            new(key.Family, key.Cell.Form, key.Cell.Country, key.Cell.Year, key.Cell.AgeBand.ToString(), key.Cell.Sex.ToString(), key.Measure);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Family}/{Measure} [{Country} {Year} {Age} {Sex} form {Form}]");
    }

    public sealed record Snapshot(DateOnly Day, IReadOnlyDictionary<FactKey, decimal> Facts);
}
