using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Admin;

/// <summary>What every administration form does with a directory change: audit it, decide, and show any refusal beside its field, in the reader's language.</summary>
public static class DirectoryForm
{
    public static async Task<Decision> ExecuteAsync(this PageModel page, IDocumentSession session, TimeProvider clock, IStringLocalizer l, DirectoryCommand command, CancellationToken ct)
    {
        page.HttpContext.Action(AuditActions.DirectoryChange);
        var decision = await DirectoryCommands.ExecuteAsync(session, command, new AdminAct(CurrentUser.From(page.User).UserId, clock.GetUtcNow()), ct);
        page.ModelState.AddProblems(l, decision.Problems, field => field);
        return decision;
    }

    /// <summary>What the person typed into a refused form, so nothing they typed is lost.</summary>
    public static string Typed(this PageModel page, string field) =>
        page.Request.HasFormContentType && page.Request.Form.TryGetValue(field, out var value) ? value.ToString() : "";
}
