using JasperFx.Events;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Transferring;
using Marten;
using Marten.Events.Projections;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace JusticeTracker.Statistics;

/// <summary>
/// Recorded on the erasures stream when a case is erased. The statistics projection meets it after
/// every event of the case it ever counted, takes the case back out of every figure, and deletes
/// the case's statistics. It names those statistics by their own random id, not the case: once
/// they are deleted, nothing left in the store leads from this event back to the case's id.
/// </summary>
public sealed record CaseErased(Guid StatisticsId, DateTimeOffset ErasedAt)
{
    /// <summary>The one stream erasures are recorded on.</summary>
    public static readonly Guid StreamId = new("6a1c0c9e-5f1e-4c55-9d7e-000000e7a5ed");
}

/// <summary>
/// What the statistics hold of one case: the case, the last event counted, and every change the
/// case made to the figures, by the day it was recorded, so erasure can take the case out of past
/// "as of" figures too. One line per change: <c>day|country|year|age|sex|forms|family|measure|value</c>.
/// </summary>
public sealed class CaseStatistics
{
    /// <summary>
    /// Random, drawn when the projection first meets the case (or when the case is erased before
    /// it did). Nothing can work it out from the case id, so the erasure event that names it,
    /// kept for good, leads back to the case only through this document, which the erasure deletes.
    /// </summary>
    public Guid Id { get; set; }

    /// <summary>The case counted, for the projection and the erasure to find its statistics by.</summary>
    public Guid CaseId { get; set; }

    public long Version { get; set; }

    public List<string> History { get; set; } = [];
}

/// <summary>
/// Keeps the analysts' figures, run by the async daemon. For each event it folds the case as it
/// stood before and after (the same <see cref="Case"/> the lawyers see, so corrections and
/// retractions count as they do on the case page), compares <see cref="Facts.Of"/> of the two, and
/// adds the difference to the figures now and to the figures of the day it was recorded. Reports
/// read those sums; nothing is replayed when someone asks for one.
/// </summary>
public sealed class StatisticsProjection : IProjection
{
    public const string Name = "Statistics";
    public const string NowTable = "stats_now";
    public const string DeltaTable = "stats_delta";

    private const string KeyColumns = "family, form, country, year, age, sex, measure";

    /// <summary>The figures now, and the change each day made: "as of" a date is now minus the changes since.</summary>
    public static IEnumerable<Table> Tables(string schema)
    {
        foreach (var (name, daily) in new[] { (NowTable, false), (DeltaTable, true) })
        {
            var table = new Table(new PostgresqlObjectName(schema, name, SchemaUtils.IdentifierUsage.General));
            table.AddColumn<string>("family").AsPrimaryKey();
            table.AddColumn<string>("form").AsPrimaryKey();
            table.AddColumn<string>("country").AsPrimaryKey();
            table.AddColumn<int>("year").AsPrimaryKey();
            table.AddColumn<string>("age").AsPrimaryKey();
            table.AddColumn<string>("sex").AsPrimaryKey();
            table.AddColumn<string>("measure").AsPrimaryKey();
            if (daily)
            {
                table.AddColumn("day", "date").AsPrimaryKey();
            }

            table.AddColumn("value", "numeric").NotNull();
            yield return table;
        }
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var stored = await Stored.LoadAsync(operations, events, cancellation);
        var cases = new Dictionary<Guid, Counted>();
        var sums = new FigureSums();

        foreach (var e in events)
        {
            switch (e.Data)
            {
                case CaseOpened or CaseEntry or TransferAccepted:
                    var statistics = stored.Of(e.StreamId);
                    if (!cases.TryGetValue(e.StreamId, out var before))
                    {
                        // The case as the figures last saw it. An erased case's stream is gone: it
                        // folds to nothing, and its erasure event will take it out.
                        before = Counted.Of(statistics.Version == 0 ? null
                            : await operations.Events.AggregateStreamAsync<Case>(e.StreamId, statistics.Version, token: cancellation));
                    }

                    cases[e.StreamId] = Counting.Count(before, e.Data, e.Version, statistics, sums);
                    break;
                case CaseErased erased:
                    foreach (var gone in stored.Erase(erased.StatisticsId))
                    {
                        Counting.TakeOut(gone, sums);
                        cases.Remove(gone.CaseId);
                        operations.Delete(gone);
                    }

                    break;
            }
        }

        foreach (var caseId in cases.Keys)
        {
            operations.Store(stored.Of(caseId));
        }

        Changes.Queue(operations, sums);
    }

    /// <summary>
    /// The statistics documents a batch needs, found by case id (each case's events) and by id
    /// (each erasure) in one query; a second, only for erasures, finds any other statistics of
    /// the erased cases.
    /// </summary>
    private sealed class Stored
    {
        private readonly Dictionary<Guid, CaseStatistics> byId;
        private readonly Dictionary<Guid, CaseStatistics> byCase = [];

        private Stored(IEnumerable<CaseStatistics> documents)
        {
            byId = documents.DistinctBy(s => s.Id).ToDictionary(s => s.Id);

            // A case has two documents only after a race: its erasure found none and named empty
            // statistics of its own (EraseCase) while the projection was writing a batch that
            // counted the case. Any more of its events go on in the statistics that counted it.
            foreach (var statistics in byId.Values.OrderBy(s => s.Version))
            {
                byCase[statistics.CaseId] = statistics;
            }
        }

