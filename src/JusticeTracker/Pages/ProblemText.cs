using JusticeTracker.Cases;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages;

/// <summary>Shows a decision's problems on a page's form, in the reader's language.</summary>
public static class ProblemText
{
    /// <summary>Adds each problem beside its field: <paramref name="field"/> maps the request's field names (the API's) onto the form's.</summary>
    public static void AddProblems(this ModelStateDictionary state, IStringLocalizer l, IEnumerable<Problem> problems, Func<string, string> field)
    {
        foreach (var problem in problems)
        {
            state.AddModelError(problem.Field.Length == 0 ? "" : field(problem.Field), l.Text(problem));
        }
    }
}
