using Microsoft.Extensions.Localization;

namespace JusticeTracker.Cases;

/// <summary>
/// The API's answers to commands that did not succeed, the same for every command and in the
/// reader's language (English unless the request asks for another).
/// </summary>
public static class CaseProblems
{
    public const string NotFoundTitle = "Case not found.";
    public const string NotFoundDetail = "There is no case with this id that you can see.";
    public const string StaleTitle = "Someone else changed this case.";
    public const string StaleDetail = "The case changed since you opened it (you saw version {0}; it is now at version {1}). Nothing was recorded. Look at the latest entries, then submit your entry again.";

    /// <summary>Maps how a command ended onto its HTTP answer; <paramref name="succeeded"/> answers a command done or repeated.</summary>
    public static IResult ToHttp<T>(this Result<T> result, HttpContext context, string refusedTitle, Func<Result<T>, IResult> succeeded, long? seen = null)
        where T : class, IWritable
    {
        var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        return result.Ending switch
        {
            Ending.Done or Ending.Repeated => succeeded(result),
            Ending.Refused => Results.ValidationProblem(l.ByField(result.Problems), title: l[refusedTitle]),
            Ending.Stale => Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: l[StaleTitle],
                detail: l[StaleDetail, seen ?? 0, result.Version],
                extensions: new Dictionary<string, object?> { ["currentVersion"] = result.Version, ["yourVersion"] = seen }),
            Ending.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: l[refusedTitle], detail: string.Join(" ", result.Problems.Select(l.Text))),
            _ => NotFound(l),
        };
    }

    /// <summary>Also the answer for a case the user may not see: its existence is not revealed.</summary>
    public static IResult NotFound(HttpContext context) => NotFound(context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>());

    private static IResult NotFound(IStringLocalizer l) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: l[NotFoundTitle], detail: l[NotFoundDetail]);

    /// <summary>A problem in the reader's language.</summary>
    public static string Text(this IStringLocalizer l, Problem problem) => l[problem.Key, [.. problem.Arguments]];

    /// <summary>Problems by request field, each in the reader's language: the shape of a validation problem.</summary>
    public static Dictionary<string, string[]> ByField(this IStringLocalizer l, IEnumerable<Problem> problems) =>
        problems.GroupBy(p => p.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(l.Text).ToArray(), StringComparer.Ordinal);
}
