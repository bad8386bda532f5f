using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Imports;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wolverine.Marten;

namespace JusticeTracker.Pages.Imports;

/// <summary>One import: its column mapping, its dry run row by row, its confirmation, progress, and undo.</summary>
public sealed class BatchModel(IDocumentSession session, IMartenOutbox outbox, ImportOptions options, PersonalDataCheck personalData, ImportVocabulary vocabulary, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    /// <summary>Only the rows with a problem.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Problems { get; set; }

    [BindProperty]
    public List<string?> Mapping { get; set; } = [];

    [BindProperty]
    public bool SaveMapping { get; set; } = true;

    public ImportBatch Batch { get; private set; } = null!;

    public CurrentUser Me { get; private set; } = null!;

    public string OrganisationName { get; private set; } = "";

    public IReadOnlyList<RowOutcome> Outcomes { get; private set; } = [];

    public int PageCount { get; private set; } = 1;

    public IReadOnlyList<ImportColumn> TrackerColumns => Columns.For(Batch.Layout);

    public bool CanUndo => Me.IsLegalExpert && Batch.Status == BatchStatus.Done && Batch.CompletedAt + options.UndoWindow > clock.GetUtcNow();

    public DateTimeOffset? UndoUntil => Batch.CompletedAt + options.UndoWindow;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.ImportRead);
        if (await LoadAsync(ct) is { } missing)
        {
            return missing;
        }

        Mapping = [.. Batch.Mapping];
        await OutcomesAsync(ct);
        return Page();
    }

    /// <summary>Confirms the mapping and runs the dry run.</summary>
    public async Task<IActionResult> OnPostMapAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.ImportCheck);
        var (batch, answer) = await LockedAsync(BatchStatus.Uploaded, BatchStatus.Checked, ct);
        if (answer is not null)
        {
            return answer;
        }

        Batch = batch!;

        var known = TrackerColumns.Select(c => c.Id).ToHashSet();
        var mapping = Batch.Columns.Select((_, i) => i < Mapping.Count && Mapping[i] is { } id && known.Contains(id) ? id : null).ToList();
        var problems = ImportCheck.Problems(Batch.Layout, mapping, c => c.Header(l));
        if (problems.Count > 0)
        {
            ModelState.AddProblems(l, problems, field => field);
            Mapping = mapping;
            await PrepareAsync(ct);
            await OutcomesAsync(ct);
            return Page();
        }

        Batch = await ImportCheck.DryRunAsync(session, Batch with { Mapping = mapping }, Me, personalData, vocabulary, clock.GetUtcNow(), ct);
        if (SaveMapping)
        {
            var saved = new SavedMapping { Id = SavedMapping.IdOf(Batch.OrganisationId, Batch.Layout) };
            foreach (var (column, id) in Batch.Columns.Zip(mapping))
            {
                if (id is not null)
                {
                    saved.Columns[Columns.Fold(column.Header)] = id;
                }
            }

            session.Store(saved);
        }

        await session.SaveChangesAsync(ct);
        HttpContext.Detail($"{Batch.Cases} cases, {Batch.Entries} entries, {Batch.RefusedRows} rows refused");
        return Redirect($"/imports/{Id}#check");
    }

    /// <summary>Starts the import: the batch is marked running and the job queued in one transaction.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.ImportConfirm);
        var (locked, answer) = await LockedAsync(BatchStatus.Checked, BatchStatus.Checked, ct);
        if (answer is not null)
        {
            return answer;
        }

        var batch = locked!;
        if (await ImportCheck.ImportedElsewhereAsync(session, batch, ct))
        {
            TempData["Message"] = l[Upload.AlreadyImported].Value;
            return Redirect($"/imports/{Id}");
        }

        outbox.Enroll(session);
        session.Store(batch with { Status = BatchStatus.Running, ConfirmedBy = Me.AsRecorder(), Progress = 0 });
        await outbox.PublishAsync(new RunImport(batch.Id));
        await session.SaveChangesAsync(ct);
        HttpContext.Detail($"{batch.Cases} cases, {batch.Entries} entries");
        TempData["Message"] = l["The import has started. You can leave this page: it goes on without you."].Value;
        return Redirect($"/imports/{Id}");
    }

    /// <summary>Undoes a finished import: a legal expert, within the window; each case is erased and audited.</summary>
    public async Task<IActionResult> OnPostUndoAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.ImportUndo);
        Me = CurrentUser.From(User);
        if (!Me.IsLegalExpert)
        {
            return Forbid();
        }

        var batch = await ImportCheck.LockAsync(session, Id, ct);
        if (batch is null || !Me.CanSee(batch))
        {
            return NotFound();
        }

        Batch = batch;
        if (!CanUndo)
        {
            TempData["Message"] = batch.Status == BatchStatus.Done ? l["The time to undo this import has passed. Erase its cases one by one if you must."].Value : l[ImportCheck.NotNow].Value;
            return Redirect($"/imports/{Id}");
        }

        outbox.Enroll(session);
        session.Store(batch with { Status = BatchStatus.Undoing, Progress = 0 });
        await outbox.PublishAsync(new UndoImport(batch.Id, Me.UserId));
        await session.SaveChangesAsync(ct);
        TempData["Message"] = l["The import is being undone."].Value;
        return Redirect($"/imports/{Id}");
    }

    /// <summary>Drops an upload not yet imported, with every cell staged from it.</summary>
    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.ImportDiscard);
        var (locked, answer) = await LockedAsync(BatchStatus.Uploaded, BatchStatus.Checked, ct);
        if (answer is not null)
        {
            return answer;
        }

        var batch = locked!;
        session.DeleteWhere<ImportChunk>(c => c.BatchId == batch.Id);
        session.Delete(batch);
        await session.SaveChangesAsync(ct);
        TempData["Message"] = l["The upload was discarded. Nothing of it is kept."].Value;
        return Redirect("/imports");
    }

    /// <summary>
    /// The batch, locked until this request's transaction ends, when this person may see it and it
    /// is in one of the two states the action needs; otherwise the answer: not found, or the page
    /// again with a word that the import has moved on.
    /// </summary>
    private async Task<(ImportBatch? Batch, IActionResult? Answer)> LockedAsync(BatchStatus one, BatchStatus other, CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        var batch = await ImportCheck.LockAsync(session, Id, ct);
        if (batch is null || !Me.CanSee(batch))
        {
            return (null, NotFound());
        }

        if (batch.Status != one && batch.Status != other)
        {
            TempData["Message"] = l[ImportCheck.NotNow].Value;
            return (null, Redirect($"/imports/{Id}"));
        }

        return (batch, null);
    }

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        var batch = await session.LoadAsync<ImportBatch>(Id, ct);
        if (batch is null || !Me.CanSee(batch))
        {
            return NotFound();
        }

        Batch = batch;
        await PrepareAsync(ct);
        return null;
    }

    private async Task PrepareAsync(CancellationToken ct) =>
        OrganisationName = (await session.LoadAsync<Organisation>(Batch.OrganisationId, ct))?.Name ?? Batch.OrganisationId;

    /// <summary>A page of the rows' outcomes: a chunk per page, or every row with a problem, a hundred at a time.</summary>
    private async Task OutcomesAsync(CancellationToken ct)
    {
        if (Batch.Status is BatchStatus.Uploaded)
        {
            return;
        }

        if (Problems)
        {
            var all = (await session.Query<ImportChunk>().Where(c => c.BatchId == Batch.Id).Select(c => new { c.Index, c.Outcomes }).ToListAsync(ct))
                .OrderBy(c => c.Index).SelectMany(c => c.Outcomes).Where(o => o.Problems.Count > 0 || o.DroppedCells.Count > 0).ToList();
            PageCount = Math.Max(1, (all.Count + ImportChunk.Size - 1) / ImportChunk.Size);
            PageNumber = Math.Clamp(PageNumber, 1, PageCount);
            Outcomes = [.. all.Skip((PageNumber - 1) * ImportChunk.Size).Take(ImportChunk.Size)];
            return;
        }

        PageCount = Math.Max(1, Batch.Chunks);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var chunk = await session.LoadAsync<ImportChunk>(ImportChunk.IdOf(Batch.Id, PageNumber - 1), ct);
        Outcomes = chunk?.Outcomes ?? [];
    }

    /// <summary>What a row comes to, in a few words.</summary>
    public string Summary(RowOutcome row) => (row.OpensCase, row.Entries) switch
    {
        (true, 0) => l["Opens a case"],
        (true, 1) => l["Opens a case and records 1 entry"],
        (true, var n) => l["Opens a case and records {0} entries", n],
        (false, 1) => l["Records 1 entry"],
        (false, > 0) => l["Records {0} entries", row.Entries],
        _ when row.Problems.Count > 0 => l["Refused"],
        _ => l["Nothing to record"],
    };
}
