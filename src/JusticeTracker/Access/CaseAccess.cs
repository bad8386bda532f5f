using System.Diagnostics.CodeAnalysis;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using Marten;

namespace JusticeTracker.Access;

/// <summary>
/// The one gate to a single case. Every endpoint and page that takes a case id passes the loaded
/// case through <see cref="Admit"/>: it applies <see cref="CurrentUser.CanSee"/> and tells the
/// audit log which case was reached, or that reaching it was refused.
/// </summary>
public static class CaseAccess
{
    public static bool Admit(this HttpContext context, [NotNullWhen(true)] Case? @case, string action)
    {
        if (@case is null)
        {
            return false;
        }

        context.CaseReference(@case.Reference);
        if (!CurrentUser.From(context.User).CanSee(@case))
        {
            context.Action("denied");
            return false;
        }

        context.Action(action);
        return true;
    }

    /// <summary>Loads a case through the gate: null if there is none, or none this person may see.</summary>
    public static async Task<Case?> LoadVisibleAsync(this IQuerySession session, HttpContext context, Guid caseId, string action, CancellationToken ct) =>
        await session.LoadAsync<Case>(caseId, ct) is var found && context.Admit(found, action) ? found : null;

    /// <summary>The cases this person may see: <see cref="CurrentUser.CanSee"/> as a query, for every list of cases.</summary>
    public static IQueryable<Case> VisibleTo(this IQueryable<Case> cases, CurrentUser user) =>
        user.SeesOnly is { } organisation ? cases.Where(c => c.OrganisationId == organisation) : cases;

    /// <summary>The follow-ups of the cases this person may see.</summary>
    public static IQueryable<FollowUps.FollowUpView> VisibleTo(this IQueryable<FollowUps.FollowUpView> followUps, CurrentUser user) =>
        user.SeesOnly is { } organisation ? followUps.Where(v => v.OrganisationId == organisation) : followUps;

    /// <summary>The same, in a batch of queries.</summary>
    public static Marten.Services.BatchQuerying.IBatchedQueryable<FollowUps.FollowUpView> VisibleTo(this Marten.Services.BatchQuerying.IBatchedQueryable<FollowUps.FollowUpView> followUps, CurrentUser user) =>
        user.SeesOnly is { } organisation ? followUps.Where(v => v.OrganisationId == organisation) : followUps;

    /// <summary>The gate of a command on a case, for the write path.</summary>
    public static Func<HttpContext, Case, bool> Admits(string action) => (context, @case) => context.Admit(@case, action);
}

/// <summary>The names of audited actions: stable codes, shown to administrators.</summary>
public static class AuditActions
{
    public const string CaseRead = "case.read";
    public const string CaseChange = "case.change";
    public const string CaseOpen = "case.open";
    public const string CaseList = "case.list";
    public const string CaseErase = "case.erase";

    /// <summary>A transfer to another organisation asked for (or made directly by a legal expert); the detail names both organisations, the reason and the consent basis.</summary>
    public const string CaseTransferRequest = "case.transfer-request";

    /// <summary>A transfer accepted, declined or withdrawn; audited for whoever answers, the receiver or the sender.</summary>
    public const string CaseTransferAnswer = "case.transfer-answer";

    /// <summary>A legal expert accepted or redacted a note held for review; the detail says which, never the text.</summary>
    public const string NoteReview = "note.review";

    /// <summary>A legal expert read the queue of notes held for review (their texts, across cases).</summary>
    public const string NoteReviewList = "note.review-list";
    public const string SignIn = "sign-in";
    public const string SignOut = "sign-out";
    public const string DirectoryChange = "directory.change";
    public const string AuditRead = "audit.read";
    public const string AuditExport = "audit.export";
    public const string StatisticsRead = "statistics.read";
    public const string StatisticsExport = "statistics.export";
    public const string StatisticsBudgetExceeded = "statistics.budget-exceeded";

    /// <summary>A sheet uploaded, its mapping confirmed and checked, its import confirmed, run, and undone; the detail gives counts, never cells.</summary>
    public const string ImportUpload = "import.upload";
    public const string ImportCheck = "import.check";
    public const string ImportConfirm = "import.confirm";
    public const string ImportRun = "import.run";
    public const string ImportUndo = "import.undo";
    public const string ImportRead = "import.read";
    public const string ImportDiscard = "import.discard";

    /// <summary>A data-quality page or CSV read, for an organisation.</summary>
    public const string QualityRead = "quality.read";

    /// <summary>An organisation's own figures read, or one of their tables or charts downloaded.</summary>
    public const string FiguresRead = "figures.read";
    public const string FiguresExport = "figures.export";
}
