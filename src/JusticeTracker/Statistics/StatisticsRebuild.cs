using System.Data;
using System.Diagnostics;
using JusticeTracker.Cases;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace JusticeTracker.Statistics;

/// <summary>What a rebuild did: the sequence it handed over at, and what it read and wrote.</summary>
public sealed record RebuildResult(long Ceiling, long Events, int Cases, int Documents, int NowRows, int DeltaRows, TimeSpan Elapsed)
{
    public double EventsPerSecond => Events / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>
/// Rebuilds the statistics from every event in one pass, in memory, instead of replaying them
/// through the projection's batches (ADR 17). It reads the event sequence's committed ceiling,
/// streams every case event up to it case by case, counts each with <see cref="Counting"/> (the
/// projection's own rule), and then, in one transaction, writes each table once with binary COPY
/// and sets the projection's progression to the ceiling: the daemon goes on from exactly there.
/// </summary>
/// <remarks>
/// Run it with the <see cref="StatisticsProjection"/> stopped (docs/operations.md). It still holds
/// its ground against what runs beside it: the statistics documents are locked for the whole
/// rebuild (an erasure waits, then names the rebuilt document), each case keeps the random id of
/// its statistics (an erasure recorded after the ceiling still finds them), and the progression
/// row is locked, so a daemon batch cannot commit in between.
/// </remarks>
public sealed class StatisticsRebuild(IDocumentStore store, NpgsqlDataSource dataSource)
{
    /// <summary>The projection's row in <c>mt_event_progression</c>: Marten names a projection's one shard "All".</summary>
    public const string ProgressionName = StatisticsProjection.Name + ":All";

    private readonly string schema = store.Options.DatabaseSchemaName;

    public async Task<RebuildResult> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var serializer = store.Options.Serializer();
        var graph = (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;
        var caseTypes = new[] { typeof(CaseOpened) }
            .Concat(typeof(CaseEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEntry)) && !t.IsAbstract))
            .ToDictionary(t => graph.EventMappingFor(t).EventTypeName, t => t);
        var erasedType = graph.EventMappingFor(typeof(CaseErased)).EventTypeName;
        var documentTable = store.Options.Schema.For<CaseStatistics>(qualified: true);

        var ceiling = await CeilingAsync(ct);

        await using var writer = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await writer.BeginTransactionAsync(ct);

        // Erasures wait for the rebuild from here on, and so does any daemon batch of the projection.
        await ExecuteAsync(writer, $"LOCK TABLE {documentTable} IN ACCESS EXCLUSIVE MODE", ct);
        await ExecuteAsync(writer, $"INSERT INTO {schema}.mt_event_progression (name, last_seq_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING", ct, ProgressionName);
        await ExecuteAsync(writer, $"SELECT last_seq_id FROM {schema}.mt_event_progression WHERE name = $1 FOR UPDATE", ct, ProgressionName);
        var kept = await KeptIdsAsync(writer, documentTable, ct);
        await ExecuteAsync(writer, $"TRUNCATE {documentTable}", ct);

        // Everything below the ceiling was committed before it was read; this snapshot also sees
        // every erasure that committed before the documents were locked.
        await using var reader = await dataSource.OpenConnectionAsync(ct);
        await using var snapshot = await reader.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var erased = await ErasedIdsAsync(reader, serializer, erasedType, ceiling, ct);

        var sums = new FigureSums();
        long events = 0;
        var cases = 0;
        var documents = 0;
        await using (var import = await writer.BeginBinaryImportAsync($"COPY {documentTable} (id, data, mt_version, mt_dotnet_type, case_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            async Task WriteAsync(Guid id, CaseStatistics statistics)
            {
                await import.StartRowAsync(ct);
                await import.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await import.WriteAsync(serializer.ToJson(statistics), NpgsqlDbType.Jsonb, ct);
                await import.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, ct);
                await import.WriteAsync(typeof(CaseStatistics).FullName!, NpgsqlDbType.Varchar, ct);
                await import.WriteAsync(statistics.CaseId, NpgsqlDbType.Uuid, ct);
                documents++;
            }

            async Task CloseAsync(CaseStatistics? statistics)
            {
                if (statistics is null)
                {
                    return;
                }

                cases++;
                var ids = kept.GetValueOrDefault(statistics.CaseId) ?? [Guid.NewGuid()];
                if (ids.Any(erased.Contains))
                {
                    // Named by an erasure below the ceiling, as the projection would have met it.
                    Counting.TakeOut(statistics, sums);
                    return;
                }

                statistics.Id = ids[0];
                await WriteAsync(ids[0], statistics);

                // A second document of one case (erasure racing the projection) stays, empty, so
                // an erasure that names it still takes the case out (see StatisticsProjection).
                foreach (var other in ids.Skip(1))
                {
                    await WriteAsync(other, new CaseStatistics { Id = other, CaseId = statistics.CaseId });
                }
            }

            await using var command = new NpgsqlCommand(
                $"SELECT stream_id, version, type, data FROM {schema}.mt_events WHERE seq_id <= $1 AND type = ANY($2) ORDER BY stream_id, version", reader, snapshot);
            command.Parameters.Add(new NpgsqlParameter { Value = ceiling });
            command.Parameters.Add(new NpgsqlParameter { Value = caseTypes.Keys.ToArray() });
            await using var rows = await command.ExecuteReaderAsync(ct);
            CaseStatistics? current = null;
            var state = Counted.Nothing;
            while (await rows.ReadAsync(ct))
            {
                var streamId = rows.GetGuid(0);
                var version = rows.GetInt64(1);
                var type = caseTypes[rows.GetString(2)];
                if (current?.CaseId != streamId)
                {
                    await CloseAsync(current);
                    current = new CaseStatistics { CaseId = streamId };
                    state = Counted.Nothing;
                }

                var data = serializer.FromJson(type, rows, 3);
                state = Counting.Count(state, data, version, current, sums);
                events++;
            }

            await CloseAsync(current);
            await import.CompleteAsync(ct);
        }

