using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using JusticeTracker.Cases;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace JusticeTracker.Statistics;

/// <summary>What a rebuild did: the sequence it handed over at, and what it read and wrote.</summary>
public sealed record RebuildResult(long Ceiling, long Events, int Cases, int Documents, int NowRows, int DeltaRows, TimeSpan Elapsed, RebuildTimes Times)
{
    public double EventsPerSecond => Events / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Where a rebuild's time went: reading, counting and writing the documents (at once), then writing the two tables.</summary>
public sealed record RebuildTimes(TimeSpan Counting, TimeSpan Tables)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"reading, counting and writing documents {Counting.TotalSeconds:0.0} s, writing the tables {Tables.TotalSeconds:0.0} s");
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
        var caseTypes = new[] { typeof(CaseOpened), typeof(Cases.Transferring.TransferAccepted) }
            .Concat(typeof(CaseEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEntry)) && !t.IsAbstract))
            .ToDictionary(t => graph.EventMappingFor(t).EventTypeName, t => t);

        // Entries stored under an older shape's name, read as Marten's upcasters read them.
        var older = EventVersions.Older.ToDictionary(o => o.Name, o => o.Type);
        foreach (var (name, type) in older)
        {
            caseTypes[name] = type;
        }

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

        // Cases are counted in parallel, each by one worker with sums of its own, while this
        // thread reads and deserialises the events and another writes the documents as they come.
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var toCount = Channel.CreateBounded<(Guid CaseId, List<(object Data, long Version)> Events)>(new BoundedChannelOptions(64) { SingleWriter = true });
        var toWrite = Channel.CreateBounded<CaseStatistics>(new BoundedChannelOptions(64) { SingleReader = true });
        var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount))
            .Select(_ => Task.Run(() => CountAsync(toCount.Reader, toWrite.Writer, kept, erased, failed.Token), failed.Token)).ToList();
        var import = await writer.BeginBinaryImportAsync($"COPY {documentTable} (id, data, mt_version, mt_dotnet_type, case_id) FROM STDIN (FORMAT BINARY)", ct);
        var documents = Task.Run(() => WriteDocumentsAsync(import, serializer, toWrite.Reader, failed.Token), failed.Token);

        long events = 0;
        var cases = 0;
        var counting = Stopwatch.StartNew();
        try
        {
            await using var command = new NpgsqlCommand(
                $"SELECT stream_id, version, type, data FROM {schema}.mt_events WHERE seq_id <= $1 AND type = ANY($2) ORDER BY stream_id, version", reader, snapshot);
            command.Parameters.Add(new NpgsqlParameter { Value = ceiling });
            command.Parameters.Add(new NpgsqlParameter { Value = caseTypes.Keys.ToArray() });
            await using (var rows = await command.ExecuteReaderAsync(failed.Token))
            {
                var current = (CaseId: Guid.Empty, Events: new List<(object, long)>());
                while (await rows.ReadAsync(failed.Token))
                {
                    var streamId = rows.GetGuid(0);
                    if (streamId != current.CaseId)
                    {
                        if (current.Events.Count > 0)
                        {
                            await toCount.Writer.WriteAsync(current, failed.Token);
                            cases++;
                        }

                        current = (streamId, []);
                    }

                    var type = rows.GetString(2);
                    current.Events.Add((older.ContainsKey(type) ? EventVersions.Read(serializer, caseTypes[type], rows.GetString(3)) : serializer.FromJson(caseTypes[type], rows, 3), rows.GetInt64(1)));
                    events++;
                }

                if (current.Events.Count > 0)
                {
                    await toCount.Writer.WriteAsync(current, failed.Token);
                    cases++;
                }
            }

            toCount.Writer.Complete();
            await Task.WhenAll(workers);
            toWrite.Writer.Complete();
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            toWrite.Writer.TryComplete();
            await Task.WhenAll([.. workers.Cast<Task>(), documents]).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var sums = new FigureSums();
        foreach (var worker in workers)
        {
            sums.Add(await worker);
        }

        var written = await documents;
        await import.DisposeAsync();
        counting.Stop();

        await snapshot.CommitAsync(ct);
        var tables = Stopwatch.StartNew();
        await ExecuteAsync(writer, $"TRUNCATE {schema}.{StatisticsProjection.NowTable}, {schema}.{StatisticsProjection.DeltaTable}", ct);
        // In primary-key order: each row then goes to the right-hand edge of the key's index,
        // which PostgreSQL appends to without searching it (half the time of unsorted rows).
        var nowRows = await CopyAsync(writer, StatisticsProjection.NowTable, Sorted(sums.Now.Where(s => s.Value != 0).Select(s => (s.Key, (DateOnly?)null, s.Value))), ct);
        var deltaRows = await CopyAsync(writer, StatisticsProjection.DeltaTable, Sorted(sums.Daily.Where(s => s.Value != 0).Select(s => (s.Key.Key, (DateOnly?)s.Key.Day, s.Value))), ct);
        await ExecuteAsync(writer, $"UPDATE {schema}.mt_event_progression SET last_seq_id = $2, last_updated = now() WHERE name = $1", ct, ProgressionName, ceiling);
        await transaction.CommitAsync(ct);
        return new RebuildResult(ceiling, events, cases, written, nowRows, deltaRows, clock.Elapsed, new RebuildTimes(counting.Elapsed, tables.Elapsed));
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

    /// <summary>One worker: counts whole cases with the projection's rule, into sums of its own.</summary>
    private static async Task<FigureSums> CountAsync(
        ChannelReader<(Guid CaseId, List<(object Data, long Version)> Events)> cases, ChannelWriter<CaseStatistics> documents,
        Dictionary<Guid, List<Guid>> kept, HashSet<Guid> erased, CancellationToken ct)
    {
        var sums = new FigureSums();
        await foreach (var (caseId, events) in cases.ReadAllAsync(ct))
        {
            var statistics = new CaseStatistics { CaseId = caseId };
            var state = Counted.Nothing;
            foreach (var (data, version) in events)
            {
                state = Counting.Count(state, data, version, statistics, sums);
            }

            var ids = kept.GetValueOrDefault(caseId) ?? [Guid.NewGuid()];
            if (ids.Any(erased.Contains))
            {
                // Named by an erasure below the ceiling, as the projection would have met it.
                Counting.TakeOut(statistics, sums);
                continue;
            }

            statistics.Id = ids[0];
            await documents.WriteAsync(statistics, ct);

            // A second document of one case (erasure racing the projection) stays, empty, so an
            // erasure that names it still takes the case out (see StatisticsProjection).
            foreach (var other in ids.Skip(1))
            {
                await documents.WriteAsync(new CaseStatistics { Id = other, CaseId = caseId }, ct);
            }
        }

        return sums;
    }

    private static async Task<int> WriteDocumentsAsync(NpgsqlBinaryImporter import, Marten.ISerializer serializer, ChannelReader<CaseStatistics> documents, CancellationToken ct)
    {
        var written = 0;
        while (await documents.WaitToReadAsync(ct))
        {
            while (documents.TryRead(out var statistics))
            {
                WriteDocument(import, serializer, statistics);
                written++;
            }
        }

        await import.CompleteAsync(ct);
        return written;
    }

    /// <summary>Synchronous writes into COPY's buffer: an awaited call per field costs more than the field.</summary>
    private static void WriteDocument(NpgsqlBinaryImporter import, Marten.ISerializer serializer, CaseStatistics statistics)
    {
        import.StartRow();
        import.Write(statistics.Id, NpgsqlDbType.Uuid);
        import.Write(serializer.ToJson(statistics), NpgsqlDbType.Jsonb);
        import.Write(Guid.NewGuid(), NpgsqlDbType.Uuid);
        import.Write(typeof(CaseStatistics).FullName!, NpgsqlDbType.Varchar);
        import.Write(statistics.CaseId, NpgsqlDbType.Uuid);
    }

    /// <summary>Rows in the tables' key order (family, form, country, year, age, sex, measure, day), compared as the C collation does.</summary>
    private static List<(FactKey Key, DateOnly? Day, decimal Value)> Sorted(IEnumerable<(FactKey Key, DateOnly? Day, decimal Value)> rows)
    {
        var list = rows.Select(r => (Row: r, Age: r.Key.Cell.AgeBand.ToString(), Sex: r.Key.Cell.Sex.ToString())).ToList();
        list.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.Row.Key.Family, b.Row.Key.Family);
            c = c != 0 ? c : string.CompareOrdinal(a.Row.Key.Cell.Form, b.Row.Key.Cell.Form);
            c = c != 0 ? c : string.CompareOrdinal(a.Row.Key.Cell.Country, b.Row.Key.Cell.Country);
            c = c != 0 ? c : a.Row.Key.Cell.Year.CompareTo(b.Row.Key.Cell.Year);
            c = c != 0 ? c : string.CompareOrdinal(a.Age, b.Age);
            c = c != 0 ? c : string.CompareOrdinal(a.Sex, b.Sex);
            c = c != 0 ? c : string.CompareOrdinal(a.Row.Key.Measure, b.Row.Key.Measure);
            return c != 0 ? c : Nullable.Compare(a.Row.Day, b.Row.Day);
        });
        return [.. list.Select(r => r.Row)];
    }

    private async Task<int> CopyAsync(NpgsqlConnection connection, string table, List<(FactKey Key, DateOnly? Day, decimal Value)> rows, CancellationToken ct)
    {
        var daily = table == StatisticsProjection.DeltaTable;
        var columns = "family, form, country, year, age, sex, measure" + (daily ? ", day" : "") + ", value";
        await using var import = await connection.BeginBinaryImportAsync($"COPY {schema}.{table} ({columns}) FROM STDIN (FORMAT BINARY)", ct);
        WriteRows(import, rows, daily);
        await import.CompleteAsync(ct);
        return rows.Count;
    }

    private static void WriteRows(NpgsqlBinaryImporter import, List<(FactKey Key, DateOnly? Day, decimal Value)> rows, bool daily)
    {
        foreach (var (key, day, value) in rows)
        {
            import.StartRow();
            import.Write(key.Family, NpgsqlDbType.Varchar);
            import.Write(key.Cell.Form, NpgsqlDbType.Varchar);
            import.Write(key.Cell.Country, NpgsqlDbType.Varchar);
            import.Write(key.Cell.Year, NpgsqlDbType.Integer);
            import.Write(key.Cell.AgeBand.ToString(), NpgsqlDbType.Varchar);
            import.Write(key.Cell.Sex.ToString(), NpgsqlDbType.Varchar);
            import.Write(key.Measure, NpgsqlDbType.Varchar);
            if (daily)
            {
                import.Write(day!.Value, NpgsqlDbType.Date);
            }

            import.Write(value, NpgsqlDbType.Numeric);
        }
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
