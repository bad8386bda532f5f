using System.Diagnostics;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Statistics;
using Marten;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace JusticeTracker.Imports;

/// <summary>Runs a confirmed batch: a durable message, so a node that stops leaves it for the next.</summary>
public sealed record RunImport(Guid BatchId);

/// <summary>Erases every case a batch opened.</summary>
public sealed record UndoImport(Guid BatchId, string UserId);

/// <summary>The metadata headers every imported event carries: its batch, and its row in the sheet.</summary>
public static class ImportHeaders
{
    public const string Batch = "importBatch";
    public const string Row = "importRow";
}

/// <summary>
/// The import itself. It decides the batch again with <see cref="ImportPlan"/> (what the dry run
/// showed), then writes its cases a hundred at a time, each hundred in one transaction with the
/// batch's progress. A case's id comes from the batch and its row, so a run that starts again
/// after a stop skips the cases already written and writes each of the others once.
/// </summary>
public static partial class RunImportHandler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Import {BatchId} wrote {Cases} cases and {Entries} entries in {Elapsed} ms")]
    private static partial void Ran(ILogger logger, Guid batchId, int cases, int entries, long elapsed);

    public const int CasesPerTransaction = 100;

    /// <summary>
    /// A failure (the database restarting, say) tries the batch again a few times, which skips
    /// what was written; only then does the message go to the dead letters, the batch staying
    /// "importing" for an operator to look at.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnAnyException().ScheduleRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10));

    public static async Task Handle(RunImport message, IDocumentStore store, AuditLog audit, TimeProvider clock, PersonalDataCheck personalData, ImportVocabulary vocabulary, ReferenceSource references, ILogger<ImportBatch> logger, CancellationToken ct)
    {
        ImportBatch? batch;
        List<ImportChunk> chunks;
        List<Organisation> organisations;
        await using (var query = store.QuerySession())
        {
            batch = await query.LoadAsync<ImportBatch>(message.BatchId, ct);
            if (batch is not { Status: BatchStatus.Running, ConfirmedBy: { } by })
            {
                return;
            }

            chunks = [.. (await query.Query<ImportChunk>().Where(c => c.BatchId == batch.Id).ToListAsync(ct)).OrderBy(c => c.Index)];
            organisations = [.. await query.Query<Organisation>().ToListAsync(ct)];
        }

        var watch = Stopwatch.StartNew();
        var user = ImportUser(batch.ConfirmedBy);
        var now = clock.GetUtcNow();
        var context = new ImportContext(batch.Id, batch.Layout, user, batch.OrganisationId, organisations, now, personalData, vocabulary);
        var plan = ImportPlan.Decide(context, batch.Columns, batch.Mapping, chunks.SelectMany(c => c.Rows));

        var written = 0;
        foreach (var group in plan.Cases.Chunk(CasesPerTransaction))
        {
            ct.ThrowIfCancellationRequested();
            written += group.Length;
            await WriteAsync(store, batch with { Progress = written }, group, user, references, now, ct);
        }

        // The run's outcomes replace the dry run's; the sheet's cells are needed no more.
        await using (var finish = store.LightweightSession())
        {
            var byRow = plan.Rows.ToDictionary(r => r.Row);
            var firstRows = plan.Cases.ToDictionary(c => c.Events[0].Row, c => c.CaseId);
            foreach (var chunk in chunks)
            {
                finish.Store(chunk with
                {
                    Outcomes = [.. chunk.Rows.Select(r => byRow.GetValueOrDefault(r.Number)).OfType<RowOutcome>()],
                    CaseIds = [.. chunk.Rows.Select(r => firstRows.TryGetValue(r.Number, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)],
                    Rows = [],
                });
            }

            finish.Store(batch with
            {
                Status = BatchStatus.Done,
                CompletedAt = clock.GetUtcNow(),
                Cases = plan.Cases.Count,
                Entries = plan.EntryCount,
                RefusedRows = plan.RefusedRows,
                Progress = plan.Cases.Count,
            });
            await finish.SaveChangesAsync(ct);
        }

        await audit.AppendAsync(Line(batch, batch.ConfirmedBy.UserId, AuditActions.ImportRun, $"{plan.Cases.Count} cases, {plan.EntryCount} entries, {plan.RefusedRows} rows refused", clock.GetUtcNow()), ct);
        Ran(logger, batch.Id, plan.Cases.Count, plan.EntryCount, watch.ElapsedMilliseconds);
    }

    /// <summary>
    /// One hundred cases in one transaction, with the batch's progress. Those already written (a run started again) are
    /// skipped; references are drawn unused by any case and any audit line, and a race for one
    /// (the unique index) draws again.
    /// </summary>
    private static async Task WriteAsync(IDocumentStore store, ImportBatch batch, PlannedCase[] group, CurrentUser user, ReferenceSource references, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var ids = group.Select(c => c.CaseId).ToArray();
            var existing = (await session.Query<Case>().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            var pending = group.Where(c => !existing.Contains(c.CaseId)).ToList();
            session.Store(batch);
            if (pending.Count == 0)
            {
                await session.SaveChangesAsync(ct);
                return;
            }

            var drawn = await DrawAsync(session, pending, references, now, ct);
            session.LastModifiedBy = user.UserId;
            foreach (var planned in pending)
            {
                var opened = (CaseOpened)planned.Events[0].Event;
                var events = planned.Events.Select((e, i) => i == 0 ? opened with { Reference = drawn[planned.CaseId] } : e.Event).ToArray();
                var stream = session.Events.StartStream<Case>(planned.CaseId, events);
                for (var i = 0; i < stream.Events.Count; i++)
                {
                    stream.Events[i].SetHeader(ImportHeaders.Batch, batch.Id.ToString());
                    stream.Events[i].SetHeader(ImportHeaders.Row, planned.Events[i].Row);
                }
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return;
            }
            catch (Exception e) when (attempt < 4 && (Failures.IsConcurrency(e) || Failures.IsUniqueViolation(e)))
            {
                // Another node wrote one of these cases, or a person's new case took a reference
                // drawn here: decide again on what is there now.
            }
        }
    }

    private static async Task<Dictionary<Guid, string>> DrawAsync(IDocumentSession session, List<PlannedCase> pending, ReferenceSource references, DateTimeOffset now, CancellationToken ct)
    {
        var drawn = new Dictionary<Guid, string>();
        var remaining = pending;
        for (var round = 0; remaining.Count > 0 && round < 8; round++)
        {
            var candidates = remaining.ToDictionary(c => c.CaseId, c => references.Draw(c.Country, now));
            var texts = candidates.Values.ToArray();
            var taken = (await session.AdvancedSql.QueryAsync<string>(
                $"SELECT case_reference FROM {AuditLog.Table} WHERE case_reference = ANY(?) UNION SELECT d.reference FROM jt.mt_doc_case d WHERE d.reference = ANY(?)",
                ct,
                texts,
                texts)).ToHashSet();
            var used = drawn.Values.ToHashSet();
            foreach (var (id, reference) in candidates)
            {
                if (!taken.Contains(reference) && used.Add(reference))
                {
                    drawn[id] = reference;
                }
            }

            remaining = [.. remaining.Where(c => !drawn.ContainsKey(c.CaseId))];
        }

        // Eight rounds leave a case without a reference only if the year's references are nearly
        // all taken; the unique index then refuses the transaction, which is tried again.
        foreach (var c in remaining)
        {
            drawn[c.CaseId] = references.Draw(c.Country, now);
        }

        return drawn;
    }

    public static CurrentUser ImportUser(Recorder by) => new(by.UserId, new HashSet<UserRole> { by.Role }, by.OrganisationId);

    public static AuditEntry Line(ImportBatch batch, string userId, string action, string detail, DateTimeOffset at, string? caseReference = null) =>
        new(0, at, userId, null, batch.OrganisationId, action, "JOB", $"/imports/{batch.Id}", 200, caseReference, null, batch.Id.ToString(), detail);
}