        public static async Task<Stored> LoadAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
        {
            var caseIds = events.Where(e => e.Data is CaseOpened or CaseEntry or TransferAccepted).Select(e => e.StreamId).Distinct().ToList();
            var erasedIds = events.Select(e => e.Data).OfType<CaseErased>().Select(e => e.StatisticsId).Distinct().ToList();
            if (caseIds.Count == 0 && erasedIds.Count == 0)
            {
                return new([]);
            }

            List<CaseStatistics> found =
            [
                .. await operations.Query<CaseStatistics>().Where(s => caseIds.Contains(s.CaseId) || erasedIds.Contains(s.Id)).ToListAsync(ct),
            ];
            var erasedCases = found.Where(s => erasedIds.Contains(s.Id) && s.CaseId != Guid.Empty).Select(s => s.CaseId).Except(caseIds).Distinct().ToList();
            if (erasedCases.Count > 0)
            {
                found.AddRange(await operations.Query<CaseStatistics>().Where(s => erasedCases.Contains(s.CaseId)).ToListAsync(ct));
            }

            return new(found);
        }

        /// <summary>The statistics the case is counted in: those already kept, or new ones with a random id.</summary>
        public CaseStatistics Of(Guid caseId)
        {
            if (!byCase.TryGetValue(caseId, out var statistics))
            {
                statistics = new CaseStatistics { Id = Guid.NewGuid(), CaseId = caseId };
                byCase[caseId] = byId[statistics.Id] = statistics;
            }

            return statistics;
        }

        /// <summary>Takes out the statistics an erasure names, and any other of the same case; none if they are already gone.</summary>
        public List<CaseStatistics> Erase(Guid statisticsId)
        {
            if (!byId.TryGetValue(statisticsId, out var named))
            {
                return [];
            }

            // Statistics kept before they held their case's id (until the rebuild that release
            // asks for) hold no case id: only the one named goes.
            var gone = named.CaseId == Guid.Empty ? [named] : byId.Values.Where(s => s.CaseId == named.CaseId).ToList();
            gone.ForEach(s => byId.Remove(s.Id));
            byCase.Remove(named.CaseId);
            return gone;
        }
    }

    /// <summary>
    /// A batch's changes, summed per figure, written at the end of the batch: per table, one
    /// statement adds them and a second deletes the rows they brought to zero.
    /// </summary>
    private static class Changes
    {
        public static void Queue(IDocumentOperations operations, FigureSums sums)
        {
            var schema = operations.DocumentStore.Options.DatabaseSchemaName;
            Write(operations, $"{schema}.{NowTable}", [.. sums.Now.Where(c => c.Value != 0).Select(c => (c.Key, (DateOnly?)null, c.Value))]);
            Write(operations, $"{schema}.{DeltaTable}", [.. sums.Daily.Where(c => c.Value != 0).Select(c => (c.Key.Key, (DateOnly?)c.Key.Day, c.Value))]);
        }

        private static void Write(IDocumentOperations operations, string table, List<(FactKey Key, DateOnly? Day, decimal Value)> rows)
        {
            if (rows.Count == 0)
            {
                return;
            }

            var daily = rows[0].Day is not null;
            var columns = daily ? $"{KeyColumns}, day" : KeyColumns;
            var keys = daily ? "?, ?, ?, ?, ?, ?, ?, ?" : "?, ?, ?, ?, ?, ?, ?";
            object[] values =
            [
                rows.Select(r => r.Key.Family).ToArray(),
                rows.Select(r => r.Key.Cell.Form).ToArray(),
                rows.Select(r => r.Key.Cell.Country).ToArray(),
                rows.Select(r => r.Key.Cell.Year).ToArray(),
                rows.Select(r => r.Key.Cell.AgeBand.ToString()).ToArray(),
                rows.Select(r => r.Key.Cell.Sex.ToString()).ToArray(),
                rows.Select(r => r.Key.Measure).ToArray(),
            ];
            if (daily)
            {
                values = [.. values, rows.Select(r => r.Day!.Value).ToArray()];
            }

            operations.QueueSqlCommand($"""
                INSERT INTO {table} ({columns}, value)
                SELECT * FROM unnest({keys}, ?)
                ON CONFLICT ({columns}) DO UPDATE SET value = {table}.value + excluded.value
                """, [.. values, rows.Select(r => r.Value).ToArray()]);

            // A row at zero counts nothing, but its key still says that a case of that country,
            // year, age band and sex was recorded on that day: after an erasure, or a correction
            // that moved the case to another group, it would be all that is left of the case.
            // Only the rows this batch changed can have come to zero. A second statement, because
            // within one statement PostgreSQL does not show the rows the upsert wrote.
            var match = string.Join(" AND ", columns.Split(", ").Select(c => $"t.{c} = k.{c}"));
            operations.QueueSqlCommand($"""
                DELETE FROM {table} t USING unnest({keys}) AS k({columns})
                WHERE {match} AND t.value = 0
                """, values);
        }
    }
}
