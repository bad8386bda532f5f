using System.Diagnostics.CodeAnalysis;
using JusticeTracker.Audit;
using JusticeTracker.Cases;

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
}

/// <summary>The names of audited actions: stable codes, shown to administrators.</summary>
public static class AuditActions
{
    public const string CaseRead = "case.read";
    public const string CaseChange = "case.change";
    public const string CaseOpen = "case.open";
    public const string CaseList = "case.list";
    public const string CaseErase = "case.erase";

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
}
