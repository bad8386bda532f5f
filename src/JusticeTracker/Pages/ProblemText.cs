using System.Text.RegularExpressions;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Recording;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages;

/// <summary>
/// The decisions (of cases and of the directory) explain a refusal in English (the API's language). Pages show the same
/// explanation in the reader's language: each text is a key of the shared resources, and the few
/// that carry a value are matched against their template.
/// </summary>
public static class ProblemText
{
    private static readonly string[] Templates = [PersonalDataCheck.TooLong, PersonalDataCheck.BlockedWord, DirectoryCommands.AlreadyMember];

    public static string Translate(this IStringLocalizer l, string problem)
    {
        if (problem.StartsWith(RecordEntryEndpoint.InconsistentChange + " ", StringComparison.Ordinal))
        {
            return $"{l[RecordEntryEndpoint.InconsistentChange]} {l.Translate(problem[(RecordEntryEndpoint.InconsistentChange.Length + 1)..])}";
        }

        var direct = l[problem];
        if (!direct.ResourceNotFound)
        {
            return direct;
        }

        foreach (var template in Templates)
        {
            var pattern = "^" + Regex.Escape(template).Replace(@"\{0}", "(.+)", StringComparison.Ordinal) + "$";
            var match = Regex.Match(problem, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            if (match.Success)
            {
                return l[template, match.Groups[1].Value];
            }
        }

        return problem;
    }

    /// <summary>Adds each problem to the form, in the reader's language, beside its field.</summary>
    public static void AddProblems(this ModelStateDictionary state, IStringLocalizer l, IReadOnlyDictionary<string, string[]> problems, Func<string, string> field)
    {
        foreach (var (name, messages) in problems)
        {
            foreach (var message in messages)
            {
                state.AddModelError(field(name), l.Translate(message));
            }
        }
    }
}
