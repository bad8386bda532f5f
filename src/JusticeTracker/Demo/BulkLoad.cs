using System.Threading.Channels;
using JasperFx.Events;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using Marten;
using Npgsql;
using Weasel.Core;

namespace JusticeTracker.Demo;

/// <summary>
/// Loads generated case histories with PostgreSQL's COPY, through Marten's bulk event append:
/// the events first, then the case documents and entry documents that the inline projection would have written, which
/// the bulk path skips. The async projections (statistics, follow-ups) then catch up from the
/// event store as they would after any other append. For seeding and load tests only: the bulk
/// path checks no version and no decision.
/// </summary>
public static class BulkLoad
{
    /// <summary>About 10,000 events: large enough for COPY to pay, small enough to keep memory flat.</summary>
    public const int CasesPerBatch = 1_000;

    /// <summary>
    /// Loads the cases in batches, as a pipeline: while one batch is written, the next is taken
    /// from the source (a generator, say), started as streams and folded into its case documents
    /// on another thread. A bounded channel of one batch keeps memory flat.
    /// </summary>
    public static async Task CasesAsync(IDocumentStore store, IEnumerable<(Guid CaseId, object[] Events)> cases, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in cases.Chunk(CasesPerBatch))
                {
                    await batches.Writer.WriteAsync(Prepare(store, chunk), failed.Token);
                }

                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, failed.Token);

        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(failed.Token))
            {
                await WriteAsync(store, batch, failed.Token);
            }
        }
        catch
        {
            // The producer may be waiting for room in the channel: stop it.
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
    }

    /// <summary>A batch ready to write: its streams, numbered, and the case documents they fold to.</summary>
    private sealed record Batch(List<StreamAction> Streams, List<Case> Documents);

    private static Batch Prepare(IDocumentStore store, IReadOnlyCollection<(Guid CaseId, object[] Events)> cases)
    {
        // The event graph registers the event types (their names in mt_events); the interface is how the bulk path asks for it.
        var registry = (IEventRegistry)store.Options.Events;
        var streams = cases.Select(c =>
        {
            var stream = StreamAction.Start(registry, c.CaseId, c.Events);
            stream.AggregateType = typeof(Case);
            return stream;
        }).ToList();

        // The case documents the inline projection would have written, folded first (which also
        // numbers each stream's events).
        var documents = streams.Select(stream =>
        {
            Case? state = null;
            var version = 0L;
            foreach (var e in stream.Events)
            {
                e.Version = ++version;
                state = CaseProjection.Fold(state, e);
            }

            return state!;
        }).ToList();
        return new Batch(streams, documents);
    }

    /// <summary>
    /// The events and the documents over two connections at once, since serialising each is most
    /// of the work and this machine has more than one core.
    /// </summary>
    private static Task WriteAsync(IDocumentStore store, Batch batch, CancellationToken ct) => Task.WhenAll(
        store.BulkInsertEventsAsync(batch.Streams, batchSize: 10_000, ct),
        Task.Run(() => InsertDocumentsAsync(store, batch.Documents, batch.Streams, ct), ct));

    private static async Task InsertDocumentsAsync(IDocumentStore store, List<Case> documents, List<StreamAction> streams, CancellationToken ct)
    {
        await store.BulkInsertAsync(documents, BulkInsertMode.InsertsOnly, batchSize: CasesPerBatch, ct);
        await store.BulkInsertAsync(documents.SelectMany(c => c.Entries.Select(e => CaseEntryView.Of(c.Id, e))).ToList(), BulkInsertMode.InsertsOnly, batchSize: 10_000, ct);

        // Bulk insert starts every document at revision 1 (and says so on the objects), and Marten
        // hands a case's revision to the page as its version: set each to its stream's version, as
        // the inline projection does, or every form would see the whole history as changed since
        // it was opened.
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var table = store.Options.Schema.For<Case>(qualified: true);
        command.CommandText = $"UPDATE {table} d SET mt_version = v.version FROM unnest($1::uuid[], $2::bigint[]) AS v(id, version) WHERE d.id = v.id";
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => (long)s.Events.Count).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }
}
