using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using Marten;

namespace JusticeTracker.Imports;

/// <summary>The dry run, and the lock every change of a batch's status takes.</summary>
public static class ImportCheck
{
    public const string ChooseOnce = "Each column of the tracker can be chosen for one column of the sheet only.";
    public const string ChooseRequired = "Choose the column of the sheet that holds \"{0}\".";
    public const string NotNow = "This import has moved on since you opened the page. Its state is shown below.";

    /// <summary>Problems with a mapping: a tracker column chosen twice, or a required one not chosen.</summary>
    public static IReadOnlyList<Problem> Problems(ImportLayout layout, IReadOnlyList<string?> mapping, Func<ImportColumn, string> header)
    {
        var problems = new Problems();
        foreach (var twice in mapping.OfType<string>().GroupBy(id => id).Where(g => g.Count() > 1))
        {
            problems.Add($"Mapping[{mapping.ToList().IndexOf(twice.Key)}]", ChooseOnce);
        }

        foreach (var column in Columns.For(layout).Where(c => Templates.IsRequired(layout, c) && !mapping.Contains(c.Id)))
        {
            problems.Add("", ChooseRequired, header(column));
        }

        return problems.ToList();
    }

    /// <summary>
    /// Decides every row as the run will, and keeps each row's outcome with its chunk and the
    /// counts with the batch. Nothing of a case is written.
    /// </summary>
    public static async Task<ImportBatch> DryRunAsync(IDocumentSession session, ImportBatch batch, CurrentUser user, PersonalDataCheck personalData, ImportVocabulary vocabulary, DateTimeOffset now, CancellationToken ct)
    {
        var chunks = (await session.Query<ImportChunk>().Where(c => c.BatchId == batch.Id).ToListAsync(ct)).OrderBy(c => c.Index).ToList();
        var organisations = await session.Query<Organisation>().ToListAsync(ct);
        var context = new ImportContext(batch.Id, batch.Layout, user, batch.OrganisationId, [.. organisations], now, personalData, vocabulary);
        var plan = ImportPlan.Decide(context, batch.Columns, batch.Mapping, chunks.SelectMany(c => c.Rows));
        var byRow = plan.Rows.ToDictionary(r => r.Row);
        foreach (var chunk in chunks)
        {
            session.Store(chunk with { Outcomes = [.. chunk.Rows.Select(r => byRow.GetValueOrDefault(r.Number)).OfType<RowOutcome>()] });
        }

        var checkedBatch = batch with { Status = BatchStatus.Checked, Cases = plan.Cases.Count, Entries = plan.EntryCount, RefusedRows = plan.RefusedRows };
        session.Store(checkedBatch);
        return checkedBatch;
    }

    /// <summary>
    /// The batch, read inside a transaction that holds its row until the session commits: two
    /// confirmations sent at once, or a confirmation and an undo, see each other's outcome.
    /// </summary>
    public static async Task<ImportBatch?> LockAsync(IDocumentSession session, Guid batchId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await session.AdvancedSql.QueryAsync<int>("SELECT 1 FROM jt.mt_doc_importbatch WHERE id = ? FOR UPDATE", ct, batchId);
        return await session.LoadAsync<ImportBatch>(batchId, ct);
    }

    /// <summary>
    /// Whether another batch of the same file for the same organisation is importing or imported.
    /// Two uploads of one file racing each other make two batches; the confirmation of each takes
    /// a lock on the file's hash, so only the first of them imports.
    /// </summary>
    public static async Task<bool> ImportedElsewhereAsync(IDocumentSession session, ImportBatch batch, CancellationToken ct)
    {
        await session.AdvancedSql.QueryAsync<int>("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 17))) AS locked", ct, $"{batch.OrganisationId}:{batch.Hash}");
        return await session.Query<ImportBatch>()
            .AnyAsync(b => b.Id != batch.Id && b.OrganisationId == batch.OrganisationId && b.Hash == batch.Hash && (b.Status == BatchStatus.Running || b.Status == BatchStatus.Done || b.Status == BatchStatus.Undoing), ct);
    }

    /// <summary>Who may see a batch: legal experts any, member lawyers their organisation's.</summary>
    public static bool CanSee(this CurrentUser user, ImportBatch batch) =>
        user.IsLegalExpert || (user.IsMemberLawyer && batch.OrganisationId == user.OrganisationId);
}