/// <summary>
/// Undoes a batch: each case it opened is erased as a legal expert's erasure would erase it, with
/// an audit line per case, a hundred cases per transaction. Started again after a stop, it finds
/// the cases already erased gone and goes on with the rest.
/// </summary>
public static class UndoImportHandler
{
    public static void Configure(HandlerChain chain) => RunImportHandler.Configure(chain);

    public static async Task Handle(UndoImport message, IDocumentStore store, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        ImportBatch? batch;
        List<Guid> caseIds;
        await using (var query = store.QuerySession())
        {
            batch = await query.LoadAsync<ImportBatch>(message.BatchId, ct);
            if (batch is not { Status: BatchStatus.Undoing })
            {
                return;
            }

            caseIds = [.. (await query.Query<ImportChunk>().Where(c => c.BatchId == batch.Id).ToListAsync(ct)).OrderBy(c => c.Index).SelectMany(c => c.CaseIds)];
        }

        var (done, movedAway) = (0, 0);
        foreach (var group in caseIds.Chunk(RunImportHandler.CasesPerTransaction))
        {
            ct.ThrowIfCancellationRequested();
            var erased = new List<string>();
            await using (var session = store.LightweightSession())
            {
                session.LastModifiedBy = message.UserId;
                var statistics = (await session.Query<CaseStatistics>().Where(s => group.Contains(s.CaseId)).ToListAsync(ct)).ToLookup(s => s.CaseId);
                foreach (var caseId in group)
                {
                    // Locked as an erasure locks it, so a follow-up check in flight cannot outlive the case.
                    var stream = await session.Events.FetchForExclusiveWriting<Case>(caseId, ct);
                    // A case moved to another organisation since (or on its way there) is no
                    // longer the batch's to undo: erasing it would take another organisation's case.
                    if (stream.Aggregate is not { } @case)
                    {
                        continue;
                    }

                    if (@case.OrganisationId != batch.OrganisationId || @case.PendingTransfer is not null)
                    {
                        movedAway++;
                        continue;
                    }

                    // A case that counts its proceeding hands the count to a linked case that stays.
                    if (@case is { LeadsProceeding: true, Proceeding: { } proceeding })
                    {
                        await Cases.Linking.Proceedings.HandOverAsync(session, proceeding, group, clock.GetUtcNow(), ct);
                    }

                    var kept = statistics[caseId].FirstOrDefault();
                    var uncounted = kept is null ? new CaseStatistics { Id = Guid.NewGuid(), CaseId = caseId } : null;
                    EraseCaseEndpoint.Forget(session, caseId, EraseCaseEndpoint.Decide((kept ?? uncounted)!.Id, clock.GetUtcNow()), uncounted);
                    erased.Add(@case.Reference);
                }

                session.Store(batch with { Progress = done + group.Length });
                await session.SaveChangesAsync(ct);
            }

            done += group.Length;
            foreach (var reference in erased)
            {
                await audit.AppendAsync(RunImportHandler.Line(batch, message.UserId, AuditActions.CaseErase, "ImportUndone", clock.GetUtcNow(), reference), ct);
            }
        }

        await using (var finish = store.LightweightSession())
        {
            finish.Store(batch with { Status = BatchStatus.Undone, Progress = batch.Cases });
            await finish.SaveChangesAsync(ct);
        }

        await audit.AppendAsync(RunImportHandler.Line(batch, message.UserId, AuditActions.ImportUndo, movedAway == 0 ? $"{caseIds.Count} cases erased" : $"{caseIds.Count - movedAway} cases erased, {movedAway} kept (moved to another organisation)", clock.GetUtcNow()), ct);
    }
}
