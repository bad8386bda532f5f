namespace JusticeTracker.Cases;

/// <summary>The problem responses every case endpoint gives in the same words.</summary>
public static class CaseProblems
{
    /// <summary>Also the answer for a case the user may not see: its existence is not revealed.</summary>
    public static IResult NotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Case not found.", detail: "There is no case with this id that you can see.");

    public static IResult Stale(Case current, long seen) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Someone else changed this case.",
        detail: $"The case changed since you opened it (you saw version {seen}; it is now at version {current.Version}). " +
                "Nothing was recorded. Look at the latest entries, then submit your entry again.",
        extensions: new Dictionary<string, object?> { ["currentVersion"] = current.Version, ["yourVersion"] = seen });
}