        await snapshot.CommitAsync(ct);
        await ExecuteAsync(writer, $"TRUNCATE {schema}.{StatisticsProjection.NowTable}, {schema}.{StatisticsProjection.DeltaTable}", ct);
        var nowRows = await CopyAsync(writer, StatisticsProjection.NowTable, sums.Now.Where(s => s.Value != 0).Select(s => (s.Key, (DateOnly?)null, s.Value)), ct);
        var deltaRows = await CopyAsync(writer, StatisticsProjection.DeltaTable, sums.Daily.Where(s => s.Value != 0).Select(s => (s.Key.Key, (DateOnly?)s.Key.Day, s.Value)), ct);
        await ExecuteAsync(writer, $"UPDATE {schema}.mt_event_progression SET last_seq_id = $2, last_updated = now() WHERE name = $1", ct, ProgressionName, ceiling);
        await transaction.CommitAsync(ct);
        return new RebuildResult(ceiling, events, cases, documents, nowRows, deltaRows, clock.Elapsed);
    }

    /// <summary>
    /// The highest committed sequence, read once every append in flight has committed: the share
    /// lock waits for them and lets none start until it is read. Below it no event can still
    /// appear, so the daemon, going on from here, misses none and counts none twice.
    /// </summary>
    private async Task<long> CeilingAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, $"LOCK TABLE {schema}.mt_events IN SHARE MODE", ct);
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(seq_id), 0) FROM {schema}.mt_events", connection, transaction);
        var ceiling = (long)(await command.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return ceiling;
    }

    /// <summary>Each case's statistics ids as stored before the rebuild, which the rebuilt documents keep.</summary>
    private static async Task<Dictionary<Guid, List<Guid>>> KeptIdsAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        var kept = new Dictionary<Guid, List<Guid>>();
        await using var command = new NpgsqlCommand($"SELECT case_id, id FROM {table} WHERE case_id IS NOT NULL AND case_id <> '00000000-0000-0000-0000-000000000000' ORDER BY case_id, id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var caseId = reader.GetGuid(0);
            if (!kept.TryGetValue(caseId, out var ids))
            {
                kept[caseId] = ids = [];
            }

            ids.Add(reader.GetGuid(1));
        }

        return kept;
    }

    private async Task<HashSet<Guid>> ErasedIdsAsync(NpgsqlConnection connection, Marten.ISerializer serializer, string erasedType, long ceiling, CancellationToken ct)
    {
        var erased = new HashSet<Guid>();
        await using var command = new NpgsqlCommand($"SELECT data FROM {schema}.mt_events WHERE seq_id <= $1 AND type = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ceiling });
        command.Parameters.Add(new NpgsqlParameter { Value = erasedType });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            erased.Add(serializer.FromJson<CaseErased>(reader, 0).StatisticsId);
        }

        return erased;
    }

    private async Task<int> CopyAsync(NpgsqlConnection connection, string table, IEnumerable<(FactKey Key, DateOnly? Day, decimal Value)> rows, CancellationToken ct)
    {
        var daily = table == StatisticsProjection.DeltaTable;
        var columns = "family, form, country, year, age, sex, measure" + (daily ? ", day" : "") + ", value";
        var count = 0;
        await using var import = await connection.BeginBinaryImportAsync($"COPY {schema}.{table} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (key, day, value) in rows)
        {
            await import.StartRowAsync(ct);
            await import.WriteAsync(key.Family, NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(key.Cell.Form, NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(key.Cell.Country, NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(key.Cell.Year, NpgsqlDbType.Integer, ct);
            await import.WriteAsync(key.Cell.AgeBand.ToString(), NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(key.Cell.Sex.ToString(), NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(key.Measure, NpgsqlDbType.Varchar, ct);
            if (daily)
            {
                await import.WriteAsync(day!.Value, NpgsqlDbType.Date, ct);
            }

            await import.WriteAsync(value, NpgsqlDbType.Numeric, ct);
            count++;
        }

        await import.CompleteAsync(ct);
        return count;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
