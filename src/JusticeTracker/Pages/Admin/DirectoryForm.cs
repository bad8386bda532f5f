using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Admin;

/// <summary>What every administration form does with a directory change: audit it, decide, and show any refusal beside its field, in the reader's language.</summary>
public static class DirectoryForm
{
    public static async Task<Result<DirectoryState>> ExecuteAsync(this PageModel page, IDocumentSession session, TimeProvider clock, IStringLocalizer l, DirectoryCommand command, CancellationToken ct)
    {
        var result = await DirectoryCommands.ExecuteAsync(page.HttpContext, session, command, clock, ct);
        page.ModelState.AddProblems(l, result.Problems, field => field);
        return result;
    }

    /// <summary>What the person typed into a refused form, so nothing they typed is lost.</summary>
    public static string Typed(this PageModel page, string field) =>
        page.Request.HasFormContentType && page.Request.Form.TryGetValue(field, out var value) ? value.ToString() : "";
}
