using Marten;
using Npgsql;

namespace JusticeTracker.Access.Directory;

/// <summary>
/// The directory as it is now, held in memory by each node and checked against the database on
/// every use: one indexed query for the id of the directory stream's last event. When any node
/// has changed the directory since, the new events are read and applied before the answer is
/// given, so a removal, a move or a deactivation holds from the very next request on every node.
/// See ADR 19.
/// </summary>
public sealed class CurrentDirectory(IDocumentStore store, NpgsqlDataSource dataSource) : IDisposable
{
    private readonly string lastEventSql =
        $"SELECT id FROM {store.Options.Events.DatabaseSchemaName}.mt_events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1";

    private readonly SemaphoreSlim reading = new(1, 1);
    private volatile Snapshot current = Snapshot.None;

    /// <summary>
    /// The directory up to at least the last change committed before this call. The key is an
    /// event's id, not the stream's version: a stream deleted and started again (a restore from
    /// a backup, the tests' reset) can reach the same version with other events.
    /// </summary>
    private sealed record Snapshot(Guid? LastEventId, long Version, DirectoryState State)
    {
        public static readonly Snapshot None = new(null, 0, DirectoryState.Empty);
    }

    /// <summary>
    /// The directory as last read, without asking the database: within a request, at least as new
    /// as the read that resolved the person's membership at its start.
    /// </summary>
    public DirectoryState Known => current.State;

    public async Task<DirectoryState> ReadAsync(CancellationToken ct)
    {
        var last = await LastEventIdAsync(ct);
        var seen = current;
        if (seen.LastEventId == last)
        {
            return seen.State;
        }

        // One reader at a time: after a change, the requests that arrive together wait for one read.
        await reading.WaitAsync(ct);
        try
        {
            seen = current;
            if (seen.LastEventId == last)
            {
                return seen.State;
            }

            current = await ReadChangesAsync(seen, ct);
            return current.State;
        }
        finally
        {
            reading.Release();
        }
    }

    public void Dispose() => reading.Dispose();

    private async Task<Guid?> LastEventIdAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(lastEventSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = DirectoryState.StreamId });
        return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }

    /// <summary>
    /// Reads the stream from the last event held onwards and applies what came after it; when that
    /// event is no longer there (the stream was started again), reads the whole stream.
    /// </summary>
    private async Task<Snapshot> ReadChangesAsync(Snapshot held, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (held.LastEventId is { } heldId)
        {
            var since = await session.Events.FetchStreamAsync(DirectoryState.StreamId, fromVersion: held.Version, token: ct);
            if (since.Count > 0 && since[0].Id == heldId && since[0].Version == held.Version)
            {
                return new Snapshot(since[^1].Id, since[^1].Version, since.Skip(1).Aggregate(held.State, (state, e) => state.With(e.Data)));
            }
        }

        var events = await session.Events.FetchStreamAsync(DirectoryState.StreamId, token: ct);
        return events.Count == 0
            ? Snapshot.None
            : new Snapshot(events[^1].Id, events[^1].Version, DirectoryState.From(events.Select(e => e.Data)));
    }
}
